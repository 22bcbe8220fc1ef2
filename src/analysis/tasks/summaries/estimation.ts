/** The summary of an estimation task's analysis, as a Schema. */
import * as Schema from "effect/Schema"
import { Maybe, metricsBuilder, trainingMetrics } from "./common.js"
import { StimulusSummaryFields } from "./stimulus.js"

/** The estimation readout's numbers. */
export const EstimationPartFields = {
  /** Mean of ‖o − y‖² over every recorded sample (step 0 included); null if there is none. */
  testMse: Maybe,
  /** One entry per test angle that occurs, ascending. */
  mseByAngle: Schema.Array(Schema.Struct({ angle: Schema.Number, mse: Schema.Number, count: Schema.Number })),
  /** MSE weighted by the nominal prior von Mises(μ, κ) over the test angles, and the plain mean over angles. */
  priorWeightedMse: Maybe,
  uniformMse: Maybe,
  biasVariance: Schema.Struct({
    overall: Schema.NullOr(Schema.Struct({ bias2: Schema.Number, variance: Schema.Number, mse: Schema.Number })),
    byAngle: Schema.Array(Schema.Struct({ angle: Schema.Number, bias2: Schema.Number, variance: Schema.Number }))
  })
}
export type EstimationPart = Schema.Struct.Type<typeof EstimationPartFields>

/** The `analyze` result of an estimation task's recording. */
export const EstimationSummary = Schema.Struct({
  task: Schema.Literal("estimation"),
  ...StimulusSummaryFields,
  ...EstimationPartFields
})
export type EstimationSummary = typeof EstimationSummary.Type

/** The estimate's scalars and its error by angle, for a member's metrics (a mixed run's too). */
export const estimationScalars = (
  builder: ReturnType<typeof metricsBuilder>,
  trained: EstimationPart,
  initial: EstimationPart | undefined
) => {
  builder.scalar("testMse", "test MSE ‖o − y‖² (a.u.)", trained.testMse, true)
  builder.scalar("priorWeightedMse", "prior-weighted MSE (a.u.)", trained.priorWeightedMse, true)
  if (initial !== undefined) builder.scalar("initialTestMse", "test MSE before training (a.u.)", initial.testMse, false)
}

/** The estimate's test MSE by angle. */
export const estimationCurve = (
  builder: ReturnType<typeof metricsBuilder>,
  trained: EstimationPart,
  name = "errorByAngle"
) =>
  builder.curve(
    name,
    "Test MSE by stimulus angle",
    "stimulus angle θ (rad)",
    "test MSE ‖o − y‖² (a.u.)",
    trained.mseByAngle.map((e) => e.angle),
    trained.mseByAngle.map((e) => e.mse)
  )

/** What an estimation run reports to a sweep: test MSE (also prior-weighted), its curves, the training's. */
export const estimationMetrics = (
  trained: EstimationSummary,
  initial?: EstimationSummary,
  objectiveMean?: ReadonlyArray<number>
) => {
  const builder = metricsBuilder()
  estimationScalars(builder, trained, initial)
  estimationCurve(builder, trained)
  builder.scalar(
    "decoderNoiseShare",
    "noise variance share along the decoder",
    trained.decoderAlignedNoise.decoderShare,
    false
  )
  trainingMetrics(builder, objectiveMean, "objective −‖y − o‖² (a.u.)")
  return builder.metrics()
}
