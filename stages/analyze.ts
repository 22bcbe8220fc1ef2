/**
 * `analyze`: the analyses of a test recording (src/analysis). The JSON result is the summary the
 * report shows (`testMse` and `mseByAngle` for estimation; `accuracy`, `logLikelihood` and their
 * by-angle lists for classification; prior-weighted error, noise, energy, currents…); the
 * artifact `details.json` holds what `plot` draws (tuning curves, correlation matrices, output
 * subsamples, …), so a figure change reruns neither the simulation nor the analyses.
 *
 * The stage reads the run's own parameters, never a default: the prior (μ, κ), the class boundary
 * and the length of the transient after each test-stimulus switch that the noise statistics leave
 * out. How the recording was made (dt, recordEvery, switchSeconds) and the tested network (its
 * weights for energy and currents, its input dimension for the test grid) come with the recording.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Recording, Summary } from "../src/analysis/index.js"
import { analysisSettings } from "../src/analysis/settings.js"
import * as Stage from "../src/engine/Stage.js"
import { Finite, type ModelParams, Positive, type Task } from "../src/model/params.js"
import { fromJson } from "./networkFile.js"
import type { analyzeRecording } from "./tasks/analyzeRecording.js"
import { test } from "./test.js"

// The task module (and with it the analyses and mathjs) loads only when the stage runs, so listing
// or planning pipelines stays fast; the fingerprint follows the dynamic import.
const analyzeTask = Effect.promise(() => import("./tasks/analyzeRecording.js")).pipe(
  Effect.map(({ analyzeModule }) => ({ module: analyzeModule, export: "analyzeRecording" }))
)

/** The summary as JSON (src/analysis/summarize.ts documents every field). */
export const SummaryJson = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** The typed view of an `analyze` result. */
export const asSummary = (result: typeof SummaryJson.Type): Summary => result as unknown as Summary

/**
 * Seconds after each switch of the test stimulus that the noise statistics leave out: the
 * reference's window of 40 recorded samples × dt·recordEvery = 0.2 s (see `SwitchTransient` in
 * src/analysis/angleGroups.ts).
 */
export const REFERENCE_SWITCH_TRANSIENT_SECONDS = 8

export const AnalyzeParams = Schema.Struct({
  task: Schema.Literal("estimation", "classification"),
  /** `mu_in`, `kappa_in`: the nominal stimulus prior von Mises(μ, κ). */
  muIn: Finite,
  kappaIn: Positive,
  /** `theta_thresh`: the classifier's boundary, where d′ and LDA split the samples. */
  thetaThresh: Finite,
  /** Seconds after each switch left out of the noise statistics. */
  switchTransientSeconds: Schema.Number.pipe(Schema.finite(), Schema.nonNegative())
})

/** The `analyze` params of a run, from its model parameters. */
export const analyzeParams = (
  model: Pick<ModelParams, "task" | "muIn" | "kappaIn" | "thetaThresh">
): typeof AnalyzeParams.Type => ({
  task: model.task,
  muIn: model.muIn,
  kappaIn: model.kappaIn,
  thetaThresh: model.thetaThresh,
  switchTransientSeconds: REFERENCE_SWITCH_TRANSIENT_SECONDS
})

export const analyze = Stage.make({
  name: "analyze",
  module: import.meta.url,
  description: "Analyzes a test recording: error by angle, tuning, noise, energy, currents, …",
  params: AnalyzeParams,
  inputs: { recording: test },
  // The recording read whole (as the test wrote it), the analyses' per-sample work arrays about
  // as much again, and the structured clone the worker task receives.
  estimate: (_, { recording }) => ({ memoryBytes: 64 * 2 ** 20 + 3 * recording.diskBytes, diskBytes: 8 * 2 ** 20 }),
  output: SummaryJson,
  run: (ctx) =>
    Effect.gen(function* () {
      const rec = ctx.inputs.recording
      const read = (name: string) => rec.readArray(name).pipe(Effect.map((a) => a.data as Float32Array))
      const network = fromJson(rec.result.network)
      const recording: Recording = {
        task: ctx.params.task as Task,
        N: rec.result.N,
        targetDim: rec.result.targetDim,
        trials: rec.result.trials,
        samples: rec.result.samples,
        rates: yield* read("rates.npy"),
        outputs: yield* read("outputs.npy"),
        targets: yield* read("targets.npy"),
        angles: yield* read("angles.npy"),
        decoder: network.decoder
      }
      const { dt, recordEvery, switchSeconds } = rec.result
      const settings = analysisSettings({ ...ctx.params, inputDim: network.inputDim, dt, recordEvery, switchSeconds })
      const { summary, details } = yield* ctx.runTask<typeof analyzeRecording>(yield* analyzeTask, {
        recording,
        network: {
          N: network.N,
          inputDim: network.inputDim,
          weights: network.weights,
          inputWeights: network.inputWeights,
          biases: network.biases
        },
        settings
      })
      yield* ctx.writeText("details.json", JSON.stringify(details))
      return summary as unknown as typeof SummaryJson.Type
    })
})
