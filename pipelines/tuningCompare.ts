/**
 * `tuning-compare`: the estimation and the classification experiment, each exactly as its own
 * pipeline builds it (same params, same root seed, so the same keys: the cache of
 * `pipeline run estimation` and `pipeline run classification` is reused, and vice versa), and
 * the reference's `tuning_curve_compare` of the two trained networks in one report.
 *
 * Node names: the experiments' nodes with the task appended (`train-estimation`,
 * `analyze-classification`, …), and `tuning-compare`.
 */
import * as Schema from "effect/Schema"
import * as Pipeline from "../src/engine/Pipeline.js"
import type { TaskId } from "../src/model/tasks/index.js"
import { experiments } from "../stages/experiments/index.js"
import { tuningCompareStage } from "../stages/tuningCompare.js"
import {
  defaultSeeds,
  type ExperimentParams,
  experimentParams,
  stimulusExperimentFields,
  trainedExperiment
} from "./experiment.js"

const shared = () => {
  const { pretrained: _p, pretrainedPath: _pp, seed: _s, N: _n, ...fields } = stimulusExperimentFields("estimation")
  return fields
}

const seedField = (task: TaskId) =>
  Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(0, Number.MAX_SAFE_INTEGER)), {
    default: () => defaultSeeds[task]
  }).annotations({ description: `root seed of the ${task} experiment (its own default)` })

const tuningCompareNode = tuningCompareStage(
  experiments.estimation.stages.analyze,
  experiments.classification.stages.analyze
)

export const tuningCompare = Pipeline.make({
  name: "tuning-compare",
  description:
    "The estimation and the classification experiment (their own stages and cache) and their tuning curves side by side.",
  params: Schema.Struct({
    ...shared(),
    /** The root seed of each experiment (default: each task's own default, 7 and 4). */
    estimationSeed: seedField("estimation"),
    classificationSeed: seedField("classification")
  }),
  seed: (p) => p.estimationSeed,
  build: (p, use) => {
    const { estimationSeed, classificationSeed, ...common } = p
    const member = (task: "estimation" | "classification", seed: number) => {
      // The task's own experiment params: these overrides on its defaults (its N, its seed).
      const params: ExperimentParams = Schema.decodeUnknownSync(experimentParams(task))({ ...common, seed })
      return trainedExperiment(task, params, use, { suffix: task, seed, provideRule: true })
    }
    const estimation = member("estimation", estimationSeed)
    const classification = member("classification", classificationSeed)
    const { thetaThresh, thetaThreshRev } = classification.full.settings
    return [
      use(tuningCompareNode, {
        params: {
          pipeline: "tuning-compare",
          thetaThresh: Number(thetaThresh),
          thetaThreshRev: Number(thetaThreshRev)
        },
        inputs: { estimation: estimation.analysis, classification: classification.analysis }
      })
    ]
  }
})
