/**
 * What a classification readout's test recording is analysed into (`classification` task, and the
 * class of `mixed`): accuracy and log-likelihood overall, by angle and weighted by the prior, the
 * readout's d′ across the boundary, the population's linear discriminant, the readout either side
 * of the frequent and the rare boundary, the confusion matrix, and the details its figures draw.
 */
import { biasVariance } from "../biasVariance.js"
import { boundaryCompare } from "../boundaryCompare.js"
import { classifierLda } from "../classifierLda.js"
import { confusionMatrix } from "../confusionMatrix.js"
import { recurrentBias } from "../currents.js"
import { discriminability } from "../discriminability.js"
import { classificationError } from "../errorByAngle.js"
import type { NetworkWeights } from "../networkWeights.js"
import { outputStatistics } from "../outputStatistics.js"
import { priorWeightedError } from "../priorWeightedError.js"
import type { Recording } from "../recording.js"
import type { AnalysisSettings } from "../settings.js"
import { type AnalyzeInput, groupings, stimulusDetails, stimulusSummary } from "./stimulus.js"
import { type ClassificationPart, ClassificationPartFields, ClassificationSummary } from "./summaries/classification.js"

export { type ClassificationPart, ClassificationPartFields, ClassificationSummary }

/** The classification readout's numbers of a recording whose single output is p(class 1). */
export const classificationPart = (recording: Recording, settings: AnalysisSettings): ClassificationPart => {
  const { all } = groupings(settings)
  const { samples, task: _kind, ...errors } = classificationError(recording, all)
  const weighted = priorWeightedError({ ...errors, task: "classification", samples }, settings.prior)
  const boundary = { ...all, boundary: settings.classBoundary }
  const separation = discriminability(recording, boundary)
  const boundaries = boundaryCompare(recording, all)
  return {
    accuracy: errors.accuracy,
    logLikelihood: errors.logLikelihood,
    accuracyByAngle: errors.accuracyByAngle,
    logLikelihoodByAngle: errors.logLikelihoodByAngle,
    priorWeightedAccuracy: weighted.accuracy?.priorWeighted ?? null,
    priorWeightedLogLikelihood: weighted.logLikelihood?.priorWeighted ?? null,
    dPrime: separation.readout.dPrime,
    outputDPrime: separation.output.dPrime,
    ldaDPrime: classifierLda(recording, boundary).dPrime,
    boundaryDPrime: { frequent: boundaries.frequent?.dPrime ?? null, rare: boundaries.rare?.dPrime ?? null },
    confusionMatrix: confusionMatrix(recording, all)
  }
}

/** What the classification readout's figures draw. */
export interface ClassificationExtras {
  readonly outputs: ReturnType<typeof outputStatistics>
  readonly biasVariance: ReturnType<typeof biasVariance>["byAngle"]
  /** D·W·r̄ and D·C·s per angle (`recurrent_bias`). */
  readonly recurrentBias: ReturnType<typeof recurrentBias>
  readonly discriminability: ReturnType<typeof discriminability>
  readonly confusion: ReturnType<typeof confusionMatrix>
  readonly lda: ReturnType<typeof classifierLda>
  readonly boundaries: ReturnType<typeof boundaryCompare>
}

export const classificationExtras = (
  recording: Recording,
  settings: AnalysisSettings,
  network: NetworkWeights
): ClassificationExtras => {
  const { all } = groupings(settings)
  const boundary = { ...all, boundary: settings.classBoundary }
  return {
    outputs: outputStatistics(recording, all),
    biasVariance: biasVariance(recording, all).byAngle,
    recurrentBias: recurrentBias(recording, network, all),
    discriminability: discriminability(recording, boundary),
    confusion: confusionMatrix(recording, all),
    lda: classifierLda(recording, boundary),
    boundaries: boundaryCompare(recording, all)
  }
}

/** The details a classification task's figures draw. */
export type ClassificationDetails = ReturnType<typeof stimulusDetails> & {
  readonly classification: ClassificationExtras
}

/** The module URL the `analyze` stage hands the worker pool. */
export const analyzeModule: string = import.meta.url

/** Worker task: summary and details of a classification task's test recording. */
export function analyzeClassification(input: AnalyzeInput): {
  summary: ClassificationSummary
  details: ClassificationDetails
} {
  const { recording, network, settings } = input
  return {
    summary: {
      task: "classification",
      ...stimulusSummary(recording, settings, network),
      ...classificationPart(recording, settings)
    },
    details: {
      ...stimulusDetails(recording, settings, network),
      classification: classificationExtras(recording, settings, network)
    }
  }
}
