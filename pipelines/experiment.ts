/**
 * The paper's experiment, for either task (reference README §5): sample the stimuli, draw the
 * initial network, test it, train it with the plasticity rule, test it again, analyze both
 * recordings, plot, report. With `pretrained=true` (or `pretrainedPath=FILE`) a network file
 * replaces `init` and `train`.
 *
 * Node names scripts can rely on: `sample-inputs`, `init`, `train`, `test-initial`,
 * `analyze-initial`, `test`, `analyze`, `plot`, `report` (pretrained: `load-network`, `test`,
 * `analyze`, `plot`, `report`).
 */
import * as Schema from "effect/Schema"
import * as Pipeline from "../src/engine/Pipeline.js"
import { defaultModelParams, type ModelParams, type Task } from "../src/model/params.js"
import { defaultRuleId, ruleIds } from "../src/model/rules/index.js"
import { analyze, analyzeParams } from "../stages/analyze.js"
import { init, loadNetwork } from "../stages/network.js"
import { dynamicsOnly } from "../stages/params.js"
import { plotExperiment, plotParams, plotPretrained } from "../stages/plot.js"
import { report } from "../stages/report.js"
import { fileDigest } from "../stages/root.js"
import { ruleImpls } from "../stages/rules.js"
import { sampleInputs } from "../stages/sampleInputs.js"
import { test } from "../stages/test.js"
import { train } from "../stages/train.js"

const count = (fallback: number) =>
  Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.nonNegative()), { default: () => fallback })
const positive = (fallback: number) =>
  Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.positive()), { default: () => fallback })

/**
 * The default root seed of each task: the median member of its nine-seed study (`seed-study`,
 * `seed-study-classification`; see `seed` below): test MSE 0.1395 for estimation, accuracy 0.789
 * for classification.
 */
export const defaultSeeds: Readonly<Record<Task, number>> = { estimation: 7, classification: 4 }

/** The experiment's params (`--set key=value`), with the reference defaults: the fields. */
export const experimentFields = (task: Task) => {
  const model = defaultModelParams(task)
  return {
    /** Training trials (reference `trial_num_2`: 260). */
    trainTrials: count(model.trainTrials),
    /** Test trials, for the untrained and the trained network (reference `test_num`: 100). */
    testTrials: count(model.testTrials),
    /** Length of one trial in seconds (reference `T`: 1000). */
    trialSeconds: positive(model.trialSeconds),
    /** How long each test stimulus is held, seconds (reference `switch_period`: 200). */
    switchSeconds: positive(model.switchSeconds),
    /** No learning during the first seconds of each training trial (reference `transient`: 40). */
    transientSeconds: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.nonNegative()), {
      default: () => model.transientSeconds
    }),
    /**
     * Root seed of every random stream. The default is the task's median member of its seed study
     * (seeds 1–8 and 120994; README "Results"), so that the default run is a typical one. The
     * reference script's seed, 120994, seeds numpy, not alea: it has no special meaning here.
     */
    seed: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.nonNegative()), {
      default: () => defaultSeeds[task]
    }),
    /** Rate noise σ (0.2). */
    sigma: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.nonNegative()), {
      default: () => model.sigma
    }),
    /** Number of neurons (40 estimation, 25 classification). */
    N: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.positive()), { default: () => model.N }),
    /** Concentration κ of the von Mises stimulus prior (0.75). */
    kappa: positive(model.kappaIn),
    /** The plasticity rule that trains the network (src/model/rules/). */
    rule: Schema.optionalWith(Schema.Literal(...ruleIds), { default: () => defaultRuleId }),
    /** Skip training and test a network file instead (default: false, or true when `pretrainedPath` is given). */
    pretrained: Schema.optional(Schema.Boolean),
    /** The network file to test (default `pretrained/<task>.json`; relative paths: from the project root). */
    pretrainedPath: Schema.optional(Schema.String)
  }
}

/** The experiment's params; `pretrainedPath` implies `pretrained=true`, and contradicts `pretrained=false`. */
export const experimentParams = (task: Task) =>
  Schema.Struct(experimentFields(task)).pipe(
    Schema.filter(
      (p) =>
        !(p.pretrained === false && p.pretrainedPath !== undefined) ||
        "pretrainedPath is given but pretrained=false: drop one of the two"
    )
  )

export type ExperimentParams = Schema.Schema.Type<ReturnType<typeof experimentParams>>

/** Whether the experiment tests a network file, and which one. */
export const pretrainedFile = (task: Task, p: Pick<ExperimentParams, "pretrained" | "pretrainedPath">) => ({
  load: p.pretrained ?? p.pretrainedPath !== undefined,
  path: p.pretrainedPath ?? `pretrained/${task}.json`
})

/** The model parameters of an experiment: the task's reference values with the params applied. */
export const modelParams = (task: Task, p: ExperimentParams): ModelParams => ({
  ...defaultModelParams(task),
  N: p.N,
  sigma: p.sigma,
  kappaIn: p.kappa,
  trialSeconds: p.trialSeconds,
  transientSeconds: p.transientSeconds,
  switchSeconds: p.switchSeconds,
  trainTrials: p.trainTrials,
  testTrials: p.testTrials
})

/** The estimation or classification experiment. */
export const experiment = (task: Task, description: string) =>
  Pipeline.make({
    name: task,
    description,
    params: experimentParams(task),
    seed: (p) => p.seed,
    services: (p) => [ruleImpls[p.rule]],
    build: (p, use) => {
      const model = dynamicsOnly(modelParams(task, p))
      const pretrained = pretrainedFile(task, p)
      const testParams = { model, trials: p.testTrials, switchSeconds: p.switchSeconds }
      const stimuli = use(sampleInputs, {
        params: {
          model,
          trainTrials: pretrained.load ? 0 : p.trainTrials,
          testTrials: p.testTrials,
          switchSeconds: p.switchSeconds
        }
      })
      if (pretrained.load) {
        const network = use(loadNetwork, {
          params: {
            path: pretrained.path,
            digest: fileDigest(pretrained.path),
            N: model.N,
            inputDim: model.inputDim,
            targetDim: model.targetDim
          }
        })
        const recording = use(test, { params: testParams, inputs: { network, stimuli } })
        const analysis = use(analyze, { params: analyzeParams(model, p.switchSeconds), inputs: { recording } })
        const plot = use(plotPretrained, {
          name: "plot",
          params: plotParams(model, p.trialSeconds),
          inputs: { analysis }
        })
        return [use(report, { params: { pipeline: task }, inputs: { plot } })]
      }
      const { N, inputDim, targetDim, initialBias } = model
      const initial = use(init, { params: { N, inputDim, targetDim, initialBias } })
      const trained = use(train, {
        params: { model, trials: p.trainTrials },
        inputs: { network: initial, stimuli }
      })
      const recordingInitial = use(test, {
        name: "test-initial",
        params: testParams,
        inputs: { network: initial, stimuli }
      })
      const recording = use(test, { params: testParams, inputs: { network: trained, stimuli } })
      const analysisInitial = use(analyze, {
        name: "analyze-initial",
        params: analyzeParams(model, p.switchSeconds),
        inputs: { recording: recordingInitial }
      })
      const analysis = use(analyze, { params: analyzeParams(model, p.switchSeconds), inputs: { recording } })
      const plot = use(plotExperiment, {
        name: "plot",
        params: plotParams(model, p.trialSeconds),
        inputs: { analysis, analysisInitial, training: trained }
      })
      return [use(report, { params: { pipeline: task }, inputs: { plot } })]
    }
  })
