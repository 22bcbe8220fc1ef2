/**
 * `metrics`: what one run of an experiment reports to a sweep (`pipeline run estimation --sweep …`):
 * its scalar results (test error, prior-weighted error, final training objective, …) and its
 * curves (the learning curve, the test error by stimulus angle), in the generic form the sweep's
 * `aggregate` stage tabulates and draws with confidence bands (src/analysis/aggregate.ts). It only
 * rearranges what `analyze` and `train` computed: cheap, and part of every run, so a sweep member
 * is exactly the single run with its params.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Metrics, Scalar, Series } from "../src/analysis/aggregate.js"
import type { Summary } from "../src/analysis/index.js"
import * as Stage from "../src/engine/Stage.js"
import { analyze, asSummary } from "./analyze.js"
import { requireFinite } from "./finite.js"
import { train } from "./train.js"

/** The member metrics, as JSON (src/analysis/aggregate.ts `Metrics`). */
export const MetricsJson = Schema.Struct({
  scalars: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      label: Schema.String,
      value: Schema.NullOr(Schema.Number),
      primary: Schema.Boolean
    })
  ),
  series: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      label: Schema.String,
      xLabel: Schema.String,
      yLabel: Schema.String,
      x: Schema.Array(Schema.Number),
      y: Schema.Array(Schema.Number)
    })
  )
})

/** The mean objective over the last tenth of the training trials (at least one): the final objective. */
export const finalObjective = (objectiveMean: ReadonlyArray<number>): number | null => {
  const tail = objectiveMean.slice(objectiveMean.length - Math.max(1, Math.round(objectiveMean.length / 10)))
  const finite = tail.filter(Number.isFinite)
  return finite.length === 0 ? null : finite.reduce((a, b) => a + b, 0) / finite.length
}

/** An absent metric is null; a non-finite one is kept, for {@link requireFiniteMetrics} to refuse. */
const finite = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v)

/** Numerical health (#22): metrics holding a non-finite value fail the stage (never published as null). */
const requireFiniteMetrics = (stage: string, m: Metrics) =>
  Effect.gen(function* () {
    for (const s of m.scalars) if (s.value !== null) yield* requireFinite(stage, `metric ${s.name}`, [s.value])
    for (const s of m.series) {
      yield* requireFinite(stage, `series ${s.name} (y)`, s.y, (i) => ({ at: `point ${i}` }))
      yield* requireFinite(stage, `series ${s.name} (x)`, s.x, (i) => ({ at: `point ${i}` }))
    }
    return m
  })

/** A run's metrics from its trained network's analysis, and (when it trained) its initial one and its training. */
export const experimentMetrics = (
  trained: Summary,
  initial?: Summary,
  objectiveMean?: ReadonlyArray<number>
): Metrics => {
  const scalars: Array<Scalar> = []
  const series: Array<Series> = []
  const add = (name: string, label: string, value: number | null | undefined, primary: boolean) =>
    scalars.push({ name, label, value: finite(value), primary })
  if (trained.task === "estimation") {
    add("testMse", "test MSE ‖o − y‖² (a.u.)", trained.testMse, true)
    add("priorWeightedMse", "prior-weighted MSE (a.u.)", trained.priorWeightedMse, true)
    if (initial?.task === "estimation") add("initialTestMse", "test MSE before training (a.u.)", initial.testMse, false)
    series.push({
      name: "errorByAngle",
      label: "Test MSE by stimulus angle",
      xLabel: "stimulus angle θ (rad)",
      yLabel: "test MSE ‖o − y‖² (a.u.)",
      x: trained.mseByAngle.map((e) => e.angle),
      y: trained.mseByAngle.map((e) => e.mse)
    })
  } else {
    add("accuracy", "accuracy (fraction)", trained.accuracy, true)
    add("logLikelihood", "log-likelihood per sample (nats)", trained.logLikelihood, true)
    add("dPrime", "d′ of the readout D·r, θ > 0 vs θ < 0 (d_prime_calc)", trained.dPrime, true)
    if (initial?.task === "classification")
      add("initialAccuracy", "accuracy before training (fraction)", initial.accuracy, false)
    series.push({
      name: "errorByAngle",
      label: "Test error rate by stimulus angle",
      xLabel: "stimulus angle θ (rad)",
      yLabel: "error rate (fraction)",
      x: trained.accuracyByAngle.map((e) => e.angle),
      y: trained.accuracyByAngle.map((e) => 1 - e.accuracy)
    })
  }
  add("decoderNoiseShare", "noise variance share along the decoder", trained.decoderAlignedNoise.decoderShare, false)
  if (objectiveMean !== undefined) {
    add(
      "finalObjective",
      "final training objective (mean of the last 10% of trials)",
      finalObjective(objectiveMean),
      true
    )
    series.push({
      name: "learningCurve",
      label: "Learning curve",
      xLabel: "training trial (index)",
      yLabel: trained.task === "estimation" ? "objective −‖y − o‖² (a.u.)" : "objective log p(y) (nats)",
      x: objectiveMean.map((_, k) => k + 1),
      y: [...objectiveMean]
    })
  }
  return { scalars, series }
}

export const metrics = Stage.make({
  name: "metrics",
  module: import.meta.url,
  description: "Collects a trained run's results and curves for sweeps.",
  params: Schema.Struct({}),
  inputs: { analysis: analyze, analysisInitial: analyze, training: train },
  output: MetricsJson,
  run: (ctx) =>
    requireFiniteMetrics(
      "metrics",
      experimentMetrics(
        asSummary(ctx.inputs.analysis.result),
        asSummary(ctx.inputs.analysisInitial.result),
        ctx.inputs.training.result.objectiveMean
      )
    )
})

export const metricsPretrained = Stage.make({
  name: "metrics-pretrained",
  module: import.meta.url,
  description: "Collects a loaded network's results and curves for sweeps.",
  params: Schema.Struct({}),
  inputs: { analysis: analyze },
  output: MetricsJson,
  run: (ctx) => requireFiniteMetrics("metrics-pretrained", experimentMetrics(asSummary(ctx.inputs.analysis.result)))
})
