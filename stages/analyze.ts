/**
 * `analyze`: the analyses of a test recording (src/analysis). The JSON result is the summary the
 * report shows (`testMse` and `mseByAngle` for estimation; `accuracy`, `logLikelihood` and their
 * by-angle lists for classification; prior-weighted error, decoder-aligned noise, PCA…); the
 * artifact `details.json` holds what `plot` draws (tuning curves, correlation matrices, output
 * subsamples, …), so a figure change reruns neither the simulation nor the analyses.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Recording, Summary } from "../src/analysis/index.js"
import * as Stage from "../src/engine/Stage.js"
import type { Task } from "../src/model/params.js"
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

export const analyze = Stage.make({
  name: "analyze",
  module: import.meta.url,
  description: "Analyzes a test recording: error by angle, tuning, noise correlations, PCA, …",
  params: Schema.Struct({ task: Schema.Literal("estimation", "classification") }),
  inputs: { recording: test },
  output: SummaryJson,
  run: (ctx) =>
    Effect.gen(function* () {
      const rec = ctx.inputs.recording
      const read = (name: string) => rec.readArray(name).pipe(Effect.map((a) => a.data as Float32Array))
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
        decoder: Float64Array.from(rec.result.decoder.flat())
      }
      const { summary, details } = yield* ctx.runTask<typeof analyzeRecording>(yield* analyzeTask, recording)
      yield* ctx.writeText("details.json", JSON.stringify(details))
      return summary as unknown as typeof SummaryJson.Type
    })
})
