/**
 * The reference's other two objectives as experiments (issue #18 §3) and the BCI perturbation
 * experiment (issue #19), at small settings, run in-process by the engine: what each reports, what
 * it must not change (a BCI decoder), what it refuses by name, an interrupted closed-loop training
 * resumed bit-identically, and the perturbation study's geometry on the recording it calibrated.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import { bciPerturbation } from "../../pipelines/bciPerturbation.js"
import { experimentParams } from "../../pipelines/experiment.js"
import { bci, mixed } from "../../pipelines/experiments.js"
import { outsideShare } from "../../src/analysis/perturbation.js"
import { run, tempDir } from "../engine/helpers.js"

const result = (cache: string, key: string) => JSON.parse(readFileSync(join(cache, key, "result.json"), "utf8"))
const keyOf = (p: { nodes: ReadonlyArray<{ name: string; key: string }> }, name: string) =>
  p.nodes.find((n) => n.name === name)!.key
type Metrics = { scalars: Array<{ name: string; value: number | null }>; series: Array<{ name: string }> }
const scalar = (m: Metrics, name: string) => m.scalars.find((s) => s.name === name)?.value

describe("mixed (issue #18)", () => {
  it.live("reports both readouts: test MSE and accuracy, by angle, before and after learning", () =>
    Effect.gen(function* () {
      const cache = tempDir("mixed")
      const sets = ["trainTrials=2", "testTrials=2", "trialSeconds=5", "switchSeconds=1", "transientSeconds=1"]
      const { plan, status } = yield* run(mixed, sets, cache)
      assert.isTrue(Object.values(status).every((s) => s === "ran"))
      const summary = result(cache, keyOf(plan, "analyze"))
      assert.strictEqual(summary.task, "mixed")
      assert.isNumber(summary.testMse)
      assert.isNumber(summary.accuracy)
      // Per test angle shown (10 presentations draw up to 10 of the 12 angles), for both readouts.
      assert.isAbove(summary.mseByAngle.length, 0)
      assert.deepStrictEqual(
        summary.accuracyByAngle.map((e: { angle: number }) => e.angle),
        summary.mseByAngle.map((e: { angle: number }) => e.angle)
      )
      const metrics: Metrics = result(cache, keyOf(plan, "metrics"))
      for (const name of ["testMse", "accuracy", "initialTestMse", "initialAccuracy", "finalObjective"]) {
        assert.isNumber(scalar(metrics, name), name)
      }
      assert.includeMembers(
        metrics.series.map((s) => s.name),
        ["errorByAngle", "classErrorByAngle", "learningCurve"]
      )
      // Both readouts' figures are in the report.
      const figures = plan.nodes.map((n) => n.name).filter((n) => n.startsWith("figure-"))
      assert.includeMembers(figures, [
        "figure-output-clouds",
        "figure-error-by-angle",
        "figure-class-error-by-angle",
        "figure-lda"
      ])
    })
  )

  it("refuses the estimation switch normalizeOutput, by name", () => {
    const decoded = Schema.decodeUnknownEither(experimentParams("mixed"))({ normalizeOutput: true })
    assert.isTrue(Either.isLeft(decoded))
    if (Either.isLeft(decoded)) {
      assert.include(decoded.left.message, "normalizeOutput")
      assert.include(decoded.left.message, "is an estimation switch; the mixed objective does not read it")
    }
  })
})

describe("bci (issue #18)", () => {
  const sets = ["trainTrials=3", "testTrials=2", "trialSeconds=5", "transientSeconds=1"]

  it.live("reports the reward rate before and after, never changes the decoder, has no stimulus stages", () =>
    Effect.gen(function* () {
      const cache = tempDir("bci")
      const { plan } = yield* run(bci, sets, cache)
      const names = plan.nodes.map((n) => n.name)
      assert.notInclude(names, "sample-inputs")
      assert.notInclude(names, "test-schedule")
      const metrics: Metrics = result(cache, keyOf(plan, "metrics"))
      for (const name of ["rewardRate", "initialRewardRate", "finalObjective"]) {
        const v = scalar(metrics, name)
        assert.isTrue(typeof v === "number" && v >= 0 && v <= 1, `${name} = ${v}`)
      }
      const initial = result(cache, keyOf(plan, "init")).network
      const trained = result(cache, keyOf(plan, "train")).network
      assert.deepStrictEqual(trained.decoder, initial.decoder)
      assert.notDeepEqual(trained.weights, initial.weights)
    })
  )

  it("refuses decoder-only by name (its decoder is fixed) and a window that is not one", () => {
    const decode = Schema.decodeUnknownEither(experimentParams("bci"))
    const onlyDecoder = decode({ rule: "decoder-only" })
    assert.isTrue(Either.isLeft(onlyDecoder))
    if (Either.isLeft(onlyDecoder)) assert.match(onlyDecoder.left.message, /decoder-only learns only the decoder/)
    const window = decode({ bciLow: 0.02, bciHigh: 0.01 })
    assert.isTrue(Either.isLeft(window))
    if (Either.isLeft(window)) assert.match(window.left.message, /bciHigh/)
    assert.isTrue(Either.isRight(decode({ rule: "node-perturbation" })))
  })

  it.live("an interrupted closed-loop training resumes from its checkpoint, bit-identical", () =>
    Effect.gen(function* () {
      const long = ["trainTrials=6", "testTrials=1", "trialSeconds=5", "transientSeconds=1"]
      const reference = yield* run(bci, long, tempDir("bci-ref"))
      const cache = tempDir("bci-resume")
      // Interrupt once the training has written a checkpoint (wherever that lands).
      const fiber = yield* Effect.fork(run(bci, long, cache))
      const { existsSync, readdirSync } = yield* Effect.promise(() => import("node:fs"))
      const checkpoints = join(cache, ".checkpoints")
      for (let i = 0; i < 600 && !(existsSync(checkpoints) && readdirSync(checkpoints).length > 0); i++) {
        yield* Effect.sleep("50 millis")
      }
      yield* Fiber.interrupt(fiber)
      const resumed = yield* run(bci, long, cache)
      assert.include(["resumed", "ran", "cached"], resumed.status.train)
      const digest = (r: typeof reference) => Object.fromEntries(r.report.stages.map((s) => [s.name, s.outputDigest]))
      assert.deepStrictEqual(digest(resumed), digest(reference))
    })
  )
})

describe("bci-perturbation (issue #19), small settings", () => {
  it.live("perturbs within and outside the calibrated manifold, its three conditions sharing what precedes", () =>
    Effect.gen(function* () {
      const cache = tempDir("perturbation")
      const sets = [
        "trialSeconds=5",
        "transientSeconds=1",
        "calibrationTrials=2",
        "intuitiveTrials=3",
        "adaptTrials=3",
        "testTrials=1",
        "candidates=3",
        "candidateTrials=1"
      ]
      const runs = {
        none: yield* run(bciPerturbation, [...sets, "perturbation=none"], cache),
        within: yield* run(bciPerturbation, [...sets, "perturbation=within"], cache),
        outside: yield* run(bciPerturbation, [...sets, "perturbation=outside"], cache)
      }
      // The calibration, the intuitive phase and the candidates are one computation for the three.
      for (const name of ["test-initial", "intuitive-decoder", "train-intuitive", "perturbations"]) {
        assert.strictEqual(keyOf(runs.within.plan, name), keyOf(runs.none.plan, name), name)
        assert.strictEqual(keyOf(runs.outside.plan, name), keyOf(runs.none.plan, name), name)
        assert.strictEqual(runs.outside.status[name], "cached", name)
      }
      assert.notStrictEqual(keyOf(runs.within.plan, "train-adapt"), keyOf(runs.outside.plan, "train-adapt"))

      // The decoders: the intuitive one and the within perturbation lie in the calibrated manifold's
      // span, the outside one does not (numerically, on the axes the stage found).
      const intuitive = result(cache, keyOf(runs.none.plan, "intuitive-decoder"))
      const axes: Array<Array<number>> = intuitive.axes
      assert.isAtLeast(intuitive.k, 2)
      const chosen = result(cache, keyOf(runs.none.plan, "perturbations"))
      assert.isBelow(outsideShare(chosen.decoders.none, axes), 1e-10)
      assert.isBelow(outsideShare(chosen.decoders.within, axes), 1e-10)
      assert.isAbove(outsideShare(chosen.decoders.outside, axes), 0.1)
      assert.strictEqual(chosen.candidates.length, 6)

      // Each condition's adaptation starts from the trained network with its decoder.
      for (const condition of ["none", "within", "outside"] as const) {
        const adapted = result(cache, keyOf(runs[condition].plan, "perturbed-network")).network
        assert.deepStrictEqual(adapted.decoder[0], chosen.decoders[condition])
        const metrics: Metrics = result(cache, keyOf(runs[condition].plan, "perturbation-metrics"))
        for (const name of ["rewardRateIntuitive", "rewardRateAfterPerturbation", "rewardRateFinal"]) {
          assert.isNumber(scalar(metrics, name), `${condition} ${name}`)
        }
        if (condition === "none") assert.isNull(scalar(metrics, "recoveredFraction"))
        assert.strictEqual(scalar(metrics, "decoderOutsideShare")! > 0.1, condition === "outside")
      }
    })
  )
})
