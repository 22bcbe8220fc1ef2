/**
 * Worker task of the `analyze` stage: every analysis of one test recording (src/analysis), as
 * the stage's small JSON result (`summary`) and the plot-ready `details` the `plot` stage draws.
 * Runs on the worker pool: a full recording is 20 M rates and the analyses take seconds.
 *
 * Which samples count: the noise statistics (noise correlations and covariances, signal vs noise,
 * decoder variance, decoder-aligned noise) leave out the transient after each stimulus switch,
 * as the reference's `noise_correlations` and `decoder_variance` do (`settings.switchTransient`);
 * every other analysis uses every sample, as the reference's do.
 */
import {
  type AnalysisSettings,
  averageNoiseCorrelation,
  biasVariance,
  boundaryCompare,
  classifierLda,
  confusionMatrix as confusion,
  decoderVariance,
  discriminability,
  meanCurrentBreakdown,
  type NetworkWeights,
  noiseCorrelations,
  noiseCovariances,
  noiseVolume,
  outputSamples,
  outputStatistics,
  pca,
  permuteSquare,
  preferenceOrder,
  preferredAngleDistribution,
  type Recording,
  rateCovariance,
  recurrentBias,
  type Summary,
  signalNoisePairs,
  sortedStimulusVariance,
  stimulusDependentEnergy,
  stimulusDependentS2n,
  stimulusVariancePca,
  summarize,
  tuningCurves,
  volumeFractionTotal
} from "../../src/analysis/index.js"

/** The module URL the stage hands the worker pool. */
export const analyzeModule: string = import.meta.url

/** What the task needs: the recording, the tested network's weights and the run's settings. */
export interface AnalyzeInput {
  readonly recording: Recording
  readonly network: NetworkWeights
  readonly settings: AnalysisSettings
}

/** What `plot` needs of one recording (plain JSON; no per-sample arrays beyond the subsamples). */
export interface Details {
  readonly task: Recording["task"]
  readonly settings: AnalysisSettings
  readonly tuning: ReturnType<typeof tuningCurves>
  /** Neurons ordered by the test angle of their largest mean rate (`sorted_noise_correlations`). */
  readonly order: Array<number>
  /** The angle-averaged noise correlations, rows and columns in `order`. */
  readonly noiseCorrelationSorted: Array<Array<number | null>>
  readonly averageNoiseCorrelation: ReturnType<typeof averageNoiseCorrelation>
  /** The covariance of the rates over all samples, in `order`. */
  readonly covarianceSorted: Array<Array<number>>
  /** The covariance at each test angle (transient left out), in `order`. */
  readonly noiseCovarianceSorted: { angles: Array<number>; byAngle: Array<Array<Array<number>>> }
  readonly signalNoise: ReturnType<typeof signalNoisePairs>
  readonly pca: Pick<ReturnType<typeof pca>, "varianceExplained" | "cumulative" | "angleMeans">
  readonly stimulusVariancePca: ReturnType<typeof stimulusVariancePca>
  readonly sortedStimulusVariance: ReturnType<typeof sortedStimulusVariance>
  readonly clouds: ReturnType<typeof outputSamples>
  readonly outputs: ReturnType<typeof outputStatistics>
  readonly biasVariance: ReturnType<typeof biasVariance>["byAngle"]
  readonly preferred: ReturnType<typeof preferredAngleDistribution>
  readonly energy: ReturnType<typeof stimulusDependentEnergy>
  readonly signalToNoise: ReturnType<typeof stimulusDependentS2n>
  readonly currents: ReturnType<typeof meanCurrentBreakdown>
  readonly recurrentBias: ReturnType<typeof recurrentBias>
  readonly noiseVolume: ReturnType<typeof noiseVolume>
  readonly volumeFractionTotal: ReturnType<typeof volumeFractionTotal>
  readonly decoderVariance: ReturnType<typeof decoderVariance>
  /** The first test trial's output and target, every recorded sample (targetDim rows). */
  readonly trace: { readonly outputs: Array<Array<number>>; readonly targets: Array<Array<number>> }
  readonly discriminability?: ReturnType<typeof discriminability>
  readonly confusion?: ReturnType<typeof confusion>
  readonly lda?: ReturnType<typeof classifierLda>
  readonly boundaries?: ReturnType<typeof boundaryCompare>
}

/** Summary and details of a recording. */
export function analyzeRecording(input: AnalyzeInput): { summary: Summary; details: Details } {
  const { recording, network, settings } = input
  const { targetDim, samples } = recording
  const all = { grid: settings.grid }
  const noise = { ...all, ...(settings.switchTransient ? { switchTransient: settings.switchTransient } : {}) }
  const row = (a: Float32Array, d: number) => Array.from(a.subarray(d * samples, (d + 1) * samples))
  const components = pca(recording, { ...all, trajectoryStride: samples })
  const tuning = tuningCurves(recording, all)
  const order = preferenceOrder(tuning.mean)
  const covariances = noiseCovariances(recording, noise)
  const classification = recording.task === "classification"
  const boundary = { ...all, boundary: settings.classBoundary }
  const details: Details = {
    task: recording.task,
    settings,
    tuning,
    order,
    noiseCorrelationSorted: permuteSquare(noiseCorrelations(recording, noise).average, order),
    averageNoiseCorrelation: averageNoiseCorrelation(recording, noise),
    covarianceSorted: permuteSquare(rateCovariance(recording, all), order),
    noiseCovarianceSorted: {
      angles: covariances.angles,
      byAngle: covariances.byAngle.map((m) => permuteSquare(m, order))
    },
    signalNoise: signalNoisePairs(recording, noise),
    pca: {
      varianceExplained: components.varianceExplained,
      cumulative: components.cumulative,
      angleMeans: components.angleMeans
    },
    stimulusVariancePca: stimulusVariancePca(recording, all),
    sortedStimulusVariance: sortedStimulusVariance(recording, all),
    clouds: outputSamples(recording, { ...all, perAngle: 150 }),
    outputs: outputStatistics(recording, all),
    biasVariance: biasVariance(recording, all).byAngle,
    preferred: preferredAngleDistribution(recording, { ...all, prior: settings.prior }),
    energy: stimulusDependentEnergy(recording, network, all),
    signalToNoise: stimulusDependentS2n(recording, all),
    currents: meanCurrentBreakdown(recording, network, all),
    recurrentBias: recurrentBias(recording, network, all),
    noiseVolume: noiseVolume(recording, all),
    volumeFractionTotal: volumeFractionTotal(recording, all),
    decoderVariance: decoderVariance(recording, noise),
    trace: {
      outputs: Array.from({ length: targetDim }, (_, d) => row(recording.outputs, d)),
      targets: Array.from({ length: targetDim }, (_, d) => row(recording.targets, d))
    },
    ...(classification
      ? {
          discriminability: discriminability(recording, boundary),
          confusion: confusion(recording, all),
          lda: classifierLda(recording, boundary),
          boundaries: boundaryCompare(recording, all)
        }
      : {})
  }
  return { summary: summarize(recording, settings, network), details }
}
