/** The summary of a BCI task's closed-loop analysis, as a Schema. */
import * as Schema from "effect/Schema"
import { Maybe, metricsBuilder, Numbers, trainingMetrics } from "./common.js"

/** The share of the variance whose dimension the summary reports (the manifold's "dimension"). */
export const MANIFOLD_SHARE = 0.9
/** Principal axes kept in the details (for the manifolds' comparison before and after learning). */
export const MANIFOLD_AXES = 10

/** The `analyze` result of a BCI task's recording. */
export const BciSummary = Schema.Struct({
  task: Schema.Literal("bci"),
  N: Schema.Number,
  trials: Schema.Number,
  /** Recorded samples per trial. */
  samples: Schema.Number,
  window: Schema.Struct({ low: Schema.Number, high: Schema.Number }),
  /** The share of samples (every trial's, from sample 1 on) whose output lies in the window. */
  rewardRate: Maybe,
  rewardRateByTrial: Schema.Array(Maybe),
  /** The decoder output D·r^u: mean, standard deviation, and shares below, in and above the window. */
  output: Schema.Struct({ mean: Maybe, sd: Maybe, below: Maybe, inside: Maybe, above: Maybe }),
  /** The reference's `noise_volume_bci`: variance along the decoder over that along the top axis. */
  noiseVolume: Schema.Struct({
    volumeFraction: Maybe,
    totalVolume: Maybe,
    projectedVolume: Maybe,
    /** |decoder axis · principal axis k| for the first axes. */
    overlap: Numbers
  }),
  /** The rates' principal components: variance fractions of the first axes, the effective dimension. */
  manifold: Schema.Struct({
    varianceExplained: Numbers,
    cumulative: Numbers,
    participationRatio: Schema.Number,
    /** The number of axes explaining {@link MANIFOLD_SHARE} of the variance. */
    dimension: Schema.Number
  })
})
export type BciSummary = typeof BciSummary.Type

/** What a BCI run reports to a sweep: the reward rate before and after, the output, the manifold, the training's. */
export const bciMetrics = (trained: BciSummary, initial?: BciSummary, objectiveMean?: ReadonlyArray<number>) => {
  const builder = metricsBuilder()
  builder.scalar("rewardRate", "reward rate (fraction of test samples in the window)", trained.rewardRate, true)
  if (initial !== undefined)
    builder.scalar("initialRewardRate", "reward rate before training (fraction)", initial.rewardRate, true)
  builder.scalar("outputMean", "decoder output mean D·r (a.u.)", trained.output.mean, false)
  builder.scalar("outputSd", "decoder output std D·r (a.u.)", trained.output.sd, false)
  builder.scalar("volumeFraction", "noise_volume_bci volume fraction", trained.noiseVolume.volumeFraction, false)
  builder.scalar("manifoldDimension", "manifold dimension (90% of the variance)", trained.manifold.dimension, false)
  builder.curve(
    "rewardRateByTestTrial",
    "Reward rate per test trial",
    "test trial (index)",
    "reward rate (fraction)",
    trained.rewardRateByTrial.map((_, k) => k + 1),
    trained.rewardRateByTrial.map((r) => r ?? Number.NaN)
  )
  trainingMetrics(builder, objectiveMean, "reward rate (fraction of steps in the window)")
  return builder.metrics()
}
