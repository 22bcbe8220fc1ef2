/**
 * Whole trainings (issue #12): the first 5 trials of the reference's own from-scratch trainings
 * (`../shared/reference/full-runs/`), replayed through our model on numpy's streams, agree with the
 * file's snapshots (trials 1, 2, 5) and learning curve within 1e-10. Skipped where the files are
 * absent, failed under CI=true. Reading the protocol text, the parameters and the file's structure
 * is tested without the reference.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import { defaultParams } from "../../src/model/tasks/index.js"
import {
  compareFullRun,
  type FullRunFile,
  fullRunParams,
  parseFullRun,
  protocolOf,
  snapshotsOf
} from "../../src/replay/fullRun.js"
import { paramsFromReference, replayTraining } from "../../src/replay/training.js"
import { needsReference, referenceFullRuns } from "../helpers/reference.js"

const paths: Record<"estimation" | "classification", string> = {
  estimation: join(referenceFullRuns, "estimation-from-scratch.json"),
  classification: join(referenceFullRuns, "classification-from-scratch.json")
}
const load = (task: "estimation" | "classification") =>
  parseFullRun(JSON.parse(readFileSync(paths[task], "utf8")), paths[task])

describe.skipIf(!needsReference(Object.values(paths)))("the reference's own whole trainings, first 5 trials", () => {
  const expected = {
    estimation: {
      protocol: { seed: 120994, testCallTrials: 0, trainTrials: 260 },
      fields: ["norm_C", "norm_D", "norm_W", "norm_b", "obj_mean", "obj_mean_learning_steps"]
    },
    classification: {
      protocol: { seed: 120994, testCallTrials: 40, trainTrials: 260 },
      fields: ["accuracy", "ll_mean", "norm_C", "norm_D", "norm_W", "norm_b", "obj_mean", "obj_mean_learning_steps"]
    }
  }
  for (const task of ["estimation", "classification"] as const) {
    it(`${task}: snapshots and learning curve within 1e-10`, () => {
      const file = load(task)
      const protocol = protocolOf(file, paths[task])
      assert.deepStrictEqual(protocol, expected[task].protocol)
      const replay = replayTraining(fullRunParams(file, paths[task]), protocol, {
        trials: 5,
        keep: snapshotsOf(file).keys()
      })
      const comparison = compareFullRun(file, replay)
      assert.strictEqual(comparison.trials, 5)
      assert.deepStrictEqual(
        comparison.snapshots.map((s) => s.trial),
        [1, 2, 5]
      )
      assert.deepStrictEqual(Object.keys(comparison.learningCurve).sort(), expected[task].fields)
      // numpy's initialisation is exact; everything after it agrees to round-off.
      assert.deepStrictEqual(comparison.initial, { weights: 0, inputWeights: 0, biases: 0, decoder: 0 })
      for (const s of comparison.snapshots) {
        for (const [parameter, d] of Object.entries(s.parameters))
          assert.isAtMost(d, 1e-10, `trial ${s.trial} ${parameter}`)
        assert.isAtMost(s.learningCurve.obj_mean!, 1e-10, `trial ${s.trial} obj_mean`)
      }
      for (const [field, d] of Object.entries(comparison.learningCurve)) assert.isAtMost(d, 1e-10, field)
      assert.isAtMost(comparison.worst, 1e-10)

      // obj_mean includes index 0 (the previous trial's last objective): the classifier's ll_mean,
      // the same mean over t = 1 … S−1 only, is far from it in trial 2, as in the file.
      if (task === "classification") {
        const trial2 = replay.trials[1]!
        assert.isAbove(Math.abs(trial2.llMean! - file.learning_curve[1]!.obj_mean), 1e-7)
        assert.isAtMost(Math.abs(trial2.llMean! - file.learning_curve[1]!.ll_mean!), 1e-10)
      }

      // A file that moved by 1e-9 fails, in a snapshot's parameter or in a trial's obj_mean.
      const moved = structuredClone(file) as { -readonly [K in keyof FullRunFile]: FullRunFile[K] } & {
        snapshots: Record<string, { biases: Array<number> }>
        learning_curve: Array<{ obj_mean: number }>
      }
      moved.snapshots["5"]!.biases[3]! += 1e-9
      moved.learning_curve[3]!.obj_mean += 2e-9
      const perturbed = compareFullRun(moved as FullRunFile, replay)
      assert.closeTo(perturbed.snapshots[2]!.parameters.biases, 1e-9, 1e-10)
      assert.closeTo(perturbed.learningCurve.obj_mean!, 2e-9, 1e-10)
      assert.isAbove(perturbed.worst, 1e-9)
    })
  }
})

describe("reading a full-run file", () => {
  const estimationProtocol =
    "Initialisation as in section 6.1 (numpy seed 120994: …). The main script's first test call is SKIPPED: after " +
    "the W, C draws the very next draws are those of training trial 1. Training: ONE call " +
    "train_run(T, 0.1*ones(N), train=True, train_2=True, rt_input=True) with 260 trials; …"
  const classificationProtocol =
    "Initialisation: numpy seed 120994, … Then ONE test call with test_num = 40 (not the file's 100): choice of " +
    "40x5 stimuli from the 12 angles and 40 rate-noise arrays … Then the training: ONE call " +
    "train_run(T, 0.1*ones(N), train=True, train_2=True, rt_input=True) with 260 trials, …"
  const make = (
    task: "estimation" | "classification",
    protocol: string,
    params: Record<string, unknown> = {}
  ): FullRunFile => ({
    source: "test",
    task,
    protocol,
    what: "test",
    params: { T: 1000, trial_num_2: 260, ...params },
    input_params: { T: 1000, switch_period: 200 },
    initial: { weights: [], i_weights: [], biases: [], decoder: [] },
    snapshots: {},
    learning_curve: []
  })

  it("reads both documented protocols", () => {
    assert.deepStrictEqual(protocolOf(make("estimation", estimationProtocol), "e.json"), {
      seed: 120994,
      testCallTrials: 0,
      trainTrials: 260
    })
    assert.deepStrictEqual(protocolOf(make("classification", classificationProtocol), "c.json"), {
      seed: 120994,
      testCallTrials: 40,
      trainTrials: 260
    })
  })

  it("refuses a protocol it cannot replay exactly, naming the file", () => {
    const refuse = (protocol: string, message: RegExp, params: Record<string, unknown> = {}) =>
      assert.throws(() => protocolOf(make("classification", protocol, params), "x.json"), message)
    refuse(classificationProtocol.replace("numpy seed 120994", "seed 1"), /x\.json: the protocol names no numpy seed/)
    refuse(classificationProtocol.replace("ONE test call", "TWO test calls"), /cannot tell whether a test call/)
    refuse(`${classificationProtocol} The first test call is SKIPPED.`, /cannot tell whether a test call/)
    refuse(classificationProtocol.replace("40x5", "40x4"), /choice of 40x5 stimuli/)
    refuse(
      classificationProtocol.replace("with 260 trials", "with 100 trials"),
      /100 trials, params.trial_num_2 says 260/
    )
    refuse(classificationProtocol.replace("ONE call train_run", "a call to train_run"), /names no training call/)
  })

  it("takes the parameters from the file, under the reference's names", () => {
    const params = paramsFromReference(
      "classification",
      { N: 30, theta: 0.002, T: 20 },
      { kappa_in: 1.5, T: 20 },
      "p.json"
    )
    assert.strictEqual(params.N, 30)
    assert.strictEqual(params.rho, 0.002)
    assert.strictEqual(params.trialSeconds, 20)
    assert.strictEqual(params.kappaIn, 1.5)
    assert.strictEqual(params.learningRateDecoder, defaultParams("classification").learningRateDecoder)
    assert.throws(
      () => paramsFromReference("estimation", { sigma: "0.2" }, {}, "p.json"),
      /p\.json: params\.sigma must be a number/
    )
    assert.throws(
      () => paramsFromReference("estimation", { T: 1000 }, { T: 20 }, "p.json"),
      /input_params\.T \(20\) differs/
    )
  })

  it("checks the file's structure, naming the field", () => {
    const good = make("estimation", estimationProtocol)
    const bad = (change: Record<string, unknown>, message: RegExp) =>
      assert.throws(() => parseFullRun({ ...good, ...change }, "f.json"), message)
    assert.strictEqual(parseFullRun(good, "f.json"), good)
    bad({ task: "regression" }, /f\.json: task must be "estimation" or "classification"/)
    bad({ protocol: 3 }, /protocol must be a string/)
    bad({ snapshots: { "0": {} } }, /snapshots\.0: keys must be trial numbers/)
    bad({ learning_curve: [{ trial: 2, obj_mean: 0 }] }, /learning_curve\.0\.trial must be 1/)
    bad({ learning_curve: [{ trial: 1 }] }, /learning_curve\.0\.obj_mean must be a number/)
    bad(
      { learning_curve: [{ trial: 1, obj_mean: 0, accuracy: "0.5" }] },
      /learning_curve\.0\.accuracy must be a number/
    )
  })

  it("replays only the trials asked for, keeping copies of the networks", () => {
    // A short protocol (2 s trials) without the reference: kept networks are copies, not views.
    const params = paramsFromReference("estimation", { T: 2, transient: 1 }, {}, "short")
    const replay = replayTraining(params, { seed: 1, testCallTrials: 2, trainTrials: 5 }, { trials: 2, keep: [1] })
    assert.strictEqual(replay.trials.length, 2)
    assert.deepStrictEqual([...replay.kept.keys()], [1])
    assert.notDeepEqual(replay.kept.get(1)!.weights, replay.final.weights)
    assert.throws(() => replayTraining(params, { seed: 1, testCallTrials: 0, trainTrials: 5 }, { trials: 6 }), /0…5/)
  })
})
