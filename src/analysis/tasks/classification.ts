/**
 * What a classification readout's test recording is analysed into (`classification` task, and the
 * class of `mixed`): accuracy and log-likelihood overall, by angle and weighted by the prior, the
 * readout's d′ across the boundary, the population's linear discriminant, the readout either side
 * of the frequent and the rare boundary, the confusion matrix, and the details its figures draw.
 */
import * as Schema from "effect/Schema"
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
import { ConfusionMatrixSchema, Maybe } from "./schema.js"
import { type AnalyzeInput, groupings, StimulusSummaryFields, stimulusDetails, stimulusSummary } from "./stimulus.js"

/** The classification readout's numbers. */
export const ClassificationPartFields = {
  /** Fraction of samples with (o > 0.5) equal to (y > 0.5); null if there is no sample. */
  accuracy: Maybe,
  /** Mean of y·log p + (1 − y)·log(1 − p), p = o clipped to [1e-4, 1 − 1e-4]; null if no sample. */
  logLikelihood: Maybe,
  accuracyByAngle: Schema.Array(Schema.Struct({ angle: Schema.Number, accuracy: Schema.Number, count: Schema.Number })),
  logLikelihoodByAngle: Schema.Array(
    Schema.Struct({ angle: Schema.Number, logLikelihood: Schema.Number, count: Schema.Number })
  ),
  priorWeightedAccuracy: Maybe,
  priorWeightedLogLikelihood: Maybe,
  /** The reference's `d_prime_calc`: d′ of the readout D·r between θ > θ_thresh and θ < θ_thresh. */
  dPrime: Maybe,
  /** The same split, for the logistic output o. */
  outputDPrime: Maybe,
  /** d′ of the best linear readout of the population (`classifier_lda`). */
  ldaDPrime: Maybe,
  /** `boundary_compare`: readout d′ across θ = 0 (±π/6, frequent) and across ±π (±5π/6, rare). */
  boundaryDPrime: Schema.Struct({ frequent: Maybe, rare: Maybe }),
  confusionMatrix: ConfusionMatrixSchema
}
export type ClassificationPart = Schema.Struct.Type<typeof ClassificationPartFields>

/** The `analyze` result of a classification task's recording. */
export const ClassificationSummary = Schema.Struct({
  task: Schema.Literal("classification"),
  ...StimulusSummaryFields,
  ...ClassificationPartFields
})
export type ClassificationSummary = typeof ClassificationSummary.Type

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
