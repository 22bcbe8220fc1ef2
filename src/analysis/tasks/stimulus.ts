/**
 * What every stimulus task's test recording is analysed into (estimation, classification, mixed):
 * the summary numbers of the population code (noise, PCA, tuning, energy, currents) and the
 * plot-ready details its figures draw. The tasks add their readouts' errors (`estimation.ts`,
 * `classification.ts`); a task with several readouts analyses each through a {@link readoutView}.
 *
 * Which samples count: the noise statistics (noise correlations and covariances, signal vs noise,
 * decoder variance, decoder-aligned noise) leave out the transient after each stimulus switch, as
 * the reference's `noise_correlations` and `decoder_variance` do (`settings.switchTransient`);
 * every other analysis uses every sample, as the reference's do.
 */
import { angleGroups, type GroupingOptions } from "../angleGroups.js"
import { meanCurrentBreakdown } from "../currents.js"
import { decoderAlignedNoise } from "../decoderAlignedNoise.js"
import { stimulusDependentEnergy } from "../energy.js"
import type { NetworkWeights } from "../networkWeights.js"
import { noiseCorrelations } from "../noiseCorrelations.js"
import { averageNoiseCorrelation, decoderVariance, noiseCovariances, rateCovariance } from "../noiseCovariance.js"
import { noiseVolume, volumeFractionTotal } from "../noiseVolume.js"
import { outputStatistics } from "../outputStatistics.js"
import { pca } from "../pca.js"
import { preferredAngleDistribution } from "../preferredAngleDistribution.js"
import type { Recording } from "../recording.js"
import type { AnalysisSettings } from "../settings.js"
import { signalNoisePairs } from "../signalNoisePairs.js"
import { stimulusDependentS2n } from "../signalToNoise.js"
import { permuteSquare, preferenceOrder, sortedStimulusVariance } from "../sortedByPreference.js"
import { stimulusVariancePca } from "../stimulusVariancePca.js"
import { tuningCurves } from "../tuningCurves.js"
import { meanOf } from "./summaries/common.js"
import { type StimulusSummary, StimulusSummaryFields } from "./summaries/stimulus.js"

export { type StimulusSummary, StimulusSummaryFields }

/** What a stimulus task's analysis worker receives: the recording, the tested network and the run's settings. */
export interface AnalyzeInput {
  readonly recording: Recording
  readonly network: NetworkWeights
  readonly settings: AnalysisSettings
}

/** The grouping options of a run: every sample, and the noise statistics' (switch transient left out). */
export const groupings = (settings: AnalysisSettings) => {
  const all = { grid: settings.grid }
  const noise: GroupingOptions = {
    ...all,
    ...(settings.switchTransient ? { switchTransient: settings.switchTransient } : {})
  }
  return { all, noise }
}

/** The population-code numbers of a recording (the decoder-dependent ones with every decoder row). */
export const stimulusSummary = (
  recording: Recording,
  settings: AnalysisSettings,
  network: NetworkWeights
): StimulusSummary => {
  const { all, noise } = groupings(settings)
  const aligned = decoderAlignedNoise(recording, noise)
  const components = pca(recording, { ...all, trajectoryStride: recording.samples })
  const preferred = preferredAngleDistribution(recording, { ...all, prior: settings.prior })
  const volume = noiseVolume(recording, all).byAngle
  const s2n = stimulusDependentS2n(recording, all)
  const energy = stimulusDependentEnergy(recording, network, all)
  const counted = (options: GroupingOptions) => angleGroups(recording, options).counts.reduce((a, b) => a + b, 0)
  return {
    N: recording.N,
    trials: recording.trials,
    samples: recording.samples,
    prior: settings.prior,
    transientSamplesPerTrial: (recording.trials * recording.samples - counted(noise)) / recording.trials,
    decoderAlignedNoise: {
      decoderShare: aligned.decoderShare,
      randomShare: aligned.randomShare,
      enrichment: aligned.enrichment,
      principalAngles: aligned.principalAngles
    },
    noiseVolume: {
      meanVolumeFraction: meanOf(volume.map((v) => v.volumeFraction)),
      meanDeterminantRatio: meanOf(volume.map((v) => v.determinantRatio)),
      meanNoiseAngle: meanOf(volume.map((v) => v.noiseAngle))
    },
    signalToNoise: { decoder: meanOf(s2n.decoder), orthogonal: meanOf(s2n.orthogonal) },
    pca: {
      varianceExplained: components.varianceExplained.slice(0, 10),
      cumulative: components.cumulative.slice(0, 10),
      participationRatio: components.participationRatio
    },
    correlations: {
      meanNoiseCorrelation: noiseCorrelations(recording, noise).meanOffDiagonal,
      signalNoiseRelation: signalNoisePairs(recording, noise).relation
    },
    preferredAngles: { centers: preferred.centers, counts: preferred.counts, expectedCounts: preferred.expectedCounts },
    outputByAngle: outputStatistics(recording, all).byAngle,
    energy: { spread: energy.spread, mean: meanOf(energy.energy) },
    recurrentToInputCurrent: meanCurrentBreakdown(recording, network, all).recurrentToInput
  }
}

/** What every stimulus task's figures draw of one recording (plain JSON; no per-sample arrays beyond subsamples). */
export interface StimulusDetails {
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
  readonly preferred: ReturnType<typeof preferredAngleDistribution>
  readonly energy: ReturnType<typeof stimulusDependentEnergy>
  readonly signalToNoise: ReturnType<typeof stimulusDependentS2n>
  readonly currents: ReturnType<typeof meanCurrentBreakdown>
  readonly noiseVolume: ReturnType<typeof noiseVolume>
  readonly volumeFractionTotal: ReturnType<typeof volumeFractionTotal>
  readonly decoderVariance: ReturnType<typeof decoderVariance>
  /** The first test trial's output and target, every recorded sample (one row per output). */
  readonly trace: { readonly outputs: Array<Array<number>>; readonly targets: Array<Array<number>> }
}

/** The details every stimulus task's figures draw (the decoder-dependent ones with every decoder row). */
export const stimulusDetails = (
  recording: Recording,
  settings: AnalysisSettings,
  network: NetworkWeights
): StimulusDetails => {
  const { targetDim, samples } = recording
  const { all, noise } = groupings(settings)
  const row = (a: Float32Array, d: number) => Array.from(a.subarray(d * samples, (d + 1) * samples))
  const components = pca(recording, { ...all, trajectoryStride: samples })
  const tuning = tuningCurves(recording, all)
  const order = preferenceOrder(tuning.mean)
  const covariances = noiseCovariances(recording, noise)
  return {
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
    preferred: preferredAngleDistribution(recording, { ...all, prior: settings.prior }),
    energy: stimulusDependentEnergy(recording, network, all),
    signalToNoise: stimulusDependentS2n(recording, all),
    currents: meanCurrentBreakdown(recording, network, all),
    noiseVolume: noiseVolume(recording, all),
    volumeFractionTotal: volumeFractionTotal(recording, all),
    decoderVariance: decoderVariance(recording, noise),
    trace: {
      outputs: Array.from({ length: targetDim }, (_, d) => row(recording.outputs, d)),
      targets: Array.from({ length: targetDim }, (_, d) => row(recording.targets, d))
    }
  }
}

/**
 * The recording as one readout sees it: the output, target and decoder rows `rows` only (e.g.
 * rows 0–1, the estimate of a mixed network, or row 2, its class), as a readout of kind `task`.
 * The rates, angles and sizes are shared (not copied).
 */
export const readoutView = (recording: Recording, rows: ReadonlyArray<number>, task: Recording["task"]): Recording => {
  const { trials, samples, N, targetDim } = recording
  const D = rows.length
  const pick = (a: Float32Array) => {
    const out = new Float32Array(trials * D * samples)
    for (let trial = 0; trial < trials; trial++) {
      rows.forEach((r, d) => {
        const from = (trial * targetDim + r) * samples
        out.set(a.subarray(from, from + samples), (trial * D + d) * samples)
      })
    }
    return out
  }
  const decoder = new Float64Array(D * N)
  rows.forEach((r, d) => {
    decoder.set(recording.decoder.subarray(r * N, (r + 1) * N), d * N)
  })
  return {
    ...recording,
    task,
    targetDim: D,
    outputs: pick(recording.outputs),
    targets: pick(recording.targets),
    decoder
  }
}
