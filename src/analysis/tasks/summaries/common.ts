/**
 * Schema pieces of the tasks' analysis summaries (the `analyze` stage's typed result): numbers
 * that may be undefined for a recording (null, never NaN), and the small structures several
 * summaries share.
 */
import * as Schema from "effect/Schema"

/** A number, or null where the quantity is undefined for the recording (no sample, zero variance, …). */
export const Maybe = Schema.NullOr(Schema.Number)

export const Numbers = Schema.Array(Schema.Number)

/** The nominal stimulus prior von Mises(μ, κ). */
export const VonMisesSchema = Schema.Struct({ mu: Schema.Number, kappa: Schema.Number })

/** An output's mean, target mean and covariance at one test angle (`outputStatistics`). */
export const OutputAtAngleSchema = Schema.Struct({
  angle: Schema.Number,
  count: Schema.Number,
  mean: Schema.mutable(Numbers),
  target: Schema.mutable(Numbers),
  covariance: Schema.mutable(Schema.Array(Schema.mutable(Numbers))),
  ellipse: Schema.optional(Schema.Struct({ major: Schema.Number, minor: Schema.Number, orientation: Schema.Number }))
})

/** A pair of numbers, mutable as the analyses build it. */
const Pair = Schema.mutable(Schema.Tuple(Schema.Number, Schema.Number))

/** The classifier's confusion matrix (`confusionMatrix`). */
export const ConfusionMatrixSchema = Schema.Struct({
  counts: Schema.mutable(Schema.Tuple(Pair, Pair)),
  rates: Schema.mutable(Schema.Tuple(Schema.NullOr(Pair), Schema.NullOr(Pair))),
  truePositives: Schema.Number,
  trueNegatives: Schema.Number,
  falsePositives: Schema.Number,
  falseNegatives: Schema.Number
})

/** `x` if finite, else null: what a summary holds of a number that may be undefined. */
export const finiteOrNull = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x

/** The mean of the finite values, or null when there is none. */
export const meanOf = (values: ReadonlyArray<number | null>): number | null => {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v))
  return finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : null
}

/**
 * A member's metrics (src/analysis/aggregate.ts `Metrics`) as a task's summary builds them: its
 * scalars (null where a value is absent; a non-finite value is kept, for the metrics stage to
 * refuse: issue #22) and its curves, in the order they are added.
 */
export const metricsBuilder = () => {
  const scalars: Array<{ name: string; label: string; value: number | null; primary: boolean }> = []
  const series: Array<{
    name: string
    label: string
    xLabel: string
    yLabel: string
    x: Array<number>
    y: Array<number>
  }> = []
  return {
    scalar: (name: string, label: string, value: number | null | undefined, primary: boolean) =>
      scalars.push({ name, label, value: value ?? null, primary }),
    curve: (
      name: string,
      label: string,
      xLabel: string,
      yLabel: string,
      x: ReadonlyArray<number>,
      y: ReadonlyArray<number>
    ) => series.push({ name, label, xLabel, yLabel, x: [...x], y: [...y] }),
    metrics: () => ({ scalars, series })
  }
}

/** The mean objective over the last tenth of the training trials (at least one): the final objective. */
export const finalObjective = (objectiveMean: ReadonlyArray<number>): number | null => {
  const tail = objectiveMean.slice(objectiveMean.length - Math.max(1, Math.round(objectiveMean.length / 10)))
  const finite = tail.filter(Number.isFinite)
  return finite.length === 0 ? null : finite.reduce((a, b) => a + b, 0) / finite.length
}

/** The training's metrics every trained run reports: the final objective and the learning curve. */
export const trainingMetrics = (
  builder: ReturnType<typeof metricsBuilder>,
  objectiveMean: ReadonlyArray<number> | undefined,
  objectiveLabel: string
) => {
  if (objectiveMean === undefined) return
  builder.scalar(
    "finalObjective",
    "final training objective (mean of the last 10% of trials)",
    finalObjective(objectiveMean),
    true
  )
  builder.curve(
    "learningCurve",
    "Learning curve",
    "training trial (index)",
    objectiveLabel,
    objectiveMean.map((_, k) => k + 1),
    objectiveMean
  )
}
