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
import type * as Stage from "../src/engine/Stage.js"
import {
  atMost,
  BOUNDS,
  defaultModelParams,
  type ModelParams,
  Nonlinearity,
  Positive,
  type Task
} from "../src/model/params.js"
import { defaultRuleId, ruleIds } from "../src/model/rules/index.js"
import { analyze, analyzeParams } from "../stages/analyze.js"
import { metrics, metricsPretrained } from "../stages/metrics.js"
import { init, loadNetwork } from "../stages/network.js"
import { checkNetworkFileOnce } from "../stages/networkFile.js"
import { split } from "../stages/params.js"
import { plotExperiment, plotParams, plotPretrained } from "../stages/plot.js"
import { report } from "../stages/report.js"
import { fromRoot } from "../stages/root.js"
import { ruleImpls } from "../stages/rules.js"
import { sampleInputs } from "../stages/sampleInputs.js"
import { test } from "../stages/test.js"
import { testSchedule } from "../stages/testSchedule.js"
import { train } from "../stages/train.js"

/** Limits that keep a run within what one machine can hold (larger runs: the model's own API). */
export const LIMITS = { N: 2000, trials: 100_000, testTrials: 10_000, trialSeconds: 1_000_000 } as const

const count = (fallback: number, max: number) =>
  Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(0, max)), { default: () => fallback })
const seconds = (fallback: number) =>
  Schema.optionalWith(
    Schema.Number.pipe(Schema.finite(), Schema.positive(), Schema.lessThanOrEqualTo(LIMITS.trialSeconds)),
    {
      default: () => fallback
    }
  )

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
    trainTrials: count(model.trainTrials, LIMITS.trials),
    /** Test trials, for the untrained and the trained network (reference `test_num`: 100). */
    testTrials: count(model.testTrials, LIMITS.testTrials),
    /** Length of one trial in seconds (reference `T`: 1000). */
    trialSeconds: seconds(model.trialSeconds),
    /** How long each test stimulus is held, seconds (reference `switch_period`: 200). */
    switchSeconds: Schema.optional(
      Schema.Number.pipe(Schema.finite(), Schema.positive(), Schema.lessThanOrEqualTo(LIMITS.trialSeconds))
    ),
    /** No learning during the first seconds of each training trial (reference `transient`: 40). */
    transientSeconds: Schema.optionalWith(
      Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.transientSeconds)),
      { default: () => model.transientSeconds }
    ),
    /**
     * Root seed of every random stream. The default is the task's median member of its seed study
     * (seeds 1–8 and 120994; README "Results"), so that the default run is a typical one. The
     * reference script's seed, 120994, seeds numpy, not alea: it has no special meaning here.
     */
    seed: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(0, Number.MAX_SAFE_INTEGER)), {
      default: () => defaultSeeds[task]
    }),
    /** Rate noise σ (0.2). */
    sigma: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.sigma)), {
      default: () => model.sigma
    }),
    /** Number of neurons (40 estimation, 25 classification). */
    N: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, LIMITS.N)), { default: () => model.N }),
    /** Concentration κ of the von Mises stimulus prior (0.75). */
    kappa: Schema.optionalWith(Positive.pipe(atMost(BOUNDS.kappa)), {
      default: () => model.kappaIn
    }),
    /** The plasticity rule that trains the network (src/model/rules/). */
    rule: Schema.optionalWith(Schema.Literal(...ruleIds), { default: () => defaultRuleId }),
    /** Skip training and test a network file instead (default: false, or true when `pretrainedPath` is given). */
    pretrained: Schema.optional(Schema.Boolean),
    /** The network file to test (default `pretrained/<task>.json`; relative paths: from the project root). */
    pretrainedPath: Schema.optional(Schema.String),
    ...switchFields(model)
  }
}

/**
 * The reference's switches (its README §9; src/model/params.ts documents each), off by default:
 * `annealed` (learning rates × A·e^(−k/150) + 1), `inputNoise` (σ_ν of the input noise),
 * `normalizeOutput` (the estimation objective reads r/‖r‖), `decoderFixed` (the decoder is not
 * learned), `nonlinearity` (`softplus`, `sigmoid` or `linear`).
 */
const switchFields = (model: ModelParams) => ({
  annealed: Schema.optionalWith(Schema.Boolean, { default: () => model.annealed }),
  inputNoise: Schema.optionalWith(
    Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.inputNoise)),
    {
      default: () => model.inputNoise
    }
  ),
  normalizeOutput: Schema.optionalWith(Schema.Boolean, { default: () => model.normalizeOutput }),
  decoderFixed: Schema.optionalWith(Schema.Boolean, { default: () => model.decoderFixed }),
  nonlinearity: Schema.optionalWith(Nonlinearity, { default: () => model.nonlinearity })
})

/**
 * The experiment's params, with the checks across fields: a presentation fits in a trial and
 * lasts at least one step, and `pretrainedPath` implies
 * `pretrained=true` (it contradicts `pretrained=false`).
 */
export const experimentParams = (task: Task) =>
  Schema.Struct(experimentFields(task)).pipe(
    Schema.filter((p) => {
      const { dt } = defaultModelParams(task)
      if (p.switchSeconds !== undefined && p.switchSeconds > p.trialSeconds) {
        return {
          path: ["switchSeconds"],
          message: `must not exceed trialSeconds (${p.trialSeconds} s), actual ${p.switchSeconds}`
        }
      }
      if (switchSecondsOf(task, p) < dt) {
        return {
          path: ["switchSeconds"],
          message: `must last at least one step (dt = ${dt} s), actual ${switchSecondsOf(task, p)}`
        }
      }
      if (p.trialSeconds < 2 * dt) {
        return {
          path: ["trialSeconds"],
          message: `must give at least 2 steps of dt = ${dt} s, actual ${p.trialSeconds}`
        }
      }
      if (p.pretrained === false && p.pretrainedPath !== undefined) {
        return { path: ["pretrainedPath"], message: "is given but pretrained=false: drop one of the two" }
      }
      // The network file is checked when the run is planned, before any stage runs.
      const file = pretrainedFile(task, p)
      if (file.load) {
        const path = fromRoot(file.path)
        const checked = checkNetworkFileOnce(path, networkSizes(task, p))
        if (!checked.ok) {
          return {
            path: [p.pretrainedPath === undefined ? "pretrained" : "pretrainedPath"],
            message: `network file ${path} ${checked.problem}`
          }
        }
      }
      return true
    })
  )

export type ExperimentParams = Schema.Schema.Type<ReturnType<typeof experimentParams>>

/**
 * How long each test stimulus is held: `switchSeconds`, or by default the reference's 200 s,
 * shortened to the trial when trials are shorter (one presentation per trial, as before).
 */
export const switchSecondsOf = (
  task: Task,
  p: { readonly switchSeconds?: number | undefined; readonly trialSeconds: number }
): number => p.switchSeconds ?? Math.min(defaultModelParams(task).switchSeconds, p.trialSeconds)

/** The reference's switches of a run, for the report's header. */
export const switchesOf = (
  p: Pick<ExperimentParams, "annealed" | "inputNoise" | "normalizeOutput" | "decoderFixed" | "nonlinearity">
) => ({
  annealed: p.annealed,
  inputNoise: p.inputNoise,
  normalizeOutput: p.normalizeOutput,
  decoderFixed: p.decoderFixed,
  nonlinearity: p.nonlinearity
})

/** Whether the experiment tests a network file, and which one. */
export const pretrainedFile = (task: Task, p: Pick<ExperimentParams, "pretrained" | "pretrainedPath">) => ({
  load: p.pretrained ?? p.pretrainedPath !== undefined,
  path: p.pretrainedPath ?? `pretrained/${task}.json`
})

/** The digest of a checked network file ("invalid" cannot happen: the params Schema refused the run). */
const fileDigestOf = (checked: ReturnType<typeof checkNetworkFileOnce>) => (checked.ok ? checked.digest : "invalid")

/** The sizes a network file must have for an experiment. */
const networkSizes = (task: Task, p: { readonly N: number }) => {
  const { inputDim, targetDim } = defaultModelParams(task)
  return { N: p.N, inputDim, targetDim }
}

/** The model parameters of an experiment: the task's reference values with the params applied. */
export const modelParams = (task: Task, p: ExperimentParams): ModelParams => ({
  ...defaultModelParams(task),
  N: p.N,
  sigma: p.sigma,
  kappaIn: p.kappa,
  trialSeconds: p.trialSeconds,
  transientSeconds: p.transientSeconds,
  switchSeconds: switchSecondsOf(task, p),
  trainTrials: p.trainTrials,
  testTrials: p.testTrials,
  annealed: p.annealed,
  inputNoise: p.inputNoise,
  normalizeOutput: p.normalizeOutput,
  decoderFixed: p.decoderFixed,
  nonlinearity: p.nonlinearity
})

/** How {@link trainedExperiment} names its nodes and seeds them, for a pipeline that runs several. */
export interface ExperimentNaming {
  /** Appended to every node name (`train-estimation`, …); none by default. */
  readonly suffix?: string
  /** The nodes' root seed, when it is not the pipeline's. */
  readonly seed?: number
  /** The plasticity rule's implementation for `train`, when the pipeline does not provide it. */
  readonly provideRule?: boolean
  /** A `test-schedule` node to use instead of drawing one. */
  readonly schedule?: Pipeline.Node<Stage.OutputOf<typeof testSchedule>>
}

/** The test stimuli of a run: its `test-schedule` node (`options` may name and seed it). */
export const testScheduleNode = (
  task: Task,
  p: ExperimentParams,
  use: Pipeline.Use,
  options: { readonly name?: string; readonly seed?: number } = {}
) =>
  use(testSchedule, {
    ...options,
    params: {
      trials: p.testTrials,
      inputDim: defaultModelParams(task).inputDim,
      trialSeconds: p.trialSeconds,
      switchSeconds: switchSecondsOf(task, p)
    }
  })

/**
 * The trained experiment's nodes up to the analyses: stimuli, initial network, training, both
 * tests and both analyses. Same params, same keys: a pipeline that builds these for a task shares
 * the cache of `pipeline run <task>` with the same params (and seed).
 */
export const trainedExperiment = (
  task: Task,
  p: ExperimentParams,
  use: Pipeline.Use,
  naming: ExperimentNaming = {}
) => {
  const full = modelParams(task, p)
  const model = split(full)
  const name = (base: string) => (naming.suffix === undefined ? {} : { name: `${base}-${naming.suffix}` })
  const seeded = naming.seed === undefined ? {} : { seed: naming.seed }
  const schedule = naming.schedule ?? testScheduleNode(task, p, use, { ...name("test-schedule"), ...seeded })
  const testParams = { dynamics: model.dynamics, trials: p.testTrials }
  const stimuli = use(sampleInputs, {
    ...name("sample-inputs"),
    ...seeded,
    params: { stimulus: model.stimulus, trials: p.trainTrials }
  })
  const initial = use(init, { ...name("init"), ...seeded, params: model.initial })
  const trained = use(train, {
    ...name("train"),
    ...seeded,
    params: { dynamics: model.dynamics, learning: model.learning, trials: p.trainTrials },
    inputs: { network: initial, stimuli },
    ...(naming.provideRule ? { provide: [ruleImpls[p.rule]] } : {})
  })
  const recordingInitial = use(test, {
    name: naming.suffix === undefined ? "test-initial" : `test-initial-${naming.suffix}`,
    ...seeded,
    params: testParams,
    inputs: { network: initial, schedule }
  })
  const recording = use(test, {
    ...name("test"),
    ...seeded,
    params: testParams,
    inputs: { network: trained, schedule }
  })
  const analysisInitial = use(analyze, {
    name: naming.suffix === undefined ? "analyze-initial" : `analyze-initial-${naming.suffix}`,
    ...seeded,
    params: analyzeParams(full),
    inputs: { recording: recordingInitial }
  })
  const analysis = use(analyze, { ...name("analyze"), ...seeded, params: analyzeParams(full), inputs: { recording } })
  return { full, stimuli, trained, analysisInitial, analysis }
}

/** The estimation or classification experiment. */
export const experiment = (task: Task, description: string) =>
  Pipeline.make({
    name: task,
    description,
    params: experimentParams(task),
    seed: (p) => p.seed,
    services: (p) => [ruleImpls[p.rule]],
    metrics: "metrics",
    build: (p, use) => {
      const full = modelParams(task, p)
      const model = split(full)
      const pretrained = pretrainedFile(task, p)
      const schedule = testScheduleNode(task, p, use)
      const testParams = { dynamics: model.dynamics, trials: p.testTrials }
      if (pretrained.load) {
        const { N, inputDim, targetDim } = model.initial
        const network = use(loadNetwork, {
          params: {
            path: pretrained.path,
            // sha256 of the bytes the params Schema checked (the memoized result of that check).
            digest: fileDigestOf(checkNetworkFileOnce(fromRoot(pretrained.path), { N, inputDim, targetDim })),
            N,
            inputDim,
            targetDim
          }
        })
        const recording = use(test, { params: testParams, inputs: { network, schedule } })
        const analysis = use(analyze, { params: analyzeParams(full), inputs: { recording } })
        const plot = use(plotPretrained, {
          name: "plot",
          params: plotParams(full),
          inputs: { analysis }
        })
        const summary = use(metricsPretrained, { name: "metrics", inputs: { analysis } })
        return [use(report, { params: { pipeline: task, switches: switchesOf(p) }, inputs: { plot } }), summary]
      }
      const { stimuli, trained, analysisInitial, analysis } = trainedExperiment(task, p, use, { schedule })
      const plot = use(plotExperiment, {
        name: "plot",
        params: plotParams(full),
        inputs: { analysis, analysisInitial, training: trained, stimuli }
      })
      const summary = use(metrics, { inputs: { analysis, analysisInitial, training: trained } })
      return [use(report, { params: { pipeline: task, switches: switchesOf(p) }, inputs: { plot } }), summary]
    }
  })
