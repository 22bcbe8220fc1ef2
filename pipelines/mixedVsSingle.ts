/**
 * `mixed-vs-single`: does learning estimation and classification in one network cost either task
 * anything? The mixed experiment and the two single-task experiments, each exactly as its own
 * pipeline builds it at the same root seed (so the same keys: `pipeline run mixed`, `estimation`
 * and `classification` share their cache), and `mixed-cost`, their differences, as the run's
 * metrics: `--sweep seed=1..8` (sweeps/mixed-vs-single.yaml) gives each with its 95% interval.
 *
 * Node names: the experiments' nodes with the task appended (`train-mixed`, `analyze-estimation`,
 * …), and `mixed-cost`.
 */
import * as Schema from "effect/Schema"
import * as Pipeline from "../src/engine/Pipeline.js"
import { NonNegative } from "../src/model/params.js"
import { experiments } from "../stages/experiments/index.js"
import { mixedCostStage } from "../stages/mixedCost.js"
import { type ExperimentParams, experimentParams, stimulusExperimentFields, trainedExperiment } from "./experiment.js"

/** The stimulus experiments' params less the network file, N (each task's own) and the estimation-only `normalizeOutput` (the mixed task refuses it). */
const shared = () => {
  const {
    pretrained: _p,
    pretrainedPath: _pp,
    N: _n,
    normalizeOutput: _no,
    ...fields
  } = stimulusExperimentFields("mixed")
  return fields
}

const costNode = mixedCostStage(
  experiments.mixed.stages.analyze,
  experiments.estimation.stages.analyze,
  experiments.classification.stages.analyze
)

export const mixedVsSingle = Pipeline.make({
  name: "mixed-vs-single",
  description:
    "The mixed network against the estimation and the classification network of the same seed: what sharing one network costs each task.",
  params: Schema.Struct({
    ...shared(),
    /** The mixed objective's weights (its `lambdaMse`, `lambdaLl`; 1 and 1). */
    lambdaMse: Schema.optionalWith(NonNegative, { default: () => 1 }).annotations({
      description: "weight of the estimation part of the mixed objective (`lambda_MSE`)"
    }),
    lambdaLl: Schema.optionalWith(NonNegative, { default: () => 1 }).annotations({
      description: "weight of the classification part of the mixed objective (`lambda_LL`)"
    })
  }),
  seed: (p) => p.seed,
  metrics: "mixed-cost",
  build: (p, use) => {
    const { lambdaMse, lambdaLl, ...common } = p
    const member = (task: "mixed" | "estimation" | "classification", extra: Record<string, unknown> = {}) => {
      // The task's own experiment params: these overrides on its defaults (its N), at the shared seed.
      const params: ExperimentParams = Schema.decodeUnknownSync(experimentParams(task))({ ...common, ...extra })
      return trainedExperiment(task, params, use, { suffix: task, seed: p.seed, provideRule: true })
    }
    const mixed = member("mixed", { lambdaMse, lambdaLl })
    const estimation = member("estimation")
    const classification = member("classification")
    return [
      use(costNode, {
        inputs: { mixed: mixed.analysis, estimation: estimation.analysis, classification: classification.analysis }
      })
    ]
  }
})
