/**
 * The stages of the BCI perturbation experiment (issue #19; src/analysis/perturbation.ts has the
 * geometry): the intuitive decoder from a calibration recording, the candidate perturbations and
 * the pair chosen, the network with the decoder of a condition, and the run's metrics. The rest is
 * the `bci` task's own stages: `init`, the closed-loop `test` (calibration and final test),
 * `train` (the intuitive phase and the adaptation), `analyze`.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Metrics } from "../src/analysis/aggregate.js"
import type * as ClosedLoop from "../src/analysis/closedLoop.js"
import {
  type Candidate,
  derangingPermutation,
  intuitiveDecoder,
  outsideManifold,
  outsideShare,
  selectPair,
  withinManifold
} from "../src/analysis/perturbation.js"
import type { BciDetails } from "../src/analysis/tasks/bci.js"
import type { BciSummary } from "../src/analysis/tasks/summaries/bci.js"
import { finalObjective } from "../src/analysis/tasks/summaries/common.js"
import * as Stage from "../src/engine/Stage.js"
import type { Network } from "../src/model/network.js"
import { stream } from "../src/model/random.js"
import { type testTrialTask, trialWorkerModule } from "../src/model/trialWorker.js"
import type { AnalyzeOf } from "./analyze.js"
import { MetricsJson } from "./metrics.js"
import { init, NetworkResult } from "./network.js"
import { fromJson, toJson } from "./networkFile.js"
import { Dynamics, modelOf, NonNegativeInt, PositiveInt } from "./params.js"
import { TaskModel } from "./taskService.js"
import { test } from "./test.js"
import { train } from "./train.js"

const TestTrial = { module: trialWorkerModule, export: "testTrialTask" } as const

/**
 * The closed-loop geometry (principal axes, angles, variance shares), loaded when a stage runs:
 * it pulls in mathjs, which the registry (and so every command) should not load.
 */
const loadClosedLoop = Effect.promise(() => import("../src/analysis/closedLoop.js"))

/** The network with another decoder (a copy). */
const withDecoder = (network: Network, decoder: ArrayLike<number>): Network => ({
  ...network,
  weights: Float64Array.from(network.weights),
  inputWeights: Float64Array.from(network.inputWeights),
  biases: Float64Array.from(network.biases),
  decoder: Float64Array.from(decoder)
})

/** The intuitive decoder's stage result: the calibrated network with it, and the manifold. */
const IntuitiveResult = Schema.Struct({
  ...NetworkResult.fields,
  /** The manifold's dimension k and its axes (k × N), the mean rate of the calibration. */
  k: PositiveInt,
  axes: Schema.Array(Schema.Array(Schema.Number)),
  mean: Schema.Array(Schema.Number),
  /** Every principal axis's variance on the calibration (descending). */
  eigenvalues: Schema.Array(Schema.Number),
  /** The factor readout w and the scale c: D = c·wQ. */
  weights: Schema.Array(Schema.Number),
  scale: Schema.Number,
  /** D·μ and √(DᵀΣD) on the calibration. */
  outputMean: Schema.Number,
  outputSd: Schema.Number
})

export const intuitiveDecoderStage = Stage.make({
  name: "intuitive-decoder",
  module: import.meta.url,
  description:
    "Finds the calibration's intrinsic manifold (principal axes above the noise floor) and builds the intuitive decoder inside it.",
  params: Schema.Struct({
    /** The manifold's dimension: "auto" (the noise-floor rule) or a number of axes. */
    dimension: Schema.Union(Schema.Literal("auto"), PositiveInt),
    /** The noise-floor rule: axes whose variance exceeds the median's by more than `margin`, kept between min and max. */
    margin: Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
    minDimension: PositiveInt,
    maxDimension: PositiveInt,
    /** The output's standard deviation on the calibration (the reward window's width by default). */
    outputSd: Schema.Number.pipe(Schema.finite(), Schema.positive())
  }),
  random: true,
  inputs: { network: init, calibration: test },
  output: IntuitiveResult,
  run: (ctx) =>
    Effect.gen(function* () {
      const { rateMoments, principalAxes } = yield* loadClosedLoop
      const rec = ctx.inputs.calibration
      const rates = (yield* rec.readArray("rates.npy")).data as Float32Array
      const { N, trials, samples } = rec.result
      const moments = rateMoments({
        N,
        trials,
        samples,
        rates,
        outputs: new Float32Array(trials * samples),
        reward: new Float32Array(trials * samples),
        decoder: new Float64Array(N)
      })
      const axes = principalAxes(moments.covariance, N)
      const { dimension, margin, minDimension, maxDimension, outputSd } = ctx.params
      const rule = dimension === "auto" ? { margin, min: minDimension, max: maxDimension } : { k: dimension }
      const decoder = yield* Effect.try({
        try: () =>
          intuitiveDecoder(
            { mean: moments.mean, covariance: moments.covariance, eigenvalues: axes.eigenvalues, axes: axes.axes },
            rule,
            outputSd,
            stream(ctx.seed, "perturbation/readout")
          ),
        catch: (e) => new Error(`intuitive-decoder: ${String((e as Error).message ?? e)}`)
      }).pipe(Effect.orDie)
      const network = withDecoder(fromJson(ctx.inputs.network.result.network), decoder.decoder)
      return {
        network: toJson(network),
        source: `intuitive decoder (k = ${decoder.k}) on ${ctx.inputs.network.result.source}`,
        k: decoder.k,
        axes: decoder.axes,
        mean: Array.from(moments.mean),
        eigenvalues: axes.eigenvalues,
        weights: decoder.weights,
        scale: decoder.scale,
        outputMean: decoder.outputMean,
        outputSd: decoder.outputSd
      }
    })
})

/** The perturbation conditions. */
export const Perturbation = Schema.Literal("none", "within", "outside")
export type Perturbation = typeof Perturbation.Type

const CandidateJson = Schema.Struct({
  kind: Schema.Literal("within", "outside"),
  permutation: Schema.Array(Schema.Number),
  rewardRate: Schema.Number,
  /** ‖D' − QᵀQD'‖/‖D'‖: the share of the decoder outside the manifold (0 within, > 0 outside). */
  outsideShare: Schema.Number
})

export const perturbations = Stage.make({
  name: "perturbations",
  module: import.meta.url,
  description:
    "Draws candidate within- and outside-manifold perturbations, measures the reward each leaves the trained network, and picks a pair of similar impairment.",
  params: Schema.Struct({
    dynamics: Dynamics,
    /** Candidates of each kind, and the closed-loop test trials each is measured on. */
    candidates: PositiveInt,
    trials: PositiveInt,
    /** The selection rule: the most impairing pair whose immediate reward rates differ by at most this. */
    tolerance: Schema.Number.pipe(Schema.between(0, 1))
  }),
  random: true,
  inputs: { trained: train, intuitive: intuitiveDecoderStage },
  output: Schema.Struct({
    /** The intuitive decoder's reward rate on the trained network, on the same test noise. */
    baseline: Schema.Number,
    candidates: Schema.Array(CandidateJson),
    within: NonNegativeInt,
    outside: NonNegativeInt,
    /** Whether the pair met the tolerance (else it is the closest pair; see selectPair). */
    matched: Schema.Boolean,
    /** The decoder of each condition. */
    decoders: Schema.Struct({
      none: Schema.Array(Schema.Number),
      within: Schema.Array(Schema.Number),
      outside: Schema.Array(Schema.Number)
    })
  }),
  requires: [TaskModel],
  run: (ctx) =>
    Effect.gen(function* () {
      const task = yield* TaskModel
      const { dynamics, candidates, trials, tolerance } = ctx.params
      const trained = fromJson(ctx.inputs.trained.result.network)
      const intuitive = ctx.inputs.intuitive.result
      const params = { ...modelOf(task, dynamics), switchSeconds: dynamics.trialSeconds }
      const rewardOf = (decoder: ArrayLike<number>) =>
        Effect.forEach(
          Array.from({ length: trials }, (_, k) => k),
          (k) =>
            ctx.runTask<typeof testTrialTask>(TestTrial, {
              network: withDecoder(trained, decoder),
              params,
              taskId: task.id,
              taskModule: task.module,
              seed: ctx.seed,
              trial: k,
              schedule: undefined
            }),
          { concurrency: Math.max(1, ctx.workers) }
        ).pipe(Effect.map((results) => results.reduce((a, r) => a + r.objectiveMean, 0) / results.length))
      const baseline = yield* rewardOf(intuitive.network.decoder[0]!)
      const rng = stream(ctx.seed, "perturbation/candidates")
      const made: Array<{ kind: "within" | "outside"; permutation: Array<number>; decoder: Float64Array }> = []
      const k = intuitive.k
      const N = trained.N
      const decoderOfIntuitive = {
        k,
        axes: intuitive.axes.map((a) => [...a]),
        weights: [...intuitive.weights],
        scale: intuitive.scale,
        decoder: [...intuitive.network.decoder[0]!],
        outputMean: intuitive.outputMean,
        outputSd: intuitive.outputSd
      }
      for (let c = 0; c < candidates; c++) {
        const within = derangingPermutation(k, rng)
        made.push({ kind: "within", permutation: within, decoder: withinManifold(decoderOfIntuitive, within) })
        const outside = derangingPermutation(N, rng)
        made.push({
          kind: "outside",
          permutation: outside,
          decoder: outsideManifold(decoderOfIntuitive.decoder, outside)
        })
      }
      const list: Array<Candidate & { outsideShare: number }> = []
      for (const [i, m] of made.entries()) {
        const rewardRate = yield* rewardOf(m.decoder)
        list.push({
          kind: m.kind,
          permutation: m.permutation,
          rewardRate,
          outsideShare: outsideShare(m.decoder, intuitive.axes)
        })
        yield* ctx.progress(i + 1, made.length, "candidate perturbations")
      }
      const pick = selectPair(list, tolerance)
      return {
        baseline,
        candidates: list,
        within: pick.within,
        outside: pick.outside,
        matched: pick.matched,
        decoders: {
          none: [...intuitive.network.decoder[0]!],
          within: Array.from(made[pick.within]!.decoder),
          outside: Array.from(made[pick.outside]!.decoder)
        }
      }
    })
})

export const perturbedNetwork = Stage.make({
  name: "perturbed-network",
  module: import.meta.url,
  description:
    "The trained network with the decoder of the condition: the intuitive one (none), or the chosen perturbation.",
  params: Schema.Struct({ perturbation: Perturbation }),
  inputs: { trained: train, perturbations },
  output: NetworkResult,
  run: (ctx) =>
    Effect.sync(() => {
      const decoder = ctx.inputs.perturbations.result.decoders[ctx.params.perturbation]
      const network = withDecoder(fromJson(ctx.inputs.trained.result.network), decoder)
      return {
        network: toJson(network),
        source: `${ctx.inputs.trained.result.source}, decoder: ${ctx.params.perturbation}`
      }
    })
})

/** The mean of the last tenth of a learning curve (at least one trial). */
const plateau = (curve: ReadonlyArray<number>) => finalObjective(curve)

/** A run's measures (issue #19), from its phases, its perturbation and the adapted network's analysis. */
export const perturbationMetrics = (input: {
  readonly perturbation: Perturbation
  readonly intuitive: ReadonlyArray<number>
  readonly adaptation: ReadonlyArray<number>
  readonly chosen: { readonly rewardRate: number; readonly outsideShare: number } | undefined
  readonly baseline: number
  readonly manifold: { readonly k: number; readonly axes: ReadonlyArray<ArrayLike<number>> }
  readonly adapted: { readonly summary: BciSummary; readonly details: BciDetails }
  /** The closed-loop geometry (src/analysis/closedLoop.ts, loaded by the stage). */
  readonly geometry: Pick<typeof ClosedLoop, "principalAngles" | "varianceShare">
}): Metrics => {
  const { principalAngles, varianceShare } = input.geometry
  const { intuitive, adaptation, manifold, adapted } = input
  const rewardRateIntuitive = plateau(intuitive)
  const rewardRateAfterPerturbation = adaptation[0] ?? null
  const rewardRateFinal = plateau(adaptation)
  const lost =
    rewardRateIntuitive === null || rewardRateAfterPerturbation === null
      ? null
      : rewardRateIntuitive - rewardRateAfterPerturbation
  // Recovered share of what the perturbation took; undefined without a perturbation, or when it took
  // (almost) nothing.
  const recoveredFraction =
    input.perturbation === "none" ||
    lost === null ||
    rewardRateFinal === null ||
    rewardRateAfterPerturbation === null ||
    lost < 0.02
      ? null
      : (rewardRateFinal - rewardRateAfterPerturbation) / lost
  // How fast: the mean reward rate over the first tenth of the adaptation (at least one trial).
  const early = adaptation.slice(0, Math.max(1, Math.round(adaptation.length / 10)))
  const rewardRateEarly = early.length > 0 ? early.reduce((a, b) => a + b, 0) / early.length : null
  const angles = principalAngles(manifold.axes, adapted.details.axes.slice(0, manifold.k)).map(
    (a) => (a * 180) / Math.PI
  )
  const N = adapted.details.mean.length
  const oldShare = varianceShare(Float64Array.from(adapted.details.covariance), manifold.axes, N)
  const scalar = (name: string, label: string, value: number | null | undefined, primary: boolean) => ({
    name,
    label,
    value: value === null || value === undefined || !Number.isFinite(value) ? null : value,
    primary
  })
  return {
    scalars: [
      scalar(
        "rewardRateIntuitive",
        "reward rate at the end of the intuitive phase (last 10% of its trials)",
        rewardRateIntuitive,
        true
      ),
      scalar(
        "rewardRateAfterPerturbation",
        "reward rate in the first adaptation trial",
        rewardRateAfterPerturbation,
        true
      ),
      scalar("rewardRateEarly", "reward rate over the first 10% of the adaptation trials", rewardRateEarly, true),
      scalar(
        "rewardRateFinal",
        "reward rate at the end of the adaptation (last 10% of its trials)",
        rewardRateFinal,
        true
      ),
      scalar("recoveredFraction", "recovered fraction (final − after) / (intuitive − after)", recoveredFraction, true),
      scalar(
        "immediateRewardRate",
        "the chosen perturbation's reward rate on the candidates' test (none: the intuitive decoder's)",
        input.chosen?.rewardRate ?? input.baseline,
        false
      ),
      scalar(
        "decoderOutsideShare",
        "share of the decoder outside the calibration manifold",
        input.chosen?.outsideShare ?? 0,
        false
      ),
      scalar("manifoldDimension", "dimension k of the calibration manifold", manifold.k, false),
      scalar(
        "meanPrincipalAngle",
        "mean principal angle between the calibration and the adapted manifold (degrees)",
        angles.length > 0 ? angles.reduce((a, b) => a + b, 0) / angles.length : null,
        false
      ),
      scalar("oldManifoldShare", "share of the adapted rates' variance in the calibration manifold", oldShare, false),
      scalar(
        "volumeFraction",
        "noise_volume_bci volume fraction along the adaptation's decoder",
        adapted.summary.noiseVolume.volumeFraction,
        false
      ),
      scalar(
        "testRewardRate",
        "reward rate of the adapted network's closed-loop test",
        adapted.summary.rewardRate,
        false
      )
    ],
    series: [
      {
        name: "dropAndRecovery",
        label: "Reward rate: intuitive, after the perturbation, early and final adaptation",
        xLabel: "phase",
        yLabel: "reward rate (fraction of steps in the window)",
        x: [1, 2, 3, 4],
        y: [rewardRateIntuitive, rewardRateAfterPerturbation, rewardRateEarly, rewardRateFinal].map(
          (v) => v ?? Number.NaN
        ),
        categories: ["intuitive (end)", "after perturbation", "early adaptation", "final"]
      },
      {
        name: "learningCurve",
        label: "Reward rate through both phases (the perturbation between −1 and 1)",
        xLabel: "training trial (intuitive to −1, adaptation from 1)",
        yLabel: "reward rate (fraction of steps in the window)",
        // No trial 0: the gap between the phases keeps a plot's smoothing from averaging across it.
        x: [...intuitive.map((_, k) => k - intuitive.length), ...adaptation.map((_, k) => k + 1)],
        y: [...intuitive, ...adaptation]
      }
    ]
  }
}

/** The `perturbation-metrics` stage, reading the `bci` task's analysis of the adapted network. */
export const perturbationMetricsStage = <S extends BciSummary>(analyze: AnalyzeOf<S>) =>
  Stage.make({
    name: "perturbation-metrics",
    module: import.meta.url,
    description: "The run's reward rates through both phases, the recovered fraction and how the manifold moved.",
    params: Schema.Struct({ perturbation: Perturbation }),
    inputs: {
      intuitive: train,
      adaptation: train,
      perturbations,
      decoder: intuitiveDecoderStage,
      analysis: analyze
    },
    output: MetricsJson,
    run: (ctx) =>
      Effect.gen(function* () {
        const p = ctx.inputs.perturbations.result
        const { perturbation } = ctx.params
        const details: BciDetails = JSON.parse(yield* ctx.inputs.analysis.readText("details.json"))
        return perturbationMetrics({
          perturbation,
          intuitive: ctx.inputs.intuitive.result.objectiveMean,
          adaptation: ctx.inputs.adaptation.result.objectiveMean,
          chosen: perturbation === "none" ? undefined : p.candidates[perturbation === "within" ? p.within : p.outside],
          baseline: p.baseline,
          manifold: { k: ctx.inputs.decoder.result.k, axes: ctx.inputs.decoder.result.axes },
          adapted: { summary: ctx.inputs.analysis.result, details },
          geometry: yield* loadClosedLoop
        })
      })
  })
