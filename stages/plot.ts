/**
 * `plot`: gathers what a run's report draws (src/report/inputs.ts `ReportInputs`) into one
 * artifact, `report-inputs.json`: the trained network's analysis, the untrained network's and the
 * training's when the run trained, the training stimuli's histogram, and the run's parameters
 * the figures state. Each figure is then its own node (stages/figure.ts) reading this file, and
 * `report` lays them out. Three variants with the node name `plot`, made per task by
 * {@link plotStages}: after a training with stimuli, after a closed-loop training, and for a
 * loaded network.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as NdArray from "../src/engine/NdArray.js"
import * as Stage from "../src/engine/Stage.js"
import { Finite, Nonlinearity, Positive } from "../src/model/params.js"
import { sampleInputs } from "./sampleInputs.js"
import { train } from "./train.js"

/**
 * What the figures read of the run's parameters and of its task (the prior and the test grid come
 * with the analyses, whose settings are the run's): nothing is taken from a default.
 */
export const PlotParams = Schema.Struct({
  task: Schema.String,
  /** Trial length (s), for the learning curve's caption. */
  trialSeconds: Positive,
  /** Seconds per recorded sample: dt · recordEvery. */
  dt: Positive,
  recordEvery: Schema.Number.pipe(Schema.int(), Schema.positive()),
  /** The class boundaries drawn dashed (a task with a class): θ_thresh, θ_thresh_rev, and π if that is −π. */
  classBoundaries: Schema.Array(Finite),
  /** The rate function r = f(u) (README §9.6) and its constants, and the rate clamp, for the F–I curve. */
  rateFunction: Schema.Struct({
    nonlinearity: Nonlinearity,
    alpha: Finite,
    beta: Positive,
    gamma: Positive,
    rLow: Positive,
    rHigh: Positive
  }),
  /** How the task names its outputs and objective (src/report/inputs.ts `TaskLabels`). */
  labels: Schema.Struct({
    outputs: Schema.Array(Schema.String),
    objective: Schema.String,
    objectiveNote: Schema.String
  })
})
export type PlotParams = typeof PlotParams.Type

/** The class boundaries a task with a class draws: θ_thresh, θ_thresh_rev, and +π too when that is −π. */
export const classBoundaries = (settings: Readonly<Record<string, unknown>>): Array<number> => {
  const { thetaThresh, thetaThreshRev } = settings
  if (typeof thetaThresh !== "number" || typeof thetaThreshRev !== "number") return []
  return [thetaThresh, thetaThreshRev, ...(Math.abs(thetaThreshRev + Math.PI) < 1e-12 ? [Math.PI] : [])]
}

/** What `plot` returns: which parts the report inputs hold (the figures that need the others are not planned). */
const PlotResult = Schema.Struct({
  task: Schema.String,
  initial: Schema.Boolean,
  training: Schema.Boolean,
  stimuli: Schema.Boolean,
  bytes: Schema.Number
})

/** The artifact every figure node reads. */
export const REPORT_INPUTS = "report-inputs.json"

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

/** An analysis upstream as report JSON: its summary (re-encoded) and its details file spliced in as it is. */
const analysed = <S, SI>(upstream: Stage.Upstream<S>, summary: Schema.Schema<S, SI, never>) =>
  upstream
    .readText("details.json")
    .pipe(
      Effect.map(
        (details) => `{"summary":${JSON.stringify(Schema.encodeSync(summary)(upstream.result))},"details":${details}}`
      )
    )

/** The report inputs' JSON text from its parts (each already JSON). */
const writeInputs = (
  params: PlotParams,
  parts: { trained: string; initial?: string; training?: unknown },
  label: string
) => {
  const fields: Array<string> = [
    `"task":${JSON.stringify(params.task)}`,
    `"trained":${parts.trained}`,
    ...(parts.initial !== undefined ? [`"initial":${parts.initial}`] : []),
    ...(parts.training !== undefined ? [`"training":${JSON.stringify(parts.training)}`] : []),
    `"sampleSeconds":${JSON.stringify(params.dt * params.recordEvery)}`,
    `"classBoundaries":${JSON.stringify(params.classBoundaries)}`,
    `"rateFunction":${JSON.stringify(params.rateFunction)}`,
    `"labels":${JSON.stringify(params.labels)}`,
    `"label":${JSON.stringify(label)}`
  ]
  return `{${fields.join(",")}}`
}

/** The task's `plot` stages (its analyze stage types the analyses they read). */
export const plotStages = <P, PI, I extends Stage.Inputs, S, SI>(
  analyze: Stage.Stage<"analyze", P, PI, I, S, SI, never>
) => {
  const summary = analyze.output
  const trainedRun = (
    ctx: {
      readonly params: PlotParams
      readonly inputs: {
        readonly analysis: Stage.Upstream<S>
        readonly analysisInitial: Stage.Upstream<S>
        readonly training: Stage.Upstream<Stage.OutputOf<typeof train>>
      }
      readonly writeText: (name: string, text: string) => Effect.Effect<void, unknown>
    },
    histogram: ReadonlyArray<number> | undefined
  ) =>
    Effect.gen(function* () {
      const t = ctx.inputs.training.result
      const outputs = yield* ctx.inputs.training.readArray("last-outputs.npy")
      const targets = yield* ctx.inputs.training.readArray("last-targets.npy")
      const text = writeInputs(
        ctx.params,
        {
          trained: yield* analysed(ctx.inputs.analysis, summary),
          initial: yield* analysed(ctx.inputs.analysisInitial, summary),
          training: {
            rule: t.rule,
            objectiveMean: t.objectiveMean,
            trialSeconds: ctx.params.trialSeconds,
            ...(t.trials > 0 ? { lastTrials: lastTrials(outputs, targets, t.trials) } : {}),
            ...(histogram !== undefined ? { angleHistogram: angleHistogram(histogram) } : {})
          }
        },
        `trained with the ${t.rule} rule`
      )
      yield* ctx.writeText(REPORT_INPUTS, text)
      return {
        task: ctx.params.task,
        initial: true,
        training: true,
        stimuli: histogram !== undefined,
        bytes: text.length
      }
    })
  return {
    /** After a training on sampled stimuli. */
    trained: Stage.make({
      name: "plot-experiment",
      module: import.meta.url,
      description: "Gathers what the report of a training experiment draws (before and after learning).",
      params: PlotParams,
      inputs: { analysis: analyze, analysisInitial: analyze, training: train, stimuli: sampleInputs },
      output: PlotResult,
      run: (ctx) => trainedRun(ctx, ctx.inputs.stimuli.result.histogram)
    }),
    /** After a closed-loop training (no stimuli). */
    closedLoop: Stage.make({
      name: "plot-experiment",
      module: import.meta.url,
      description: "Gathers what the report of a closed-loop training experiment draws (before and after learning).",
      params: PlotParams,
      inputs: { analysis: analyze, analysisInitial: analyze, training: train },
      output: PlotResult,
      run: (ctx) => trainedRun(ctx, undefined)
    }),
    /** For a loaded network. */
    pretrained: Stage.make({
      name: "plot-pretrained",
      module: import.meta.url,
      description: "Gathers what the report of a loaded (pretrained) network draws.",
      params: PlotParams,
      inputs: { analysis: analyze },
      output: PlotResult,
      run: (ctx) =>
        Effect.gen(function* () {
          const text = writeInputs(
            ctx.params,
            { trained: yield* analysed(ctx.inputs.analysis, summary) },
            "loaded network"
          )
          yield* ctx.writeText(REPORT_INPUTS, text)
          return { task: ctx.params.task, initial: false, training: false, stimuli: false, bytes: text.length }
        })
    })
  }
}
