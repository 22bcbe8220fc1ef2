/**
 * Worker task of the `analyze` stage: every analysis of one test recording (src/analysis), as
 * the stage's small JSON result (`summary`) and the plot-ready `details` the `plot` stage draws.
 * Runs on the worker pool: a full recording is 20 M rates and the analyses take seconds.
 */
import {
  confusionMatrix as confusion,
  discriminability,
  noiseCorrelations,
  outputSamples,
  outputStatistics,
  pca,
  preferredAngleDistribution,
  type Recording,
  type Summary,
  signalNoisePairs,
  summarize,
  tuningCurves
} from "../../src/analysis/index.js"

/** The module URL the stage hands the worker pool. */
export const analyzeModule: string = import.meta.url

/** What `plot` needs of one recording (plain JSON; no per-sample arrays beyond the subsamples). */
export interface Details {
  readonly task: Recording["task"]
  readonly tuning: ReturnType<typeof tuningCurves>
  readonly noiseCorrelation: ReturnType<typeof noiseCorrelations>["average"]
  readonly signalNoise: ReturnType<typeof signalNoisePairs>
  readonly pca: Pick<ReturnType<typeof pca>, "varianceExplained" | "cumulative" | "angleMeans">
  readonly clouds: ReturnType<typeof outputSamples>
  readonly outputs: ReturnType<typeof outputStatistics>
  readonly preferred: ReturnType<typeof preferredAngleDistribution>
  /** The first test trial's output and target, every recorded sample (targetDim rows). */
  readonly trace: { readonly outputs: Array<Array<number>>; readonly targets: Array<Array<number>> }
  readonly discriminability?: ReturnType<typeof discriminability>
  readonly confusion?: ReturnType<typeof confusion>
}

/** Summary and details of a recording. */
export function analyzeRecording(recording: Recording): { summary: Summary; details: Details } {
  const { targetDim, samples } = recording
  const row = (a: Float32Array, d: number) => Array.from(a.subarray(d * samples, (d + 1) * samples))
  const components = pca(recording)
  const details: Details = {
    task: recording.task,
    tuning: tuningCurves(recording),
    noiseCorrelation: noiseCorrelations(recording).average,
    signalNoise: signalNoisePairs(recording),
    pca: {
      varianceExplained: components.varianceExplained,
      cumulative: components.cumulative,
      angleMeans: components.angleMeans
    },
    clouds: outputSamples(recording, { perAngle: 150 }),
    outputs: outputStatistics(recording),
    preferred: preferredAngleDistribution(recording),
    trace: {
      outputs: Array.from({ length: targetDim }, (_, d) => row(recording.outputs, d)),
      targets: Array.from({ length: targetDim }, (_, d) => row(recording.targets, d))
    },
    ...(recording.task === "classification"
      ? { discriminability: discriminability(recording), confusion: confusion(recording) }
      : {})
  }
  return { summary: summarize(recording), details }
}
