import { angleGroups, type GroupingOptions } from "./angleGroups.js"
import { biasVariance } from "./biasVariance.js"
import { boundaryCompare } from "./boundaryCompare.js"
import { classifierLda } from "./classifierLda.js"
import type { ConfusionMatrix } from "./confusionMatrix.js"
import { confusionMatrix } from "./confusionMatrix.js"
import { meanCurrentBreakdown } from "./currents.js"
import { decoderAlignedNoise } from "./decoderAlignedNoise.js"
import { discriminability } from "./discriminability.js"
import { stimulusDependentEnergy } from "./energy.js"
import type { ClassificationError, EstimationError } from "./errorByAngle.js"
import { classificationError, estimationError } from "./errorByAngle.js"
import type { NetworkWeights } from "./networkWeights.js"
import { noiseCorrelations } from "./noiseCorrelations.js"
import { noiseVolume } from "./noiseVolume.js"
import type { OutputAtAngle } from "./outputStatistics.js"
import { outputStatistics } from "./outputStatistics.js"
import { pca } from "./pca.js"
import { preferredAngleDistribution } from "./preferredAngleDistribution.js"
import { priorWeightedError } from "./priorWeightedError.js"
import type { Recording } from "./recording.js"
import type { AnalysisSettings } from "./settings.js"
import { signalNoisePairs } from "./signalNoisePairs.js"
import { stimulusDependentS2n } from "./signalToNoise.js"
import type { VonMises } from "./vonMisesDensity.js"

const meanOf = (values: ReadonlyArray<number | null>): number | null => {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v))
  return finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : null
}

/** Numbers shared by both tasks. */
interface CommonSummary {
  readonly N: number
  readonly trials: number
  /** Recorded samples per trial. */
  readonly samples: number
  /** The prior the prior-weighted figures and the preferred-angle comparison used. */
  readonly prior: VonMises
  /** Samples per trial left out of the noise statistics (the transient after each switch). */
  readonly transientSamplesPerTrial: number
  /** Noise variance share along the decoder vs a random subspace (see `decoderAlignedNoise`). */
  readonly decoderAlignedNoise: {
    decoderShare: number | null
    randomShare: number
    enrichment: number | null
    principalAngles: Array<number>
  }
  /** The reference's `noise_volume` and `noise_angle`, averaged over the test angles. */
  readonly noiseVolume: {
    meanVolumeFraction: number | null
    meanDeterminantRatio: number | null
    meanNoiseAngle: number | null
  }
  /** The reference's `stimulus_dependent_s2n`, averaged over the test angles. */
  readonly signalToNoise: { decoder: number | null; orthogonal: number | null }
  /** PCA of the population activity: the first (up to 10) variance fractions, and the effective dimension. */
  readonly pca: { varianceExplained: Array<number>; cumulative: Array<number>; participationRatio: number }
  /** Mean off-diagonal noise correlation, and the correlation of signal vs noise correlations over pairs. */
  readonly correlations: { meanNoiseCorrelation: number | null; signalNoiseRelation: number | null }
  /** Preferred angles (vector sum) per bin against the count the prior implies. */
  readonly preferredAngles: { centers: Array<number>; counts: Array<number>; expectedCounts: Array<number> }
  /** Output mean and covariance per angle (see `outputStatistics`). */
  readonly outputByAngle: Array<OutputAtAngle>
  /** The reference's `stimulus_dependent_energy`: ‖E(θ) − mean‖, and the mean energy over angles. */
  readonly energy: { spread: number; mean: number | null }
  /** mean |W·r̄| / mean |C·s| over neurons and angles (`current_ratio_plot`). */
  readonly recurrentToInputCurrent: number | null
}

export interface EstimationSummary extends CommonSummary, Omit<EstimationError, "samples"> {
  /** MSE weighted by the nominal prior von Mises(μ, κ) over the test angles, and the plain mean over angles. */
  readonly priorWeightedMse: number | null
  readonly uniformMse: number | null
  readonly biasVariance: {
    overall: { bias2: number; variance: number; mse: number } | null
    byAngle: Array<{ angle: number; bias2: number; variance: number }>
  }
}

export interface ClassificationSummary extends CommonSummary, Omit<ClassificationError, "samples"> {
  readonly priorWeightedAccuracy: number | null
  readonly priorWeightedLogLikelihood: number | null
  /** The reference's `d_prime_calc`: d′ of the readout D·r between θ > θ_thresh and θ < θ_thresh. */
  readonly dPrime: number | null
  /** The same split, for the logistic output o. */
  readonly outputDPrime: number | null
  /** d′ of the best linear readout of the population (`classifier_lda`). */
  readonly ldaDPrime: number | null
  /** `boundary_compare`: readout d′ across θ = 0 (±π/6, frequent) and across ±π (±5π/6, rare). */
  readonly boundaryDPrime: { frequent: number | null; rare: number | null }
  readonly confusionMatrix: ConfusionMatrix
}

export type Summary = EstimationSummary | ClassificationSummary

/**
 * The key numbers of a test recording, as the `analyze` stage's JSON result: error overall and by
 * angle (testMse/mseByAngle, or accuracy/logLikelihood and their by-angle lists), prior-weighted error,
 * bias/variance, noise and code summaries. A few KB; no per-sample or N × N arrays (the `analyze`
 * stage writes those to `details.json`). `settings` are the run's own (see `AnalysisSettings`):
 * the noise statistics leave out its switch transient, everything else uses every sample.
 */
export const summarize = (recording: Recording, settings: AnalysisSettings, network: NetworkWeights): Summary => {
  const all = { grid: settings.grid }
  const noise = { ...all, ...(settings.switchTransient ? { switchTransient: settings.switchTransient } : {}) }
  const aligned = decoderAlignedNoise(recording, noise)
  const components = pca(recording, { ...all, trajectoryStride: recording.samples })
  const preferred = preferredAngleDistribution(recording, { ...all, prior: settings.prior })
  const volume = noiseVolume(recording, all).byAngle
  const s2n = stimulusDependentS2n(recording, all)
  const energy = stimulusDependentEnergy(recording, network, all)
  const counted = (options: GroupingOptions) => angleGroups(recording, options).counts.reduce((a, b) => a + b, 0)
  const common: CommonSummary = {
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
    preferredAngles: {
      centers: preferred.centers,
      counts: preferred.counts,
      expectedCounts: preferred.expectedCounts
    },
    outputByAngle: outputStatistics(recording, all).byAngle,
    energy: { spread: energy.spread, mean: meanOf(energy.energy) },
    recurrentToInputCurrent: meanCurrentBreakdown(recording, network, all).recurrentToInput
  }
  if (recording.task === "estimation") {
    const { samples: _counted, ...errors } = estimationError(recording, all)
    const weighted = priorWeightedError({ ...errors, samples: _counted }, settings.prior)
    const decomposition = biasVariance(recording, all)
    return {
      ...common,
      ...errors,
      priorWeightedMse: weighted.mse?.priorWeighted ?? null,
      uniformMse: weighted.mse?.uniform ?? null,
      biasVariance: {
        overall: decomposition.overall,
        byAngle: decomposition.byAngle.map(({ angle, bias2, variance }) => ({ angle, bias2, variance }))
      }
    }
  }
  const { samples: _counted, ...errors } = classificationError(recording, all)
  const weighted = priorWeightedError({ ...errors, samples: _counted }, settings.prior)
  const separation = discriminability(recording, { ...all, boundary: settings.classBoundary })
  const boundaries = boundaryCompare(recording, all)
  return {
    ...common,
    ...errors,
    priorWeightedAccuracy: weighted.accuracy?.priorWeighted ?? null,
    priorWeightedLogLikelihood: weighted.logLikelihood?.priorWeighted ?? null,
    dPrime: separation.readout.dPrime,
    outputDPrime: separation.output.dPrime,
    ldaDPrime: classifierLda(recording, { ...all, boundary: settings.classBoundary }).dPrime,
    boundaryDPrime: { frequent: boundaries.frequent?.dPrime ?? null, rare: boundaries.rare?.dPrime ?? null },
    confusionMatrix: confusionMatrix(recording, all)
  }
}
