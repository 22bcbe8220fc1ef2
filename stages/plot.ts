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
import { Finite, type ModelParams, Positive } from "../src/model/params.js"
import { analyze, asSummary } from "./analyze.js"
import type { Analyzed, FigureInputs } from "./figureSet.js"
import { sampleInputs } from "./sampleInputs.js"
import type { Details } from "./tasks/analyzeRecording.js"
import { train } from "./train.js"

/**
 * What the figures read of the run's parameters (the prior and the test grid come with the
 * analyses, whose settings are the run's): nothing is taken from a default.
 */
export const PlotParams = Schema.Struct({
  task: Schema.Literal("estimation", "classification"),
  /** Trial length (s), for the learning curve's caption. */
  trialSeconds: Positive,
  /** Seconds per recorded sample: dt · recordEvery. */
  dt: Positive,
  recordEvery: Schema.Number.pipe(Schema.int(), Schema.positive()),
  /** `theta_thresh`, `theta_thresh_rev`: the classifier's class boundaries, drawn as dashed lines. */
  thetaThresh: Finite,
  thetaThreshRev: Finite,
  /** The rate function r = f(u) (README §9.6) and its constants, and the rate clamp, for the F–I curve. */
  nonlinearity: Schema.Literal("softplus", "sigmoid", "linear"),
  alpha: Finite,
  beta: Positive,
  gamma: Positive,
  rLow: Positive,
  rHigh: Positive
})

/** The `plot` params of a run, from its model parameters. */
export const plotParams = (
  model: Pick<
    ModelParams,
    | "task"
    | "trialSeconds"
    | "dt"
    | "recordEvery"
    | "thetaThresh"
    | "thetaThreshRev"
    | "alpha"
    | "beta"
    | "gamma"
    | "rLow"
    | "rHigh"
    | "nonlinearity"
  >
): typeof PlotParams.Type => ({
  task: model.task,
  trialSeconds: model.trialSeconds,
  dt: model.dt,
  recordEvery: model.recordEvery,
  thetaThresh: model.thetaThresh,
  thetaThreshRev: model.thetaThreshRev,
  nonlinearity: model.nonlinearity,
  alpha: model.alpha,
  beta: model.beta,
  gamma: model.gamma,
  rLow: model.rLow,
  rHigh: model.rHigh
})

/** The boundaries drawn: θ_thresh, θ_thresh_rev, and +π too when θ_thresh_rev is −π (the same point). */
const classBoundaries = (p: typeof PlotParams.Type) => {
  const list = [p.thetaThresh, p.thetaThreshRev]
  if (Math.abs(p.thetaThreshRev + Math.PI) < 1e-12) list.push(Math.PI)
  return list
}

/** The figure inputs every plot variant shares. */
const common = (p: typeof PlotParams.Type) => ({
  task: p.task,
  sampleSeconds: p.dt * p.recordEvery,
  classBoundaries: classBoundaries(p),
  rateFunction: {
    nonlinearity: p.nonlinearity,
    alpha: p.alpha,
    beta: p.beta,
    gamma: p.gamma,
    rLow: p.rLow,
    rHigh: p.rHigh
  }
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

/** `sample-inputs`' counts of the training angles (equal bins over [−π, π]) as a density histogram. */
const angleHistogram = (counts: ReadonlyArray<number>) => {
  const bins = counts.length
  const width = (2 * Math.PI) / bins
  const total = counts.reduce((a, b) => a + b, 0)
  return {
    edges: Array.from({ length: bins + 1 }, (_, k) => (k === bins ? Math.PI : -Math.PI + k * width)),
    density: counts.map((c) => (total > 0 ? c / (total * width) : 0)),
    total
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
  inputs: { analysis: analyze, analysisInitial: analyze, training: train, stimuli: sampleInputs },
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
          ...common(ctx.params),
          trained,
          initial,
          training: {
            rule: t.rule,
            objectiveMean: t.objectiveMean,
            trialSeconds: ctx.params.trialSeconds,
            lastTrials: lastTrials(outputs, targets, t.trials),
            angleHistogram: angleHistogram(ctx.inputs.stimuli.result.histogram)
          },
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
      return yield* draw({ ...common(ctx.params), trained, label: "loaded network" }, ctx.writeText)
    })
})
