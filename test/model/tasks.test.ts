/**
 * Issue #18: the tasks as modules, and the branches of the reference's mixed and BCI objectives
 * that its vector files do not exercise (README §10): the mixed objective's class 0 and its
 * clipped probability, the weights λ_MSE ≠ λ_LL (which scale different terms of the decoder rule),
 * and the BCI reward window's strict bounds, the fed-back input and its two-step delay. The
 * expected values are written here from §10.3–§10.4, on the workspace's state before and after a
 * step, not taken from the code under test.
 */
import { assert, describe, it } from "vitest"
import { cloneNetwork, initNetwork } from "../../src/model/network.js"
import { inverseNonlinearity } from "../../src/model/nonlinearity.js"
import { defaultModelParams, type ModelParams, taskSettings } from "../../src/model/params.js"
import { stream } from "../../src/model/random.js"
import { threeFactor } from "../../src/model/rules/threeFactor.js"
import { step } from "../../src/model/step.js"
import { getTask, taskIds, taskModels } from "../../src/model/tasks/index.js"
import { Workspace, zeroNoise } from "../../src/model/workspace.js"
import { experiments } from "../../stages/experiments/index.js"

const logistic = (z: number) => 1 / (1 + Math.exp(-100 * z))
const clip = (p: number) => (p < 1e-4 ? 1e-4 : 1 - p < 1e-4 ? 1 - 1e-4 : p)
const dot = (a: ArrayLike<number>, b: ArrayLike<number>, offset = 0, n = b.length) => {
  let sum = 0
  for (let i = 0; i < n; i++) sum += a[offset + i]! * b[i]!
  return sum
}

describe("the task registry", () => {
  it("holds the four objectives of the reference, each with its experiment, its own module and its sizes", () => {
    assert.deepStrictEqual([...taskIds], ["estimation", "classification", "mixed", "bci"])
    for (const id of taskIds) {
      const task = taskModels[id]
      assert.strictEqual(task.id, id)
      assert.match(task.module, new RegExp(`model/tasks/${id}\\.ts$`))
      assert.strictEqual(experiments[id].task, task, `${id}'s experiment runs its model`)
    }
    assert.deepInclude(taskModels.mixed.defaults, { N: 40, inputDim: 12, targetDim: 3, annealConst: 10 })
    assert.deepInclude(taskModels.bci.defaults, { N: 40, inputDim: 1, targetDim: 1, annealConst: 100 })
    assert.throws(
      () => getTask("regression"),
      /unknown task "regression"; valid tasks: estimation, classification, mixed, bci/
    )
  })

  it("refuses what a task cannot take, by name", () => {
    const workspace = (params: ModelParams) => {
      const rng = stream(1, "tasks/refuse")
      return new Workspace(
        params,
        initNetwork(params, () => rng.uniformDouble()),
        threeFactor,
        getTask(params.task)
      )
    }
    assert.throws(
      () => workspace({ ...defaultModelParams(taskModels.mixed), normalizeOutput: true }),
      /normalizeOutput/
    )
    assert.throws(
      () => workspace({ ...defaultModelParams(taskModels.bci), inputDim: 2 }),
      /inputDim must equal targetDim/
    )
    assert.throws(
      () => workspace({ ...defaultModelParams(taskModels.bci), settings: { bciLow: 0.02, bciHigh: 0.01 } }),
      /bciHigh/
    )
    assert.throws(
      () =>
        new Workspace(
          defaultModelParams(taskModels.bci),
          initNetwork(defaultModelParams(taskModels.bci), Math.random),
          threeFactor,
          taskModels.mixed
        ),
      /the params are for task "bci", the workspace's task is "mixed"/
    )
  })
})

/** A mixed workspace of N neurons on the TypeScript kernels, learning from step 1 (transient 0), no noise. */
const mixedWorkspace = (settings: Record<string, number>, decoderRow2: (i: number) => number) => {
  const task = taskModels.mixed
  const params: ModelParams = {
    ...defaultModelParams(task),
    N: 5,
    settings: taskSettings(task, settings),
    transientSeconds: 0,
    trialSeconds: 0.05
  }
  const rng = stream(3, "tasks/mixed")
  const network = initNetwork(params, () => rng.uniformDouble())
  for (let i = 0; i < params.N; i++) network.decoder[2 * params.N + i] = decoderRow2(i)
  const ws = new Workspace(params, cloneNetwork(network), threeFactor, task, zeroNoise, "js")
  return { ws, params }
}

describe("mixed (README §10.3)", () => {
  for (const [label, row2] of [
    ["p near ½", (i: number) => 0.001 * (i - 2)],
    ["p clipped to 1e-4 in the objective, unclipped in the decoder rule", () => -0.5]
  ] as const) {
    it(`class 0 (θ < 0), λ_MSE = 0.7, λ_LL = 1.3: output, both objectives and the decoder rule (${label})`, () => {
      const lambdaMse = 0.7
      const lambdaLl = 1.3
      const { ws, params } = mixedWorkspace({ lambdaMse, lambdaLl }, row2)
      const N = params.N
      const theta = -1 // class 0: −π < θ < 0
      const angles = new Float64Array(5).fill(theta)
      ws.startTrial(angles, zeroNoise, true)
      const square = (a: ArrayLike<number>) => dot(a, a)
      const penalty =
        params.weightL2 * square(ws.weights) +
        params.biasL2 * square(ws.biases) +
        params.inputWeightL2 * square(ws.inputWeights)
      const D = Float64Array.from(ws.decoder)
      step(ws, 1)

      // (e) y = (cos θ, sin θ, 0); (d) o = (D0·r^u, D1·r^u, p(D2·r^u)).
      assert.deepStrictEqual(Array.from(ws.target), [Math.cos(theta), Math.sin(theta), 0])
      const ru = ws.unclamped
      assert.approximately(ws.output[0]!, dot(D, ru, 0, N), 1e-15)
      assert.approximately(ws.output[1]!, dot(D, ru, N, N), 1e-15)
      const pu = logistic(dot(D, ru, 2 * N, N))
      assert.approximately(ws.output[2]!, pu, 1e-15)
      // (f) recorded: λ_LL·log(1 − p̃(r^u)) − Λ (the parameters before the step's updates).
      assert.approximately(ws.objective, lambdaLl * Math.log(1 - clip(pu)) - penalty, 1e-12)

      // (i) E = λ_MSE·(−‖y_{0:2} − D_{0:2} r‖²) + λ_LL·log(1 − p̃(r)), r clamped.
      const r = ws.rates
      const e0 = Math.cos(theta) - dot(D, r, 0, N)
      const e1 = Math.sin(theta) - dot(D, r, N, N)
      const p = logistic(dot(D, r, 2 * N, N))
      const E = lambdaMse * -(e0 * e0 + e1 * e1) + lambdaLl * Math.log(1 - clip(p))
      assert.approximately(ws.modulator, E, 1e-12)
      if (label.startsWith("p clipped")) assert.isBelow(p, 1e-4, "the clip is exercised")

      // Decoder rule, s_D = (dt·10)·η_D: rows 0, 1 ΔD = ((λ_MSE·(−1))·(D r − y)) rᵀ − λ_W·D (λ_MSE not on the L2);
      // row 2 ΔD = λ_LL·(((c − p)·r)·100 − λ_W·D), p unclipped (λ_LL on the L2 too).
      const sD = params.dt * 10 * params.learningRateDecoder
      const lw = params.weightL2
      for (let i = 0; i < N; i++) {
        const d0 = D[i]!
        const d1 = D[N + i]!
        const d2 = D[2 * N + i]!
        assert.approximately(ws.decoder[i]!, d0 + sD * (lambdaMse * -1 * (-e0 * r[i]!) - lw * d0), 1e-18, `D0${i}`)
        assert.approximately(ws.decoder[N + i]!, d1 + sD * (lambdaMse * -1 * (-e1 * r[i]!) - lw * d1), 1e-18, `D1${i}`)
        assert.approximately(
          ws.decoder[2 * N + i]!,
          d2 + sD * (lambdaLl * ((0 - p) * r[i]! * 100 - lw * d2)),
          1e-18,
          `D2${i}`
        )
      }
    })
  }

  it("its class is the classifier's (quirk 12): θ = 0 of the grid (−8.9e-16) is class 0, θ = −π class 1", () => {
    const { ws } = mixedWorkspace({}, () => 0)
    ws.taskStep.target(-8.881784197001252e-16, 1, 0)
    assert.strictEqual(ws.target[2], 0)
    ws.taskStep.target(-Math.PI, -1, 0)
    assert.strictEqual(ws.target[2], 1)
    ws.taskStep.target(0, 1, 0)
    assert.strictEqual(ws.target[2], 1)
  })
})

/** A BCI workspace on the TypeScript kernels, no noise, learning from step 1. */
const bciWorkspace = (settings: Record<string, number> = {}) => {
  const task = taskModels.bci
  const params: ModelParams = {
    ...defaultModelParams(task),
    settings: taskSettings(task, settings),
    transientSeconds: 0,
    trialSeconds: 0.1
  }
  const rng = stream(5, "tasks/bci")
  const network = initNetwork(params, () => rng.uniformDouble())
  return { ws: new Workspace(params, cloneNetwork(network), threeFactor, task, zeroNoise, "js"), params, network }
}

describe("bci (README §10.4)", () => {
  it("rewards an output strictly inside (bciLow, bciHigh): the bounds themselves and beyond are not", () => {
    const { ws } = bciWorkspace({ bciLow: -0.002, bciHigh: 0.003 })
    const reward = (o: number) => {
      ws.output[0] = o
      return ws.taskStep.record()
    }
    const modulator = (z: number) => {
      ws.decoded[0] = z
      return ws.taskStep.modulator()
    }
    for (const f of [reward, modulator]) {
      assert.strictEqual(f(0), 1)
      assert.strictEqual(f(0.003), 0, "the upper bound is open")
      assert.strictEqual(f(0.003 - 1e-12), 1)
      assert.strictEqual(f(0.0031), 0, "above the window")
      assert.strictEqual(f(-0.002), 0, "the lower bound is open")
      assert.strictEqual(f(-0.002 + 1e-12), 1)
      assert.strictEqual(f(-0.5), 0)
    }
  })

  it("feeds back s_t = D·r_{t−1} and drives step t with C·s_{t−1} (the two-step delay)", () => {
    const { ws, params } = bciWorkspace()
    const { N, dt } = params
    const S = 8
    ws.startTrial(new Float64Array(S), zeroNoise, false)
    assert.strictEqual(ws.input[0], 0, "s_0 = 0")
    let previousInput = 0
    for (let t = 1; t < S; t++) {
      const rp = Float64Array.from(ws.rates)
      step(ws, t)
      // (a) s_t = D·r_{t−1}.
      assert.approximately(ws.input[0]!, dot(ws.decoder, rp), 1e-15, `s_${t}`)
      // (c) r^u_t = r_p + (nl + W r_p + C s_{t−1} + b)·dt, with s_{t−1} the previous step's input.
      for (let i = 0; i < N; i++) {
        const nl = -inverseNonlinearity(rp[i]!, params.beta, params.alpha, params.gamma, params.nonlinearity) / params.R
        const drdt = nl + dot(ws.weights, rp, i * N, N) + ws.inputWeights[i]! * previousInput + ws.biases[i]!
        assert.approximately(ws.unclamped[i]!, rp[i]! + drdt * dt, 1e-12, `r^u_${t},${i}`)
      }
      previousInput = ws.input[0]!
    }
  })

  it("learns W, b, C from the reward alone and never touches the decoder; an unrewarded step only decays", () => {
    const { ws, params, network } = bciWorkspace({ bciLow: 10, bciHigh: 11 }) // never rewarded
    ws.startTrial(new Float64Array(3), zeroNoise, true)
    const W = Float64Array.from(ws.weights)
    step(ws, 1)
    assert.strictEqual(ws.modulator, 0)
    const sW = params.dt * params.annealConst * params.learningRate
    for (let k = 0; k < W.length; k++) assert.approximately(ws.weights[k]!, W[k]! - sW * params.weightL2 * W[k]!, 1e-16)
    assert.deepStrictEqual(Array.from(ws.decoder), Array.from(network.decoder))
  })

  it("has its own learning-rate scale (×10 the estimation task's for W, b, C), documented in its module", () => {
    const e = taskModels.estimation.defaults
    const b = taskModels.bci.defaults
    assert.strictEqual(b.learningRate / e.learningRate, 10)
    assert.strictEqual(b.learningRateBias / e.learningRateBias, 10)
    assert.strictEqual(b.learningRateInput / e.learningRateInput, 10)
  })
})
