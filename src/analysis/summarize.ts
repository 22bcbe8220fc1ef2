import type { GroupingOptions } from "./angleGroups.js"
import { biasVariance } from "./biasVariance.js"
import type { ConfusionMatrix } from "./confusionMatrix.js"
import { confusionMatrix } from "./confusionMatrix.js"
import { decoderAlignedNoise } from "./decoderAlignedNoise.js"
import { discriminability } from "./discriminability.js"
import type { ClassificationError, EstimationError } from "./errorByAngle.js"
import { classificationError, estimationError } from "./errorByAngle.js"
import { noiseCorrelations } from "./noiseCorrelations.js"
import type { OutputAtAngle } from "./outputStatistics.js"
import { outputStatistics } from "./outputStatistics.js"
import { pca } from "./pca.js"
import { preferredAngleDistribution } from "./preferredAngleDistribution.js"
import { priorWeightedError } from "./priorWeightedError.js"
import type { Recording } from "./recording.js"
import { signalNoisePairs } from "./signalNoisePairs.js"

/** Numbers shared by both tasks. */
interface CommonSummary {
  readonly N: number
  readonly trials: number
  /** Recorded samples per trial. */
  readonly samples: number
  /** Noise variance share along the decoder vs a random subspace (see `decoderAlignedNoise`). */
  readonly decoderAlignedNoise: {
    decoderShare: number | null
    randomShare: number
    enrichment: number | null
    principalAngles: Array<number>
  }
  /** PCA of the population activity: the first (up to 10) variance fractions, and the effective dimension. */
  readonly pca: { varianceExplained: Array<number>; cumulative: Array<number>; participationRatio: number }
  /** Mean off-diagonal noise correlation, and the correlation of signal vs noise correlations over pairs. */
  readonly correlations: { meanNoiseCorrelation: number | null; signalNoiseRelation: number | null }
  /** Preferred angles (vector sum) per bin against the count the prior implies. */
  readonly preferredAngles: { centers: Array<number>; counts: Array<number>; expectedCounts: Array<number> }
  /** Output mean and covariance per angle (see `outputStatistics`). */
  readonly outputByAngle: Array<OutputAtAngle>
}

export interface EstimationSummary extends CommonSummary, Omit<EstimationError, "samples"> {
  /** MSE weighted by the prior over the test angles, and the plain mean over angles. */
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
  /** d′ of the output and of the decoder readout between the classes. */
  readonly dPrime: number | null
  readonly readoutDPrime: number | null
  readonly confusionMatrix: ConfusionMatrix
}

export type Summary = EstimationSummary | ClassificationSummary

/**
 * The key numbers of a test recording, as the `analyze` stage's JSON result: error overall and by
 * angle (testMse/mseByAngle, or accuracy/logLikelihood and their by-angle lists), prior-weighted error,
 * bias/variance, decoder-aligned noise, PCA and correlation summaries. A few KB; no per-sample or
 * N × N arrays (those come from `noiseCorrelations`, `pca`, … as artifacts). Error figures use every
 * sample; `options` (e.g. settleSamples) applies to the rate statistics only.
 */
export const summarize = (recording: Recording, options: GroupingOptions = {}): Summary => {
  const noise = decoderAlignedNoise(recording, options)
  const components = pca(recording, { ...options, trajectoryStride: recording.samples })
  const preferred = preferredAngleDistribution(recording, options)
  const common: CommonSummary = {
    N: recording.N,
    trials: recording.trials,
    samples: recording.samples,
    decoderAlignedNoise: {
      decoderShare: noise.decoderShare,
      randomShare: noise.randomShare,
      enrichment: noise.enrichment,
      principalAngles: noise.principalAngles
    },
    pca: {
      varianceExplained: components.varianceExplained.slice(0, 10),
      cumulative: components.cumulative.slice(0, 10),
      participationRatio: components.participationRatio
    },
    correlations: {
      meanNoiseCorrelation: noiseCorrelations(recording, options).meanOffDiagonal,
      signalNoiseRelation: signalNoisePairs(recording, options).relation
    },
    preferredAngles: {
      centers: preferred.centers,
      counts: preferred.counts,
      expectedCounts: preferred.expectedCounts
    },
    outputByAngle: outputStatistics(recording).byAngle
  }
  if (recording.task === "estimation") {
    const { samples: _counted, ...errors } = estimationError(recording)
    const weighted = priorWeightedError({ ...errors, samples: _counted })
    const decomposition = biasVariance(recording)
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
  const { samples: _counted, ...errors } = classificationError(recording)
  const weighted = priorWeightedError({ ...errors, samples: _counted })
  const separation = discriminability(recording)
  return {
    ...common,
    ...errors,
    priorWeightedAccuracy: weighted.accuracy?.priorWeighted ?? null,
    priorWeightedLogLikelihood: weighted.logLikelihood?.priorWeighted ?? null,
    dPrime: separation.output.dPrime,
    readoutDPrime: separation.readout.dPrime,
    confusionMatrix: confusionMatrix(recording)
  }
}
