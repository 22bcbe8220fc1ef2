/**
 * `mixed-cost`: what learning both readouts at once costs each (issue #18): the mixed network's
 * test MSE and accuracy against those of the single-task networks of the same seed (estimation and
 * classification, each at its own defaults), as the metrics of a `mixed-vs-single` run, so that a
 * sweep over seeds reports each difference with its 95% interval (paired by seed).
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Metrics } from "../src/analysis/aggregate.js"
import type { ClassificationPart } from "../src/analysis/tasks/summaries/classification.js"
import type { EstimationPart } from "../src/analysis/tasks/summaries/estimation.js"
import * as Stage from "../src/engine/Stage.js"
import type { AnalyzeOf } from "./analyze.js"
import { MetricsJson } from "./metrics.js"

/** The cost of sharing one network between both readouts: a difference, null where either is undefined. */
const difference = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b)

/** The mixed network's numbers against the single-task networks'. */
export const mixedCost = (
  mixed: EstimationPart & ClassificationPart,
  estimation: EstimationPart,
  classification: ClassificationPart
): Metrics => {
  const scalar = (name: string, label: string, value: number | null, primary: boolean) => ({
    name,
    label,
    value: value !== null && Number.isFinite(value) ? value : null,
    primary
  })
  return {
    scalars: [
      scalar(
        "mseCost",
        "test MSE, mixed − estimation network (a.u.; > 0: sharing costs)",
        difference(mixed.testMse, estimation.testMse),
        true
      ),
      scalar(
        "accuracyCost",
        "accuracy, classification − mixed network (> 0: sharing costs)",
        difference(classification.accuracy, mixed.accuracy),
        true
      ),
      scalar("mixedTestMse", "test MSE of the mixed network's estimate (a.u.)", mixed.testMse, false),
      scalar("estimationTestMse", "test MSE of the estimation network (a.u.)", estimation.testMse, false),
      scalar("mixedAccuracy", "accuracy of the mixed network's class (fraction)", mixed.accuracy, false),
      scalar(
        "classificationAccuracy",
        "accuracy of the classification network (fraction)",
        classification.accuracy,
        false
      ),
      scalar("mixedLogLikelihood", "log-likelihood of the mixed network's class (nats)", mixed.logLikelihood, false),
      scalar(
        "classificationLogLikelihood",
        "log-likelihood of the classification network (nats)",
        classification.logLikelihood,
        false
      )
    ],
    series: [
      {
        name: "mseByAngle",
        label: "Test MSE by angle: mixed − estimation network",
        xLabel: "stimulus angle θ (rad)",
        yLabel: "MSE difference (a.u.)",
        x: mixed.mseByAngle.map((e) => e.angle),
        y: mixed.mseByAngle.map((e, k) => e.mse - (estimation.mseByAngle[k]?.mse ?? Number.NaN))
      }
    ]
  }
}

/** The stage, reading the three experiments' `analyze` stages (their typed summaries). */
export const mixedCostStage = <
  M extends EstimationPart & ClassificationPart,
  E extends EstimationPart,
  C extends ClassificationPart
>(
  mixed: AnalyzeOf<M>,
  estimation: AnalyzeOf<E>,
  classification: AnalyzeOf<C>
) =>
  Stage.make({
    name: "mixed-cost",
    module: import.meta.url,
    description: "The mixed network's test MSE and accuracy against the single-task networks' of the same seed.",
    params: Schema.Struct({}),
    inputs: { mixed, estimation, classification },
    output: MetricsJson,
    run: (ctx) =>
      Effect.succeed(mixedCost(ctx.inputs.mixed.result, ctx.inputs.estimation.result, ctx.inputs.classification.result))
  })
