import { assert, describe, it } from "vitest"
import {
  inputFromAngle,
  preferredAngles,
  sampleTestSchedule,
  sampleTrainingAngles,
  scheduleToAngles
} from "../../src/model/inputs.js"
import { cloneNetwork, initNetwork, type Network } from "../../src/model/network.js"
import { type ModelParams, recordedSteps, steps } from "../../src/model/params.js"
import { stream } from "../../src/model/random.js"
import { threeFactor } from "../../src/model/rules/threeFactor.js"
import { inverseNonlinearity } from "../../src/model/step.js"
import { defaultParams, getTask } from "../../src/model/tasks/index.js"
import { allocateRecords, runTestTrial } from "../../src/model/trial.js"
import { testTrial, trainTrial } from "../../src/model/trialWorker.js"
import { streamNoise, Workspace } from "../../src/model/workspace.js"

const softplus = (u: number, p: ModelParams) => p.beta * Math.log(1 + Math.exp(p.alpha + p.gamma * u))

/** A short estimation run: 3 s trials (300 steps), learning from 1 s. */
const shortParams = (task: "estimation" | "classification" = "estimation"): ModelParams => ({
  ...defaultParams(task),
  trialSeconds: 3,
  transientSeconds: 1,
  switchSeconds: 1
})

const freshNetwork = (p: ModelParams, seed = 3): Network => {
  const rng = stream(seed, "init/weights")
  return initNetwork(p, () => rng.uniformDouble())
}

const bitsEqual = (a: Float64Array | Float32Array, b: Float64Array | Float32Array) =>
  a.length === b.length && a.every((x, k) => Object.is(x, b[k]))

describe("inputs", () => {
  it("preferred angles are numpy's arange(−π, π, 2π/12), quirks included (§3.1)", () => {
    const a = preferredAngles()
    assert.strictEqual(a.length, 12)
    assert.strictEqual(a[0], -Math.PI)
    assert.strictEqual(a[3], -1.570796326794897)
    assert.strictEqual(a[6], -8.881784197001252e-16)
    assert.strictEqual(a[11], 2.617993877991493)
  })

  it("s(θ) is the ReLU of the projection onto the preferred directions", () => {
    const s = inputFromAngle(0.3, new Float64Array(12))
    const a = preferredAngles()
    for (let k = 0; k < 12; k++) assert.closeTo(s[k]!, Math.max(0, Math.cos(a[k]! - 0.3)), 1e-15)
    assert.strictEqual(s.filter((x) => x > 0).length, 6)
  })

  it("the test schedule draws preferred angles and holds each for P_sw steps (§3.3)", () => {
    const p = shortParams()
    const schedule = sampleTestSchedule(p, 9, 4)
    assert.strictEqual(schedule.length, 4 * 3)
    const grid = Array.from(preferredAngles())
    for (const a of schedule) assert.include(grid, a)
    const theta = scheduleToAngles(p, schedule.subarray(3, 6))
    assert.strictEqual(theta.length, 300)
    assert.strictEqual(theta[0], schedule[3])
    assert.strictEqual(theta[99], schedule[3])
    assert.strictEqual(theta[100], schedule[4])
    assert.strictEqual(theta[299], schedule[5])
  })

  it("training angles stay in [−π, π] and depend on the trial index only", () => {
    const p = shortParams()
    const a = sampleTrainingAngles(p, 1, 5)
    assert.strictEqual(a.length, steps(p))
    for (const x of a) assert.isTrue(x >= -Math.PI && x <= Math.PI)
    assert.isTrue(bitsEqual(a, sampleTrainingAngles(p, 1, 5)))
    assert.isFalse(bitsEqual(a, sampleTrainingAngles(p, 1, 6)))
  })
})

describe("dynamics", () => {
  it("the inverse nonlinearity inverts the softplus, and overflows above r ≈ 23.66 (quirk 14)", () => {
    const p = defaultParams("estimation")
    for (const r of [0.001, 0.01, 0.1, 0.5, 1, 2, 5, 10, 20, 23.6]) {
      const u = inverseNonlinearity(r, p.beta, p.alpha, p.gamma)
      assert.closeTo(softplus(u, p) / r, 1, 1e-12, `r = ${r}`)
    }
    assert.strictEqual(inverseNonlinearity(23.7, p.beta, p.alpha, p.gamma), Number.POSITIVE_INFINITY)
  })

  it("one neuron with W = C = 0 and tiny noise settles at r* = softplus(R·b)", () => {
    const p: ModelParams = { ...defaultParams("estimation"), N: 1, sigma: 1e-6, trialSeconds: 60 }
    const b = 0.05
    const network: Network = {
      N: 1,
      inputDim: 12,
      targetDim: 2,
      weights: new Float64Array(1),
      inputWeights: new Float64Array(12),
      biases: Float64Array.of(b),
      decoder: new Float64Array(2)
    }
    const ws = new Workspace(p, network, threeFactor, getTask(p.task))
    const angles = new Float64Array(steps(p))
    runTestTrial(ws, p, { angles, noise: streamNoise(stream(1, "fixed-point"), p.dt) })
    const expected = softplus(p.R * b, p) // g(r*) = R·b
    assert.closeTo(ws.rates[0]!, expected, 1e-5)
    assert.isAbove(Math.abs(p.r0 - expected), 0.03) // it did move from r_0
  })

  it("records every recordEvery-th step from step 0 (§4.4)", () => {
    const p = shortParams()
    const network = freshNetwork(p)
    const ws = new Workspace(p, network, threeFactor, getTask(p.task))
    const records = allocateRecords(p, { rates: true, precision: 64 })
    const n = recordedSteps(p)
    const seen: Array<{ t: number; r: number; o: number; y: number; s: number; obj: number }> = []
    const angles = scheduleToAngles(p, sampleTestSchedule(p, 2, 1))
    runTestTrial(ws, p, {
      angles,
      noise: streamNoise(stream(2, "test/trial/0/noise"), p.dt),
      records,
      previousObjective: -0.5,
      observer: (w, t) => {
        if (t % p.recordEvery === 0) {
          seen.push({ t, r: w.rates[7]!, o: w.output[1]!, y: w.target[1]!, s: w.input[4]!, obj: w.objective })
        }
      }
    })
    assert.strictEqual(seen.length, n)
    for (const [k, v] of seen.entries()) {
      assert.strictEqual(records.rates![7 * n + k], v.r)
      assert.strictEqual(records.outputs[n + k], v.o)
      assert.strictEqual(records.targets[n + k], v.y)
      assert.strictEqual(records.inputs[4 * n + k], v.s)
      assert.strictEqual(records.objective[k], v.obj)
    }
    // Step 0: r_0, o = y = 0, the carried-over objective (quirk 3, §4 item 5).
    assert.strictEqual(records.rates![0], p.r0)
    assert.strictEqual(records.outputs[0], 0)
    assert.strictEqual(records.targets[0], 0)
    assert.strictEqual(records.objective[0], -0.5)
  })
})

describe("worker tasks", () => {
  const p = shortParams()
  const base = freshNetwork(p)
  const train = (seed: number) =>
    trainTrial(
      {
        network: base,
        params: p,
        ruleId: "three-factor",
        seed,
        trial: 4,
        angles: sampleTrainingAngles(p, seed, 4)
      },
      threeFactor,
      getTask(p.task)
    )

  it("a training trial is bit-identical with the same seed and differs with another", () => {
    const a = train(17)
    const b = train(17)
    const c = train(18)
    assert.isTrue(bitsEqual(a.network.weights, b.network.weights))
    assert.isTrue(bitsEqual(a.network.decoder, b.network.decoder))
    assert.isTrue(bitsEqual(a.objective, b.objective))
    assert.strictEqual(a.objectiveMean, b.objectiveMean)
    assert.isFalse(bitsEqual(a.network.weights, c.network.weights))
    assert.isFalse(bitsEqual(a.objective, c.objective))
    // The input network is not modified; learning did change the copy.
    assert.isTrue(bitsEqual(base.weights, freshNetwork(p).weights))
    assert.isFalse(bitsEqual(a.network.weights, base.weights))
    assert.strictEqual(a.objective.length, recordedSteps(p))
    assert.strictEqual(a.outputs.length, 2 * recordedSteps(p))
  })

  it("a test trial is bit-identical with the same seed, differs with another, and leaves the network alone", () => {
    const schedule = sampleTestSchedule(p, 5, 2).subarray(3, 6)
    const run = (seed: number) => testTrial({ network: base, params: p, seed, trial: 1, schedule }, getTask(p.task))
    const before = cloneNetwork(base)
    const a = run(5)
    const b = run(5)
    const c = run(6)
    assert.isTrue(bitsEqual(a.rates, b.rates))
    assert.isFalse(bitsEqual(a.rates, c.rates))
    assert.strictEqual(a.rates.length, p.N * recordedSteps(p))
    assert.isTrue(bitsEqual(before.weights, base.weights))
    assert.isTrue(bitsEqual(before.decoder, base.decoder))
  })

  it("classification tasks run too (logistic outputs in (0, 1), binary targets)", () => {
    const q = shortParams("classification")
    const out = testTrial(
      { network: freshNetwork(q), params: q, seed: 1, trial: 0, schedule: sampleTestSchedule(q, 1, 1) },
      getTask(q.task)
    )
    for (const o of out.outputs) assert.isTrue(o >= 0 && o <= 1)
    for (const y of out.targets.subarray(1)) assert.include([0, 1], y)
  })
})
