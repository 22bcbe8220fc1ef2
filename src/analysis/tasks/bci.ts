/**
 * What a BCI task's closed-loop test recording is analysed into (reference README §10.4): the
 * reward rate, the decoder output's distribution against the reward window, the reference's
 * `noise_volume_bci` (the variance along the decoder axis against the top principal axis, and the
 * decoder axis's overlap with every principal axis), and the rates' principal components, the
 * network's intrinsic manifold, whose axes the report compares before and after learning.
 */
import * as Schema from "effect/Schema"
import {
  type ClosedLoopRecording,
  dimensionFor,
  noiseVolumeBci,
  outputDistribution,
  principalAxes,
  type RewardWindow,
  rateMoments,
  rewardRate
} from "../closedLoop.js"
import { Maybe, Numbers } from "./schema.js"

/** The share of the variance whose dimension the summary reports (the manifold's "dimension"). */
export const MANIFOLD_SHARE = 0.9
/** Principal axes kept in the details (for the manifolds' comparison before and after learning). */
export const MANIFOLD_AXES = 10

/** What the analysis reads of the run: the reward window. */
export interface BciSettings {
  readonly window: RewardWindow
}

/** What the analysis worker receives. */
export interface BciAnalyzeInput {
  readonly recording: ClosedLoopRecording
  readonly settings: BciSettings
}

/** The `analyze` result of a BCI task's recording. */
export const BciSummary = Schema.Struct({
  task: Schema.Literal("bci"),
  N: Schema.Number,
  trials: Schema.Number,
  /** Recorded samples per trial. */
  samples: Schema.Number,
  window: Schema.Struct({ low: Schema.Number, high: Schema.Number }),
  /** The share of samples (every trial's, from sample 1 on) whose output lies in the window. */
  rewardRate: Maybe,
  rewardRateByTrial: Schema.Array(Maybe),
  /** The decoder output D·r^u: mean, standard deviation, and shares below, in and above the window. */
  output: Schema.Struct({ mean: Maybe, sd: Maybe, below: Maybe, inside: Maybe, above: Maybe }),
  /** The reference's `noise_volume_bci`: variance along the decoder over that along the top axis. */
  noiseVolume: Schema.Struct({
    volumeFraction: Maybe,
    totalVolume: Maybe,
    projectedVolume: Maybe,
    /** |decoder axis · principal axis k| for the first axes. */
    overlap: Numbers
  }),
  /** The rates' principal components: variance fractions of the first axes, the effective dimension. */
  manifold: Schema.Struct({
    varianceExplained: Numbers,
    cumulative: Numbers,
    participationRatio: Schema.Number,
    /** The number of axes explaining {@link MANIFOLD_SHARE} of the variance. */
    dimension: Schema.Number
  })
})
export type BciSummary = typeof BciSummary.Type

/** What the BCI figures draw of one recording. */
export interface BciDetails {
  readonly window: RewardWindow
  readonly outputHistogram: { readonly edges: Array<number>; readonly counts: Array<number> }
  /** Every principal axis's variance (descending) and its overlap with the decoder axis. */
  readonly eigenvalues: Array<number>
  readonly overlap: Array<number>
  /** The first {@link MANIFOLD_AXES} principal axes (unit N-vectors) and the mean rate. */
  readonly axes: Array<Array<number>>
  readonly mean: Array<number>
  /** The first test trial's decoder output, every recorded sample. */
  readonly trace: { readonly outputs: Array<number>; readonly reward: Array<number> }
}

/** The module URL the `analyze` stage hands the worker pool. */
export const analyzeModule: string = import.meta.url

/** Worker task: summary and details of a BCI task's closed-loop test recording. */
export function analyzeBci(input: BciAnalyzeInput): { summary: BciSummary; details: BciDetails } {
  const { recording, settings } = input
  const { N, samples } = recording
  const rate = rewardRate(recording)
  const output = outputDistribution(recording, settings.window)
  const moments = rateMoments(recording)
  const axes = principalAxes(moments.covariance, N)
  const volume = noiseVolumeBci(moments.covariance, axes, recording.decoder, N)
  const first = (a: Float32Array) => Array.from(a.subarray(0, samples))
  return {
    summary: {
      task: "bci",
      N,
      trials: recording.trials,
      samples,
      window: settings.window,
      rewardRate: rate.overall,
      rewardRateByTrial: rate.byTrial,
      output: { mean: output.mean, sd: output.sd, below: output.below, inside: output.inside, above: output.above },
      noiseVolume: {
        volumeFraction: volume.volumeFraction,
        totalVolume: volume.totalVolume,
        projectedVolume: volume.projectedVolume,
        overlap: volume.overlap.slice(0, MANIFOLD_AXES).map(Math.abs)
      },
      manifold: {
        varianceExplained: axes.varianceExplained.slice(0, MANIFOLD_AXES),
        cumulative: axes.cumulative.slice(0, MANIFOLD_AXES),
        participationRatio: axes.participationRatio,
        dimension: dimensionFor(axes.cumulative, MANIFOLD_SHARE)
      }
    },
    details: {
      window: settings.window,
      outputHistogram: { edges: output.edges, counts: output.counts },
      eigenvalues: axes.eigenvalues,
      overlap: volume.overlap,
      axes: axes.axes.slice(0, MANIFOLD_AXES),
      mean: Array.from(moments.mean),
      trace: { outputs: first(recording.outputs), reward: first(recording.reward) }
    }
  }
}
