/**
 * The reference's switches as params (issue #12 part 2, reference README §9): annealed,
 * inputNoise, normalizeOutput, decoderFixed and nonlinearity — each against its formula, through
 * every rule, through the worker tasks, and composed. The step-level agreement with the
 * reference is conformance.test.ts's (vectors-toolbox/); these tests need no reference files.
 */
import { assert, describe, it } from "vitest"
import { inputFromAngle, sampleTestSchedule, sampleTrainingAngles, scheduleToAngles } from "../../src/model/inputs.js"
import { cloneNetwork, initNetwork, type Network } from "../../src/model/network.js"
import { inverseLinear, inverseNonlinearity, inverseSigmoid, inverseSoftplus } from "../../src/model/nonlinearity.js"
import { decodeModelParams, learningFactor, type ModelParams, parseModelParams } from "../../src/model/params.js"
import { stream } from "../../src/model/random.js"
import { getRule, ruleIds, rules } from "../../src/model/rules/index.js"
import { threeFactor } from "../../src/model/rules/threeFactor.js"
import { clampedObjective, step } from "../../src/model/step.js"
import { defaultParams, getTask, type TaskId } from "../../src/model/tasks/index.js"
import { allocateRecords, runTestTrial, runTrainTrial } from "../../src/model/trial.js"
import { testTrial, trainTrial } from "../../src/model/trialWorker.js"
import { type NoiseSource, streamNoise, streamNormals, Workspace, zeroNoise } from "../../src/model/workspace.js"

/** 3 s trials, learning from 1 s. */
const shortParams = (task: TaskId = "estimation", switches: Partial<ModelParams> = {}): ModelParams =>
  parseModelParams({ ...defaultParams(task), trialSeconds: 3, transientSeconds: 1, switchSeconds: 1, ...switches })

const freshNetwork = (p: ModelParams, seed = 3): Network => {
  const rng = stream(seed, "init/weights")
  return initNetwork(p, () => rng.uniformDouble())
}

const bitsEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((x, k) => Object.is(x, b[k]))
const networksEqual = (a: Network, b: Network) =>
  bitsEqual(a.weights, b.weights) &&
  bitsEqual(a.inputWeights, b.inputWeights) &&
  bitsEqual(a.biases, b.biases) &&
  bitsEqual(a.decoder, b.decoder)

/** One training trial k through the worker task. */
const trainWith = (p: ModelParams, ruleId: keyof typeof rules = "three-factor", k = 0, network = freshNetwork(p)) =>
  trainTrial(
    { network, params: p, ruleId, seed: 21, trial: k, angles: sampleTrainingAngles(p, 21, k) },
    rules[ruleId],
    getTask(p.task)
  )

/** One test trial k through the worker task. */
const testWith = (p: ModelParams, network = freshNetwork(p), k = 1) =>
  testTrial(
    { network, params: p, seed: 21, trial: k, schedule: sampleTestSchedule(p, 21, 2).subarray(3, 6) },
    getTask(p.task)
  )

/** A noise source that fails the test if the model ever draws from it. */
const forbidden: NoiseSource = {
  fill: () => {
    throw new Error("drew input noise with inputNoise = 0")
  }
}

describe("params of the switches", () => {
  it("default off, with the reference names' meanings, for both tasks", () => {
    for (const task of ["estimation", "classification"] as const) {
      assert.deepInclude(defaultParams(task), {
        annealed: false,
        inputNoise: 0,
        normalizeOutput: false,
        decoderFixed: false,
        nonlinearity: "softplus"
      })
    }
  })

  it("reject a negative or infinite input noise, an unknown pair, and a sigmoid whose g is not finite", () => {
    const paths = (input: unknown) => {
      const decoded = decodeModelParams(input, getTask("estimation"))
      return decoded._tag === "Left" ? decoded.left.map((i) => `${i.path}: ${i.message}`) : []
    }
    assert.match(paths({ inputNoise: -0.1 })[0]!, /^inputNoise: .*non-negative/)
    assert.match(paths({ inputNoise: Number.POSITIVE_INFINITY })[0]!, /^inputNoise: .*finite/)
    assert.match(paths({ nonlinearity: "tanh" })[0]!, /^nonlinearity: /)
    assert.match(paths({ annealed: "yes" })[0]!, /^annealed: /)
    // 1/(β·r_high) = 0.3: α = 0.3 makes log(1/(β·r) − α) = log(0) at r = r_high.
    assert.match(
      paths({ nonlinearity: "sigmoid", alpha: 0.3 })[0]!,
      /^alpha: the sigmoid nonlinearity needs alpha < 1\/\(beta·max\(rHigh, r0\)\) = 0\.3/
    )
    assert.deepStrictEqual(paths({ nonlinearity: "sigmoid", alpha: 0.29 }), [])
    assert.deepStrictEqual(paths({ nonlinearity: "softplus", alpha: 0.3 }), [])
  })
})

describe("annealed (§9.2)", () => {
  it("F_k = A·exp(−k/150) + 1: F_0 = 101, F_1 = 100.33555062550344 (the reference's values); A when off", () => {
    const on = { annealed: true, annealConst: 100 }
    assert.strictEqual(learningFactor(on, 0), 101)
    assert.strictEqual(learningFactor(on, 1), 100.33555062550344)
    assert.strictEqual(0.01 * learningFactor(on, 1), 1.0033555062550346)
    assert.closeTo(learningFactor(on, 150), 100 / Math.E + 1, 1e-12)
    assert.strictEqual(learningFactor({ annealed: false, annealConst: 100 }, 7), 100)
  })

  it("a training trial's learning steps are ((dt·F_k)·η), in the workspace and in the fused kernel's constants", () => {
    const p = shortParams("estimation", { annealed: true })
    const ws = new Workspace(p, freshNetwork(p), threeFactor, getTask(p.task))
    ws.startTrial(sampleTrainingAngles(p, 1, 0), zeroNoise, true, 0, { trial: 1 })
    const dtF = 0.01 * 100.33555062550344
    assert.strictEqual(ws.stepWeights, dtF * p.learningRate)
    assert.strictEqual(ws.stepDecoder, dtF * p.learningRateDecoder)
    assert.deepStrictEqual(
      [2, 4, 6, 8].map((k) => ws.learning.constants[k]),
      [ws.stepWeights, ws.stepBiases, ws.stepInputWeights, ws.stepDecoder]
    )
    assert.throws(
      () => ws.startTrial(sampleTrainingAngles(p, 1, 0), zeroNoise, true, 0),
      /annealed training trial needs its trial index/
    )
    // Test trials do not learn: no index needed.
    ws.startTrial(sampleTrainingAngles(p, 1, 0), zeroNoise, false, 0)
    // The TypeScript kernels read the same constants: an annealed trial agrees with WebAssembly to round-off.
    const run = (kind: "simd" | "js") => {
      const w = new Workspace(p, freshNetwork(p), threeFactor, getTask(p.task), undefined, kind)
      runTrainTrial(w, p, { angles: sampleTrainingAngles(p, 1, 0), noise: zeroNoise, trial: 1 })
      return w.network()
    }
    const simd = run("simd")
    const js = run("js")
    const q = shortParams("estimation")
    const plain = new Workspace(q, freshNetwork(q), threeFactor, getTask(q.task), undefined, "js")
    runTrainTrial(plain, q, { angles: sampleTrainingAngles(q, 1, 0), noise: zeroNoise, trial: 1 })
    for (let m = 0; m < js.weights.length; m++) assert.closeTo(js.weights[m]!, simd.weights[m]!, 1e-15)
    assert.isFalse(bitsEqual(js.weights, plain.network().weights))
  })

  it("scales every update of every rule by F_k/A (W, b, C and D; one learning step)", () => {
    // From the same state, one learning step with F_0 = 101 moves each parameter 1.01 times as far as with A = 100.
    for (const ruleId of ruleIds) {
      const delta = (annealed: boolean) => {
        const p = shortParams("estimation", { annealed, transientSeconds: 0 })
        const ws = new Workspace(p, freshNetwork(p), getRule(ruleId), getTask(p.task))
        ws.startTrial(sampleTrainingAngles(p, 4, 0), streamNoise(stream(4, "n"), p.dt), true, 0, { trial: 0 })
        const before = cloneNetwork(ws.network())
        step(ws, 1)
        const after = ws.network()
        return (["weights", "inputWeights", "biases", "decoder"] as const).map((key) =>
          after[key].map((x, m) => x - before[key][m]!)
        )
      }
      const plain = delta(false)
      const annealed = delta(true)
      plain.forEach((d, q) => {
        const moved = d.some((x) => x !== 0)
        for (let m = 0; m < d.length; m++) {
          if (d[m] === 0) continue
          assert.closeTo(annealed[q]![m]! / d[m]!, 1.01, 1e-6, `${ruleId}, parameter ${q}, entry ${m}`)
        }
        if (!moved)
          assert.isTrue(
            annealed[q]!.every((x) => x === 0),
            `${ruleId}: a frozen parameter stays frozen`
          )
      })
    }
  })

  it("the training task uses its trial index k for F_k (the same bits as a trial started with k, not with 0)", () => {
    const p = shortParams("estimation", { annealed: true })
    const network = freshNetwork(p)
    const task = trainWith(p, "three-factor", 3, network)
    const manual = (k: number) => {
      const ws = new Workspace(p, cloneNetwork(network), threeFactor, getTask(p.task))
      runTrainTrial(ws, p, {
        angles: sampleTrainingAngles(p, 21, 3),
        noise: streamNoise(stream(21, "train/trial/3/noise"), p.dt),
        trial: k
      })
      return ws.network()
    }
    assert.isTrue(networksEqual(task.network, manual(3)))
    assert.isFalse(networksEqual(task.network, manual(0)))
    // Annealing acts from the first learning step on only (t·dt > 1 s: samples 0 … 5 at 20 steps each).
    const plain = trainWith(shortParams("estimation"), "three-factor", 3, network)
    assert.isTrue(bitsEqual(task.objective.subarray(0, 6), plain.objective.subarray(0, 6)))
    assert.isFalse(networksEqual(task.network, plain.network))
  })
})

describe("decoderFixed (§9.5)", () => {
  it("leaves D bit-identical over a trial for every rule, and W, b, C learn as usual", () => {
    for (const task of ["estimation", "classification"] as const) {
      const p = shortParams(task, { decoderFixed: true })
      for (const ruleId of ruleIds) {
        const network = freshNetwork(p)
        const out = trainWith(p, ruleId, 0, network)
        assert.isTrue(bitsEqual(out.network.decoder, network.decoder), `${task} ${ruleId}: D fixed`)
        if (ruleId !== "decoder-only") {
          assert.isFalse(bitsEqual(out.network.weights, network.weights), `${task} ${ruleId}: W learns`)
        }
      }
    }
  })

  it("three-factor: the same W, b, C bits as the fused kernel with η_D = 0 (the parts path equals the fused one)", () => {
    for (const task of ["estimation", "classification"] as const) {
      const fixed = trainWith(shortParams(task, { decoderFixed: true }))
      const zeroRate = trainWith(shortParams(task, { learningRateDecoder: 0 }))
      assert.isTrue(networksEqual(fixed.network, zeroRate.network), task)
      assert.isTrue(bitsEqual(fixed.objective, zeroRate.objective), task)
    }
  })

  it("composes with annealed: D fixed, the other parameters at F_k", () => {
    const p = shortParams("estimation", { decoderFixed: true, annealed: true })
    const network = freshNetwork(p)
    const out = trainWith(p, "three-factor", 3, network)
    assert.isTrue(bitsEqual(out.network.decoder, network.decoder))
    const notAnnealed = trainWith(shortParams("estimation", { decoderFixed: true }), "three-factor", 3, network)
    assert.isFalse(bitsEqual(out.network.weights, notAnnealed.network.weights))
  })
})

describe("nonlinearity (§9.6)", () => {
  const { alpha, beta, gamma } = defaultParams("estimation")

  it("each inverse inverts its forward function (closed forms), and g(r_low) of the sigmoid is −log(30000)/30", () => {
    for (const u of [-0.3, -0.1, -0.01, 0, 0.01, 0.05, 0.1]) {
      const softplus = beta * Math.log(1 + Math.exp(alpha + gamma * u))
      assert.closeTo(inverseSoftplus(softplus, beta, alpha, gamma), u, 1e-12)
      const sigmoid = 1 / (alpha + beta * Math.exp(-gamma * u))
      assert.closeTo(inverseSigmoid(sigmoid, beta, alpha, gamma), u, 1e-14)
      const linear = alpha + gamma * u
      assert.closeTo(inverseLinear(linear, alpha, gamma), u, 1e-16)
    }
    assert.closeTo(inverseSigmoid(0.001, beta, alpha, gamma), -Math.log(30000) / 30, 1e-15)
    assert.closeTo(inverseSigmoid(100, beta, alpha, gamma), 0.0401, 5e-5)
    // α enters as the reference writes it, 1/(β·r) − α (not (1/r − α)/β) and (r − α)/γ.
    assert.strictEqual(inverseSigmoid(2, 0.5, 0.25, 4), (-1 / 4) * Math.log(1 / (0.5 * 2) - 0.25))
    assert.strictEqual(inverseLinear(2, 0.5, 4), 0.375)
    assert.strictEqual(inverseNonlinearity(2, 0.5, 0.25, 4, "linear"), inverseLinear(2, 0.25, 4))
    assert.strictEqual(inverseNonlinearity(0.2, beta, alpha, gamma), inverseSoftplus(0.2, beta, alpha, gamma))
  })

  it("drives the leak of the step, nl = (−1·g(r_p))/R, in both kernels and in test and training trials", () => {
    for (const nonlinearity of ["softplus", "sigmoid", "linear"] as const) {
      const p = shortParams("estimation", { nonlinearity, R: 2 })
      const network = freshNetwork(p)
      network.weights.fill(0)
      network.inputWeights.fill(0)
      network.biases.fill(0)
      for (const kind of ["simd", "js"] as const) {
        const ws = new Workspace(p, cloneNetwork(network), threeFactor, getTask(p.task), undefined, kind)
        ws.initialRates.fill(0.5)
        ws.startTrial(new Float64Array(300), zeroNoise, false)
        step(ws, 1)
        const expected = 0.5 + ((-1 * inverseNonlinearity(0.5, beta, alpha, gamma, nonlinearity)) / 2) * p.dt
        assert.closeTo(ws.rates[0]!, expected, 1e-15, `${nonlinearity}, ${kind}`)
      }
    }
    const outputs = (["softplus", "sigmoid", "linear"] as const).map((nonlinearity) => {
      const p = shortParams("estimation", { nonlinearity })
      return [testWith(p).rates, trainWith(p).network.weights] as const
    })
    assert.isFalse(bitsEqual(outputs[0]![0], outputs[1]![0]))
    assert.isFalse(bitsEqual(outputs[1]![0], outputs[2]![0]))
    assert.isFalse(bitsEqual(outputs[0]![1], outputs[2]![1]))
  })

  it("the sigmoid and linear pairs never overflow: a rate of 24 stays finite (softplus: −∞, quirk 14)", () => {
    for (const nonlinearity of ["sigmoid", "linear", "softplus"] as const) {
      const p = shortParams("estimation", { nonlinearity })
      const ws = new Workspace(p, freshNetwork(p), threeFactor, getTask(p.task))
      ws.initialRates.fill(24)
      ws.startTrial(new Float64Array(300), zeroNoise, false)
      step(ws, 1)
      if (nonlinearity === "softplus") assert.strictEqual(ws.unclamped[0], Number.NEGATIVE_INFINITY)
      else assert.isTrue(ws.unclamped.every(Number.isFinite), nonlinearity)
    }
  })
})

describe("inputNoise (§9.3)", () => {
  it("is never drawn when 0, and runs with 0 keep their bits", () => {
    const p = shortParams("estimation")
    const ws = new Workspace(p, freshNetwork(p), threeFactor, getTask(p.task))
    runTrainTrial(ws, p, {
      angles: sampleTrainingAngles(p, 1, 0),
      noise: streamNoise(stream(1, "n"), p.dt),
      inputNoise: forbidden,
      trial: 0
    })
    runTestTrial(ws, p, { angles: sampleTrainingAngles(p, 1, 1), noise: zeroNoise, inputNoise: forbidden })
  })

  it("comes from its own streams, train/trial/<k>/input-noise and test/trial/<k>/input-noise, σ_ν·normal", () => {
    const sigmaNu = 0.3
    const p = shortParams("estimation", { inputNoise: sigmaNu })
    const network = freshNetwork(p)
    // The worker tasks against a workspace fed from the streams named here.
    const train = trainWith(p, "three-factor", 2, network)
    const ws = new Workspace(p, cloneNetwork(network), threeFactor, getTask(p.task))
    runTrainTrial(ws, p, {
      angles: sampleTrainingAngles(p, 21, 2),
      noise: streamNoise(stream(21, "train/trial/2/noise"), p.dt),
      inputNoise: streamNormals(stream(21, "train/trial/2/input-noise"), sigmaNu),
      trial: 2
    })
    assert.isTrue(networksEqual(train.network, ws.network()))
    const test = testWith(p, network, 1)
    const ws2 = new Workspace(p, cloneNetwork(network), threeFactor, getTask(p.task))
    const rec = allocateRecords(p, { rates: true })
    runTestTrial(ws2, p, {
      angles: scheduleToAngles(p, sampleTestSchedule(p, 21, 2).subarray(3, 6)),
      noise: streamNoise(stream(21, "test/trial/1/noise"), p.dt),
      inputNoise: streamNormals(stream(21, "test/trial/1/input-noise"), sigmaNu),
      records: rec
    })
    assert.isTrue(bitsEqual(test.rates, rec.rates!))
  })

  it("leaves ξ's stream alone: with C = 0 a test trial with input noise has the bits of one without", () => {
    const p = shortParams("estimation")
    const network = freshNetwork(p)
    network.inputWeights.fill(0)
    const plain = testWith(p, network)
    const noisy = testWith(shortParams("estimation", { inputNoise: 0.5 }), network)
    assert.isTrue(bitsEqual(plain.rates, noisy.rates))
    // …and with the input weights it does act, in test trials and in training.
    const withC = freshNetwork(p)
    assert.isFalse(
      bitsEqual(testWith(p, withC).rates, testWith(shortParams("estimation", { inputNoise: 0.5 }), withC).rates)
    )
    assert.isFalse(
      networksEqual(trainWith(p).network, trainWith(shortParams("estimation", { inputNoise: 0.5 })).network)
    )
  })

  it("enters the rate update only, as C·(s_{t−1} + ν_t); the input, the averages and the target stay noise-free", () => {
    // W and b stay 0 (η_W = η_b = 0); C and the averages learn from step 1.
    const p = shortParams("estimation", {
      inputNoise: 0.1,
      sigma: 0,
      transientSeconds: 0,
      learningRate: 0,
      learningRateBias: 0
    })
    const network = freshNetwork(p)
    network.weights.fill(0)
    network.biases.fill(0)
    const nu = Float64Array.from({ length: p.inputDim }, (_, k) => 0.05 * (k - 6))
    const calls: Array<number> = []
    const source: NoiseSource = {
      fill: (out, t) => {
        calls.push(t)
        assert.strictEqual(out.length, p.inputDim)
        out.set(nu)
      }
    }
    // θ moves every step, so s_{t−1} and s_t differ (the input lag of quirk 2 with the noise).
    const angles = Float64Array.from({ length: 300 }, (_, t) => 0.4 + 0.05 * t)
    const sOf = (theta: number) => {
      const out = new Float64Array(p.inputDim)
      inputFromAngle(theta, out)
      return out
    }
    const ws = new Workspace(p, cloneNetwork(network), threeFactor, getTask(p.task))
    ws.startTrial(angles, zeroNoise, true, 0, { trial: 0, inputNoise: source })
    const Ars = new Float64Array(p.N * p.inputDim)
    for (let t = 1; t <= 3; t++) {
      const rp = Float64Array.from(ws.rates)
      const C = Float64Array.from(ws.inputWeights)
      const previous = sOf(angles[t - 1]!)
      const s = sOf(angles[t]!)
      step(ws, t)
      for (let i = 0; i < p.N; i++) {
        let drive = 0
        for (let k = 0; k < p.inputDim; k++) drive += C[i * p.inputDim + k]! * (previous[k]! + nu[k]!)
        const nl = (-1 * inverseNonlinearity(rp[i]!, p.beta, p.alpha, p.gamma)) / p.R
        const expected = Math.max(p.rLow, rp[i]! + (nl + drive) * p.dt)
        assert.closeTo(ws.rates[i]!, expected, 1e-14, `step ${t}, neuron ${i}`)
        for (let k = 0; k < p.inputDim; k++) {
          const m = i * p.inputDim + k
          Ars[m] = (1 - p.rho) * Ars[m]! + p.rho * ws.rates[i]! * s[k]!
        }
      }
      assert.isTrue(bitsEqual(ws.input, s), "the recorded input is s_t, not s_t + ν")
      assert.deepStrictEqual([ws.target[0], ws.target[1]], [Math.cos(angles[t]!), Math.sin(angles[t]!)])
    }
    for (let m = 0; m < Ars.length; m++) assert.closeTo(ws.averageRS[m]!, Ars[m]!, 1e-15)
    assert.deepStrictEqual(calls, [1, 2, 3])
  })

  it("a trial with input noise and no source of it fails, naming the switch", () => {
    const p = shortParams("estimation", { inputNoise: 0.1 })
    const ws = new Workspace(p, freshNetwork(p), threeFactor, getTask(p.task))
    assert.throws(
      () => runTestTrial(ws, p, { angles: new Float64Array(300), noise: zeroNoise }),
      /inputNoise = 0.1: the trial needs a source of input noise/
    )
  })
})

describe("normalizeOutput (§9.4)", () => {
  const normalizedError = (D: ArrayLike<number>, r: ArrayLike<number>, y: ArrayLike<number>, N: number) => {
    const norm = Math.sqrt(Array.from(r).reduce((a, x) => a + x * x, 0))
    let E = 0
    for (let o = 0; o < y.length; o++) {
      let z = 0
      for (let i = 0; i < N; i++) z += D[o * N + i]! * (r[i]! / norm)
      E -= (y[o]! - z) ** 2
    }
    return E
  }

  it("estimation: the recorded objective and E read D·r/‖r‖; the output stays D·r", () => {
    const p = shortParams("estimation", { normalizeOutput: true })
    const ws = new Workspace(p, freshNetwork(p), threeFactor, getTask(p.task))
    ws.startTrial(sampleTrainingAngles(p, 2, 0), streamNoise(stream(2, "n"), p.dt), false)
    for (let t = 1; t < 20; t++) {
      step(ws, t)
      assert.closeTo(ws.objective, normalizedError(ws.decoder, ws.unclamped, ws.target, p.N), 1e-14)
      for (let o = 0; o < 2; o++) {
        let z = 0
        for (let i = 0; i < p.N; i++) z += ws.decoder[o * p.N + i]! * ws.unclamped[i]!
        assert.closeTo(ws.output[o]!, z, 1e-14)
      }
      assert.closeTo(clampedObjective(ws), normalizedError(ws.decoder, ws.rates, ws.target, p.N), 1e-14)
    }
  })

  it("estimation: the decoder rule is ΔD = (−(D r̂ − y)) r̂ᵀ − λ_W·D, r̂ = r/‖r‖, for every rule that learns D", () => {
    for (const ruleId of ruleIds) {
      const p = shortParams("estimation", { normalizeOutput: true, transientSeconds: 0 })
      const ws = new Workspace(p, freshNetwork(p), getRule(ruleId), getTask(p.task))
      ws.startTrial(sampleTrainingAngles(p, 2, 0), streamNoise(stream(2, "n"), p.dt), true, 0, { trial: 0 })
      for (let t = 1; t < 5; t++) step(ws, t)
      const D0 = Float64Array.from(ws.decoder)
      step(ws, 5)
      const r = ws.rates
      const norm = Math.sqrt(Array.from(r).reduce((a, x) => a + x * x, 0))
      const sD = p.dt * p.annealConst * p.learningRateDecoder
      for (let o = 0; o < 2; o++) {
        let z = 0
        for (let i = 0; i < p.N; i++) z += D0[o * p.N + i]! * (r[i]! / norm)
        for (let i = 0; i < p.N; i++) {
          const m = o * p.N + i
          const expected = D0[m]! + sD * (-(z - ws.target[o]!) * (r[i]! / norm) - p.weightL2 * D0[m]!)
          assert.closeTo(ws.decoder[m]!, expected, 1e-16, `${ruleId}, D[${o}][${i}]`)
        }
      }
    }
  })

  it("classification ignores it: the same bits as without, in training and test", () => {
    const on = shortParams("classification", { normalizeOutput: true })
    const off = shortParams("classification")
    assert.isTrue(networksEqual(trainWith(on).network, trainWith(off).network))
    assert.isTrue(bitsEqual(testWith(on).objective, testWith(off).objective))
    // Estimation does not: its recorded objective and its learning change.
    const e = shortParams("estimation", { normalizeOutput: true })
    assert.isFalse(bitsEqual(testWith(e).objective, testWith(shortParams("estimation")).objective))
    assert.isTrue(bitsEqual(testWith(e).outputs, testWith(shortParams("estimation")).outputs))
    assert.isFalse(networksEqual(trainWith(e).network, trainWith(shortParams("estimation")).network))
  })
})

describe("the switches through the worker tasks", () => {
  it("test trials ignore the learning switches (annealed, decoderFixed): the same bits", () => {
    const plain = testWith(shortParams("estimation"))
    const learning = testWith(shortParams("estimation", { annealed: true, decoderFixed: true }))
    assert.isTrue(bitsEqual(plain.rates, learning.rates))
    assert.isTrue(bitsEqual(plain.objective, learning.objective))
  })

  it("every switch at once runs, for both tasks and every rule", () => {
    for (const task of ["estimation", "classification"] as const) {
      const p = shortParams(task, {
        annealed: true,
        inputNoise: 0.1,
        normalizeOutput: true,
        decoderFixed: true,
        nonlinearity: "sigmoid"
      })
      for (const ruleId of ruleIds) {
        const network = freshNetwork(p)
        const out = trainWith(p, ruleId, 5, network)
        assert.isTrue(out.network.weights.every(Number.isFinite), `${task} ${ruleId}`)
        assert.isTrue(bitsEqual(out.network.decoder, network.decoder), `${task} ${ruleId}`)
      }
      assert.isTrue(testWith(p).rates.every(Number.isFinite), task)
    }
  })
})
