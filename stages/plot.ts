/**
 * `plot`: the experiment's figures as SVG artifacts (src/figures via stages/figureSet.ts), and the
 * report content (captions, key numbers, the per-angle table) as its JSON result. Two variants
 * with the node name `plot`: after training (`plot-experiment`: before/after panels and the
 * learning curve) and for a loaded network (`plot-pretrained`).
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as NdArray from "../src/engine/NdArray.js"
import * as Stage from "../src/engine/Stage.js"
import { defaultModelParams } from "../src/model/params.js"
import { analyze, asSummary } from "./analyze.js"
import type { Analyzed, FigureInputs } from "./figureSet.js"
import type { Details } from "./tasks/analyzeRecording.js"
import { train } from "./train.js"

const PlotParams = Schema.Struct({
  task: Schema.Literal("estimation", "classification"),
  /** Trial length (s), for the learning curve's caption. */
  trialSeconds: Schema.Number
})

/** The report content (stages/figureSet.ts `ReportContent`) as JSON. */
const ReportContent = Schema.Struct({
  title: Schema.String,
  subtitle: Schema.String,
  keyNumbers: Schema.Array(Schema.Struct({ label: Schema.String, value: Schema.Union(Schema.Number, Schema.String) })),
  table: Schema.Struct({
    caption: Schema.String,
    columns: Schema.Array(Schema.String),
    rows: Schema.Array(Schema.Array(Schema.Union(Schema.Number, Schema.String)))
  }),
  figures: Schema.Array(Schema.Struct({ file: Schema.String, caption: Schema.String, section: Schema.String }))
})

type AnalysisUpstream = Stage.Upstream<Stage.OutputOf<typeof analyze>>

const analyzed = (u: AnalysisUpstream) =>
  u
    .readText("details.json")
    .pipe(Effect.map((text): Analyzed => ({ summary: asSummary(u.result), details: JSON.parse(text) as Details })))

const sampleSeconds = (task: FigureInputs["task"]) => {
  const m = defaultModelParams(task)
  return m.dt * m.recordEvery
}

/** Plot every TRACE_STRIDE-th recorded sample of the training traces (the figure's resolution). */
const TRACE_STRIDE = 4

/**
 * The last training trials' output and target (`train`'s K × targetDim × samples arrays) as one
 * series per output dimension, trial after trial, every TRACE_STRIDE-th sample.
 */
const lastTrials = (outputs: NdArray.NdArray, targets: NdArray.NdArray, trials: number) => {
  const [K = 0, targetDim = 0, samples = 0] = outputs.shape
  const series = (a: NdArray.NdArray) =>
    Array.from({ length: targetDim }, (_, d) => {
      const row: Array<number> = []
      for (let k = 0; k < K; k++) {
        const base = (k * targetDim + d) * samples
        for (let n = 0; n < samples; n += TRACE_STRIDE) row.push(a.data[base + n]!)
      }
      return row
    })
  return {
    firstTrial: trials - K + 1,
    trials: K,
    stride: TRACE_STRIDE,
    outputs: series(outputs),
    targets: series(targets)
  }
}

/** Draws the figures, writes each as an SVG artifact, returns the report content. */
const draw = <E>(input: FigureInputs, writeText: (file: string, svg: string) => Effect.Effect<void, E>) =>
  Effect.gen(function* () {
    // d3 and jsdom load only when figures are drawn (the fingerprint follows the dynamic import).
    const { experimentFigures } = yield* Effect.promise(() => import("./figureSet.js"))
    const { svgs, content } = yield* Effect.sync(() => experimentFigures(input))
    for (const [file, svg] of Object.entries(svgs)) yield* writeText(file, svg)
    return content
  })

export const plotExperiment = Stage.make({
  name: "plot-experiment",
  module: import.meta.url,
  description: "Draws the figures of a training experiment (before and after learning).",
  params: PlotParams,
  inputs: { analysis: analyze, analysisInitial: analyze, training: train },
  output: ReportContent,
  run: (ctx) =>
    Effect.gen(function* () {
      const trained = yield* analyzed(ctx.inputs.analysis)
      const initial = yield* analyzed(ctx.inputs.analysisInitial)
      const t = ctx.inputs.training.result
      const outputs = yield* ctx.inputs.training.readArray("last-outputs.npy")
      const targets = yield* ctx.inputs.training.readArray("last-targets.npy")
      return yield* draw(
        {
          task: ctx.params.task,
          trained,
          initial,
          training: {
            rule: t.rule,
            objectiveMean: t.objectiveMean,
            trialSeconds: ctx.params.trialSeconds,
            lastTrials: lastTrials(outputs, targets, t.trials)
          },
          sampleSeconds: sampleSeconds(ctx.params.task),
          label: `trained with the ${t.rule} rule`
        },
        ctx.writeText
      )
    })
})

export const plotPretrained = Stage.make({
  name: "plot-pretrained",
  module: import.meta.url,
  description: "Draws the figures of a loaded (pretrained) network.",
  params: PlotParams,
  inputs: { analysis: analyze },
  output: ReportContent,
  run: (ctx) =>
    Effect.gen(function* () {
      const trained = yield* analyzed(ctx.inputs.analysis)
      return yield* draw(
        {
          task: ctx.params.task,
          trained,
          sampleSeconds: sampleSeconds(ctx.params.task),
          label: "loaded network"
        },
        ctx.writeText
      )
    })
})
