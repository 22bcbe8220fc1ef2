/** The summary of a mixed task's analysis (both readouts' numbers side by side), as a Schema. */
import * as Schema from "effect/Schema"
import { ClassificationPartFields, classificationCurve, classificationScalars } from "./classification.js"
import { metricsBuilder, trainingMetrics } from "./common.js"
import { EstimationPartFields, estimationCurve, estimationScalars } from "./estimation.js"
import { StimulusSummaryFields } from "./stimulus.js"

/** The `analyze` result of a mixed task's recording: both readouts' numbers side by side. */
export const MixedSummary = Schema.Struct({
  task: Schema.Literal("mixed"),
  ...StimulusSummaryFields,
  ...EstimationPartFields,
  ...ClassificationPartFields
})
export type MixedSummary = typeof MixedSummary.Type

/** What a mixed run reports to a sweep: both readouts' scalars and curves, and the training's. */
export const mixedMetrics = (trained: MixedSummary, initial?: MixedSummary, objectiveMean?: ReadonlyArray<number>) => {
  const builder = metricsBuilder()
  estimationScalars(builder, trained, initial)
  classificationScalars(builder, trained, initial)
  estimationCurve(builder, trained)
  classificationCurve(builder, trained, "classErrorByAngle")
  builder.scalar(
    "decoderNoiseShare",
    "noise variance share along the decoder",
    trained.decoderAlignedNoise.decoderShare,
    false
  )
  trainingMetrics(builder, objectiveMean, "objective λ_LL·log p(c) − Λ (nats)")
  return builder.metrics()
}
