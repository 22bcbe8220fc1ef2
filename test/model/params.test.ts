import * as Either from "effect/Either"
import { assert, describe, it } from "vitest"
import {
  decodeModelParams,
  firstLearningStep,
  parseModelParams,
  recordedSteps,
  steps,
  stimuliPerTrial,
  switchSteps
} from "../../src/model/params.js"
import { defaultParams, getTask } from "../../src/model/tasks/index.js"

const issuesOf = (input: unknown) => {
  const decoded = decodeModelParams(input, getTask("estimation"))
  assert.isTrue(Either.isLeft(decoded), "expected a decoding failure")
  return Either.isLeft(decoded) ? decoded.left : []
}

describe("ModelParams", () => {
  it("has the reference defaults of both tasks (README §2)", () => {
    const e = defaultParams("estimation")
    assert.deepInclude(e, { N: 40, targetDim: 2, weightL2: 0.0008, biasL2: 0.0048, inputWeightL2: 0.0048 })
    assert.deepInclude(e, { learningRate: 5e-6, learningRateDecoder: 5e-6, initialBias: 0, rho: 0.0015 })
    assert.deepInclude(e, { trialSeconds: 1000, trainTrials: 260, testTrials: 100, switchSeconds: 200 })
    assert.deepInclude(e, { transientSeconds: 40, recordEvery: 20, r0: 0.1, thetaObj: 5e-5, beta: 0.03333333333333333 })
    const c = defaultParams("classification")
    assert.deepInclude(c, { N: 25, targetDim: 1, weightL2: 0.001875, biasL2: 0.05, inputWeightL2: 0.0625 })
    assert.deepInclude(c, { learningRate: 1e-6, learningRateDecoder: 1e-8, initialBias: 0.7 })
    assert.strictEqual(c.settings.thetaThreshRev, -Math.PI)
    assert.deepStrictEqual(parseModelParams({ task: "classification" }, getTask("classification")), c)
  })

  it("derives S, P_sw, stim_num, records and the first learning step as the reference does", () => {
    const e = defaultParams("estimation")
    assert.strictEqual(steps(e), 100_000)
    assert.strictEqual(steps({ trialSeconds: 5, dt: 0.01 }), 500)
    assert.strictEqual(steps({ trialSeconds: 20, dt: 0.01 }), 2000)
    assert.strictEqual(switchSteps(e), 20_000)
    assert.strictEqual(stimuliPerTrial(e), 5)
    assert.strictEqual(recordedSteps(e), 5000)
    assert.strictEqual(recordedSteps({ trialSeconds: 5, dt: 0.01, recordEvery: 20 }), 25)
    assert.strictEqual(firstLearningStep(e), 4001)
    assert.strictEqual(firstLearningStep({ dt: 0.01, transientSeconds: 1 }), 101)
  })

  it("rejects a negative dt, a non-integer N and an unknown task, naming the path", () => {
    const dt = issuesOf({ task: "estimation", dt: -0.01 })
    assert.deepStrictEqual(
      dt.map((i) => i.path),
      ["dt"]
    )
    assert.match(dt[0]!.message, /positive/)
    const n = issuesOf({ N: 2.5 })
    assert.deepStrictEqual(
      n.map((i) => i.path),
      ["N"]
    )
    assert.match(n[0]!.message, /integer/)
    const task = issuesOf({ task: "regression" })
    assert.include(
      task.map((i) => i.path),
      "task"
    )
    assert.throws(() => parseModelParams({ dt: -1 }), /dt: .*positive/)
  })

  it("reports every bad field at once, and unknown fields", () => {
    const issues = issuesOf({ dt: 0, sigma: -1, nosuchParam: 1 })
    const paths = issues.map((i) => i.path).sort()
    assert.deepStrictEqual(paths, ["dt", "nosuchParam", "sigma"])
  })

  it("rejects rHigh ≤ rLow and a trial shorter than two steps", () => {
    assert.deepStrictEqual(
      issuesOf({ rLow: 1, rHigh: 0.5 }).map((i) => i.path),
      ["rHigh"]
    )
    assert.deepStrictEqual(
      issuesOf({ trialSeconds: 0.01 }).map((i) => i.path),
      ["trialSeconds"]
    )
  })
})
