/** The summary of a classification task's analysis, as a Schema. */
import * as Schema from "effect/Schema"
import { ConfusionMatrixSchema, Maybe, metricsBuilder, trainingMetrics } from "./common.js"
import { StimulusSummaryFields } from "./stimulus.js"

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

/** The class readout's scalars, for a member's metrics (a mixed run's too). */
export const classificationScalars = (
  builder: ReturnType<typeof metricsBuilder>,
  trained: ClassificationPart,
  initial: ClassificationPart | undefined
) => {
  builder.scalar("accuracy", "accuracy (fraction)", trained.accuracy, true)
  builder.scalar("logLikelihood", "log-likelihood per sample (nats)", trained.logLikelihood, true)
  builder.scalar("dPrime", "d′ of the readout D·r, θ > 0 vs θ < 0 (d_prime_calc)", trained.dPrime, true)
  if (initial !== undefined)
    builder.scalar("initialAccuracy", "accuracy before training (fraction)", initial.accuracy, false)
}

/** The class readout's error rate by angle. */
export const classificationCurve = (
  builder: ReturnType<typeof metricsBuilder>,
  trained: ClassificationPart,
  name = "errorByAngle"
) =>
  builder.curve(
    name,
    "Test error rate by stimulus angle",
    "stimulus angle θ (rad)",
    "error rate (fraction)",
    trained.accuracyByAngle.map((e) => e.angle),
    trained.accuracyByAngle.map((e) => 1 - e.accuracy)
  )

/** What a classification run reports to a sweep: accuracy, log-likelihood, d′, their curves, the training's. */
export const classificationMetrics = (
  trained: ClassificationSummary,
  initial?: ClassificationSummary,
  objectiveMean?: ReadonlyArray<number>
) => {
  const builder = metricsBuilder()
  classificationScalars(builder, trained, initial)
  classificationCurve(builder, trained)
  builder.scalar(
    "decoderNoiseShare",
    "noise variance share along the decoder",
    trained.decoderAlignedNoise.decoderShare,
    false
  )
  trainingMetrics(builder, objectiveMean, "objective log p(y) (nats)")
  return builder.metrics()
}
