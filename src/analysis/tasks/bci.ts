/**
 * What a BCI task's closed-loop test recording is analysed into (reference README §10.4): the
 * reward rate, the decoder output's distribution against the reward window, the reference's
 * `noise_volume_bci` (the variance along the decoder axis against the top principal axis, and the
 * decoder axis's overlap with every principal axis), and the rates' principal components, the
 * network's intrinsic manifold, whose axes the report compares before and after learning.
 */
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
import { BciSummary, MANIFOLD_AXES, MANIFOLD_SHARE } from "./summaries/bci.js"

export { BciSummary, MANIFOLD_AXES, MANIFOLD_SHARE }

/** What the analysis reads of the run: the reward window. */
export interface BciSettings {
  readonly window: RewardWindow
}

/** What the analysis worker receives. */
export interface BciAnalyzeInput {
  readonly recording: ClosedLoopRecording
  readonly settings: BciSettings
}

/** What the BCI figures draw of one recording. */
export interface BciDetails {
  readonly window: RewardWindow
  readonly outputHistogram: { readonly edges: Array<number>; readonly counts: Array<number> }
  /** Every principal axis's variance (descending) and its overlap with the decoder axis. */
  readonly eigenvalues: Array<number>
  readonly overlap: Array<number>
  /** The first {@link MANIFOLD_AXES} principal axes (unit N-vectors), the mean rate and the covariance (N × N, row-major). */
  readonly axes: Array<Array<number>>
  readonly mean: Array<number>
  readonly covariance: Array<number>
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
      covariance: Array.from(moments.covariance),
      trace: { outputs: first(recording.outputs), reward: first(recording.reward) }
    }
  }
}
