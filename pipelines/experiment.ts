/**
 * The experiment of any task (reference README §5, DESIGN §14): sample the stimuli (a stimulus
 * task), draw the initial network, test it, train it with the plasticity rule, test it again,
 * analyze both recordings, draw each figure of the task's report, write the report. With
 * `pretrained=true` (or `pretrainedPath=FILE`) a network file replaces `init` and `train`. The DAG
 * is the same for every task: it asks the task's experiment (stages/experiments/) for its stages,
 * params, figures and report, and the task's model for its input (a feedback task has no
 * stimulus: no `sample-inputs`, no `test-schedule`).
 *
 * Node names scripts can rely on: `sample-inputs`, `test-schedule` (stimulus tasks), `init`,
 * `train`, `test-initial`, `analyze-initial`, `test`, `analyze`, `metrics`, `plot`, one
 * `figure-<id>` per figure, `report` (pretrained: `load-network`, `test`, `analyze`, `metrics`,
 * `plot`, the figures, `report`).
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
  taskSettings
} from "../src/model/params.js"
import { defaultRuleId, getRule, ruleIds } from "../src/model/rules/index.js"
import type { TaskId } from "../src/model/tasks/index.js"
import { applicable, type Need } from "../src/report/spec.js"
import { type AnyExperiment, experiments } from "../stages/experiments/index.js"
import { init, loadNetwork } from "../stages/network.js"
import { checkNetworkFileOnce } from "../stages/networkFile.js"
import { split } from "../stages/params.js"
import { classBoundaries, type PlotParams } from "../stages/plot.js"
import { contentImpl, figureImpl } from "../stages/reportSpecs.js"
import { fromRoot } from "../stages/root.js"
import { ruleImpls } from "../stages/rules.js"
import { sampleInputs } from "../stages/sampleInputs.js"
import { taskImpls } from "../stages/tasks.js"
import { test, testClosedLoop } from "../stages/test.js"
import { testSchedule } from "../stages/testSchedule.js"
import { train, trainClosedLoop } from "../stages/train.js"

/** Limits that keep a run within what one machine can hold (larger runs: the model's own API). */
export const LIMITS = { N: 2000, trials: 100_000, testTrials: 10_000, trialSeconds: 1_000_000 } as const

const count = (fallback: number, max: number) =>
  Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(0, max)), { default: () => fallback })
const seconds = (fallback: number) =>
  Schema.optionalWith(
    Schema.Number.pipe(Schema.finite(), Schema.positive(), Schema.lessThanOrEqualTo(LIMITS.trialSeconds)),
    { default: () => fallback }
  )

/**
 * The default root seed of each task: for estimation and classification the median member of its
 * nine-seed study (`seed-study`, `seed-study-classification`; see `seed` below): test MSE 0.1395
 * for estimation, accuracy 0.789 for classification.
 */
export const defaultSeeds = Object.fromEntries(
  Object.values(experiments).map((e) => [e.id, e.defaultSeed])
) as Readonly<Record<TaskId, number>>

/** Whether a task's input is a stimulus (its experiment samples stimuli and a test schedule). */
const hasStimulus = (id: TaskId): boolean => experiments[id].task.input === "stimulus"

/** The params every task's experiment takes (`--set key=value`), with the task's reference defaults. */
const commonFields = (id: TaskId) => {
  const model = defaultModelParams(experiments[id].task)
  return {
    /** Training trials (reference `trial_num_2`: 260). */
    trainTrials: count(model.trainTrials, LIMITS.trials).annotations({
      description: "training trials (reference `trial_num_2`)"
    }),
    /** Test trials, for the untrained and the trained network (reference `test_num`: 100). */
    testTrials: count(model.testTrials, LIMITS.testTrials).annotations({
      description: "test trials, before and after learning (`test_num`)"
    }),
    /** Length of one trial in seconds (reference `T`: 1000). */
    trialSeconds: seconds(model.trialSeconds).annotations({ description: "length of a trial, s (`T`; dt = 0.01 s)" }),
    /** No learning during the first seconds of each training trial (reference `transient`: 40). */
    transientSeconds: Schema.optionalWith(
      Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.transientSeconds)),
      {
        default: () => model.transientSeconds
      }
    ).annotations({ description: "no learning during the first seconds of each training trial (`transient`)" }),
    /**
     * Root seed of every random stream. The default is the task's median member of its seed study
     * (seeds 1–8 and 120994; README "Results"), so that the default run is a typical one. The
     * reference script's seed, 120994, seeds numpy, not alea: it has no special meaning here.
     */
    seed: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(0, Number.MAX_SAFE_INTEGER)), {
      default: () => defaultSeeds[id]
    }).annotations({
      description: "root seed of every random stream (each task's median member of its seed study; see Results)"
    }),
    /** Rate noise σ (0.2). */
    sigma: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.sigma)), {
      default: () => model.sigma
    }).annotations({ description: "rate noise σ" }),
    /** Number of neurons (40 estimation, 25 classification). */
    N: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, LIMITS.N)), {
      default: () => model.N
    }).annotations({ description: "neurons" }),
    /** The plasticity rule that trains the network (src/model/rules/). */
    rule: Schema.optionalWith(Schema.Literal(...ruleIds), { default: () => defaultRuleId }).annotations({
      description: "plasticity rule (src/model/rules/)"
    }),
    /** Skip training and test a network file instead (default: false, or true when `pretrainedPath` is given). */
    pretrained: Schema.optional(Schema.Boolean).annotations({
      description:
        "skip training; test the network in `pretrainedPath` (default false; true when `pretrainedPath` is given)"
    }),
    /** The network file to test (default `pretrained/<task>.json`; relative paths: from the project root). */
    pretrainedPath: Schema.optional(Schema.String).annotations({
      description: 'a network file (default `pretrained/<task>.json`; README "Pretrained networks")'
    }),
    ...switchFields(model)
  }
}

/** The params of a stimulus task's experiment: the prior and the test presentations. */
const stimulusFields = (id: TaskId) => {
  const model = defaultModelParams(experiments[id].task)
  return {
    /** Concentration κ of the von Mises stimulus prior (0.75). */
    kappa: Schema.optionalWith(Positive.pipe(atMost(BOUNDS.kappa)), { default: () => model.kappaIn }).annotations({
      description: "concentration of the von Mises stimulus prior"
    }),
    /** How long each test stimulus is held, seconds (reference `switch_period`: 200). */
    switchSeconds: Schema.optional(
      Schema.Number.pipe(Schema.finite(), Schema.positive(), Schema.lessThanOrEqualTo(LIMITS.trialSeconds))
    ).annotations({
      description:
        "how long each test stimulus is held, s (`switch_period`; default 200, or the trial when shorter; ≤ trialSeconds)"
    })
  }
}

/**
 * The reference's switches (its README §9; src/model/params.ts documents each), off by default:
 * `annealed` (learning rates × A·e^(−k/150) + 1), `inputNoise` (σ_ν of the input noise),
 * `normalizeOutput` (the estimation objective reads r/‖r‖), `decoderFixed` (the decoder is not
 * learned), `nonlinearity` (`softplus`, `sigmoid` or `linear`).
 */
const switchFields = (model: ModelParams) => ({
  annealed: Schema.optionalWith(Schema.Boolean, { default: () => model.annealed }).annotations({
    description: "learning rates × (A·e^(−k/150) + 1)/A in training trial k (reference `annealed`)"
  }),
  inputNoise: Schema.optionalWith(
    Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.inputNoise)),
    {
      default: () => model.inputNoise
    }
  ).annotations({
    description: "σ of Gaussian noise on the input of the rate update, its own stream (`input_noise_sigma`)"
  }),
  normalizeOutput: Schema.optionalWith(Schema.Boolean, { default: () => model.normalizeOutput }).annotations({
    description: "the estimation objective and decoder rule read r/‖r‖ (`normalize_output`; estimation only)"
  }),
  decoderFixed: Schema.optionalWith(Schema.Boolean, { default: () => model.decoderFixed }).annotations({
    description: "the decoder is not learned (`train_run(decoder_fixed=True)`)"
  }),
  nonlinearity: Schema.optionalWith(Nonlinearity, { default: () => model.nonlinearity }).annotations({
    description: "the rate function (`param_fns` `nl`/`inv_nl`)"
  })
})

type CommonFields = ReturnType<typeof commonFields>
type StimulusFields = ReturnType<typeof stimulusFields>

/**
 * The experiment's params of a task: the common ones, a stimulus task's prior and presentations,
 * and the task's own (e.g. mixed's `lambdaMse`, bci's `bciLow`): the fields.
 */
export const experimentFields = (id: TaskId): Schema.Struct.Fields => {
  const { trainTrials, testTrials, trialSeconds, transientSeconds, seed, sigma, N, ...rest } = commonFields(id)
  const stimulus: Partial<StimulusFields> = hasStimulus(id) ? stimulusFields(id) : {}
  // In the order `pipeline params` and the messages list them: a stimulus task's beside their kin.
  return {
    trainTrials,
    testTrials,
    trialSeconds,
    ...(stimulus.switchSeconds !== undefined ? { switchSeconds: stimulus.switchSeconds } : {}),
    transientSeconds,
    seed,
    sigma,
    N,
    ...(stimulus.kappa !== undefined ? { kappa: stimulus.kappa } : {}),
    ...rest,
    ...experiments[id].params.fields
  }
}

/** A stimulus task's experiment params other than its task's own (typed: e.g. for a pipeline running several). */
export const stimulusExperimentFields = (id: TaskId) => ({ ...commonFields(id), ...stimulusFields(id) })

/** The decoded params of any task's experiment (a stimulus task's prior and presentations; the task's own as unknown values). */
export type ExperimentParams = Schema.Struct.Type<CommonFields> &
  Partial<Schema.Struct.Type<StimulusFields>> & { readonly [field: string]: unknown }
/** Their encoded form (what `--set` and sweep files give). */
export type ExperimentParamsEncoded = Partial<Schema.Struct.Encoded<CommonFields & StimulusFields>> & {
  readonly [field: string]: unknown
}

/**
 * The experiment's params, with the checks across fields: a presentation fits in a trial and
 * lasts at least one step, `pretrainedPath` implies `pretrained=true` (it contradicts
 * `pretrained=false`), the task takes the switches and the rule it is given, and its own
 * settings are consistent (e.g. bciLow < bciHigh).
 */
export const experimentParams = (id: TaskId): Schema.Schema<ExperimentParams, ExperimentParamsEncoded> =>
  // The fields differ by task (a stimulus task's prior, the task's own): their union is typed once here.
  (Schema.Struct(experimentFields(id)) as unknown as Schema.Schema<ExperimentParams, ExperimentParamsEncoded>).pipe(
    Schema.filter((p) => {
      const task = experiments[id].task
      const { dt } = defaultModelParams(task)
      if (p.switchSeconds !== undefined && p.switchSeconds > p.trialSeconds) {
        return {
          path: ["switchSeconds"],
          message: `must not exceed trialSeconds (${p.trialSeconds} s), actual ${p.switchSeconds}`
        }
      }
      if (hasStimulus(id) && switchSecondsOf(id, p) < dt) {
        return {
          path: ["switchSeconds"],
          message: `must last at least one step (dt = ${dt} s), actual ${switchSecondsOf(id, p)}`
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
      if (getRule(p.rule).needsDecoderRule === true && !task.learnsDecoder) {
        return {
          path: ["rule"],
          message: `${p.rule} learns only the decoder, and the ${id} task's decoder is fixed (it has no decoder rule): nothing would learn`
        }
      }
      let model: ModelParams
      try {
        model = modelParams(id, p)
      } catch (error) {
        return { path: ["settings"], message: String((error as Error).message ?? error) }
      }
      const problem = task.check?.(model)
      if (problem !== undefined) return { path: [problem.path], message: `${problem.message} (task ${id})` }
      // The network file is checked when the run is planned, before any stage runs.
      const file = pretrainedFile(id, p)
      if (file.load) {
        const path = fromRoot(file.path)
        const checked = checkNetworkFileOnce(path, networkSizes(id, p))
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

/**
 * How long each test stimulus is held: `switchSeconds`, or by default the reference's 200 s,
 * shortened to the trial when trials are shorter (one presentation per trial, as before); a
 * feedback task's closed loop has none: the trial.
 */
export const switchSecondsOf = (
  id: TaskId,
  p: { readonly switchSeconds?: number | undefined; readonly trialSeconds: number }
): number =>
  hasStimulus(id)
    ? (p.switchSeconds ?? Math.min(defaultModelParams(experiments[id].task).switchSeconds, p.trialSeconds))
    : p.trialSeconds

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
export const pretrainedFile = (id: TaskId, p: Pick<ExperimentParams, "pretrained" | "pretrainedPath">) => ({
  load: p.pretrained ?? p.pretrainedPath !== undefined,
  path: p.pretrainedPath ?? `pretrained/${id}.json`
})

/** The digest of a checked network file ("invalid" cannot happen: the params Schema refused the run). */
const fileDigestOf = (checked: ReturnType<typeof checkNetworkFileOnce>) => (checked.ok ? checked.digest : "invalid")

/** The sizes a network file must have for an experiment. */
const networkSizes = (id: TaskId, p: { readonly N: number }) => {
  const { inputDim, targetDim } = defaultModelParams(experiments[id].task)
  return { N: p.N, inputDim, targetDim }
}

/** The model parameters of an experiment: the task's reference values with the params applied. */
export const modelParams = (id: TaskId, p: ExperimentParams): ModelParams => {
  const experiment: AnyExperiment = experiments[id]
  const defaults = defaultModelParams(experiment.task)
  return {
    ...defaults,
    settings: taskSettings(experiment.task, experiment.params.settings(p)),
    N: p.N,
    sigma: p.sigma,
    kappaIn: p.kappa ?? defaults.kappaIn,
    trialSeconds: p.trialSeconds,
    transientSeconds: p.transientSeconds,
    switchSeconds: switchSecondsOf(id, p),
    trainTrials: p.trainTrials,
    testTrials: p.testTrials,
    annealed: p.annealed,
    inputNoise: p.inputNoise,
    normalizeOutput: p.normalizeOutput,
    decoderFixed: p.decoderFixed,
    nonlinearity: p.nonlinearity
  }
}

/** The `plot` params of a run: what its figures state of the run and of its task. */
export const plotParams = (id: TaskId, model: ModelParams): PlotParams => ({
  task: id,
  trialSeconds: model.trialSeconds,
  dt: model.dt,
  recordEvery: model.recordEvery,
  classBoundaries: classBoundaries(model.settings),
  rateFunction: {
    nonlinearity: model.nonlinearity,
    alpha: model.alpha,
    beta: model.beta,
    gamma: model.gamma,
    rLow: model.rLow,
    rHigh: model.rHigh
  },
  labels: experiments[id].labels
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

/** The test stimuli of a stimulus task's run: its `test-schedule` node (`options` may name and seed it). */
export const testScheduleNode = (
  id: TaskId,
  p: ExperimentParams,
  use: Pipeline.Use,
  options: { readonly name?: string; readonly seed?: number } = {}
) =>
  use(testSchedule, {
    ...options,
    params: {
      trials: p.testTrials,
      inputDim: defaultModelParams(experiments[id].task).inputDim,
      trialSeconds: p.trialSeconds,
      switchSeconds: switchSecondsOf(id, p)
    }
  })

/**
 * The trained experiment's nodes up to the analyses: stimuli (a stimulus task), initial network,
 * training, both tests and both analyses. Same params, same keys: a pipeline that builds these for
 * a task shares the cache of `pipeline run <task>` with the same params (and seed).
 */
export const trainedExperiment = (
  id: TaskId,
  p: ExperimentParams,
  use: Pipeline.Use,
  naming: ExperimentNaming = {}
) => {
  const experiment: AnyExperiment = experiments[id]
  const full = modelParams(id, p)
  const model = split(full)
  const name = (base: string) => (naming.suffix === undefined ? {} : { name: `${base}-${naming.suffix}` })
  const named = (base: string) => (naming.suffix === undefined ? base : `${base}-${naming.suffix}`)
  const seeded = naming.seed === undefined ? {} : { seed: naming.seed }
  const task = [taskImpls[id]]
  const testParams = { dynamics: model.dynamics, trials: p.testTrials }
  const initial = use(init, { ...name("init"), ...seeded, params: model.initial })
  const learning = { dynamics: model.dynamics, learning: model.learning, trials: p.trainTrials }
  const provide = [...task, ...(naming.provideRule ? [ruleImpls[p.rule]] : [])]
  let stimuli: Pipeline.Node<Stage.OutputOf<typeof sampleInputs>> | undefined
  let trained: Pipeline.Node<Stage.OutputOf<typeof train>>
  let recordingInitial: Pipeline.Node<Stage.OutputOf<typeof test>>
  let recording: Pipeline.Node<Stage.OutputOf<typeof test>>
  if (hasStimulus(id)) {
    const schedule = naming.schedule ?? testScheduleNode(id, p, use, { ...name("test-schedule"), ...seeded })
    stimuli = use(sampleInputs, {
      ...name("sample-inputs"),
      ...seeded,
      params: { stimulus: model.stimulus, trials: p.trainTrials }
    })
    trained = use(train, {
      ...name("train"),
      ...seeded,
      params: learning,
      inputs: { network: initial, stimuli },
      provide
    })
    const tested = (node: string, network: Pipeline.Node<Stage.OutputOf<typeof init>>) =>
      use(test, { name: named(node), ...seeded, params: testParams, inputs: { network, schedule }, provide: task })
    recordingInitial = tested("test-initial", initial)
    recording = tested("test", trained)
  } else {
    trained = use(trainClosedLoop, {
      ...name("train"),
      ...seeded,
      params: learning,
      inputs: { network: initial },
      provide
    })
    const tested = (node: string, network: Pipeline.Node<Stage.OutputOf<typeof init>>) =>
      use(testClosedLoop, { name: named(node), ...seeded, params: testParams, inputs: { network }, provide: task })
    recordingInitial = tested("test-initial", initial)
    recording = tested("test", trained)
  }
  const analyze = experiment.stages.analyze
  const analysisParams = experiment.analysis.paramsOf(full)
  const analysisInitial = use(analyze, {
    name: named("analyze-initial"),
    ...seeded,
    params: analysisParams,
    inputs: { recording: recordingInitial }
  })
  const analysis = use(analyze, { ...name("analyze"), ...seeded, params: analysisParams, inputs: { recording } })
  return { full, stimuli, trained, analysisInitial, analysis }
}

/**
 * Settings that leave training nothing to do: learning starts after `transientSeconds` in each
 * trial, so with trials no longer than that the network never changes (issue #20).
 */
export const learningWarnings =
  (id: TaskId) =>
  (p: ExperimentParams): ReadonlyArray<string> =>
    p.trainTrials > 0 && !pretrainedFile(id, p).load && p.transientSeconds >= p.trialSeconds
      ? [
          `transientSeconds (${p.transientSeconds} s) ≥ trialSeconds (${p.trialSeconds} s): learning starts after the transient, so the ${p.trainTrials} training trials change nothing. Shorten transientSeconds or lengthen trialSeconds.`
        ]
      : []

/** The figure nodes and the report of a run whose report inputs are `plot` and which has `has`. */
const report = (
  id: TaskId,
  p: ExperimentParams,
  use: Pipeline.Use,
  plot: Pipeline.Node<Stage.OutputOf<AnyExperiment["stages"]["plot"]["trained"]>>,
  has: ReadonlyArray<Need>
) => {
  const experiment: AnyExperiment = experiments[id]
  const { figure, report: reportStage } = experiment.stages
  const figures = applicable(experiment.figures, has).map((spec) =>
    use(figure, { name: `figure-${spec.id}`, provide: [figureImpl(spec)], inputs: { data: plot } })
  )
  return use(reportStage, {
    params: { pipeline: id, switches: switchesOf(p) },
    inputs: { data: plot, figures },
    provide: [contentImpl(experiment.content)]
  })
}

/** The experiment of a task, `pipeline run <task>`. */
export const experiment = (id: TaskId) => {
  const definition: AnyExperiment = experiments[id]
  return Pipeline.make({
    name: id,
    description: definition.description,
    params: experimentParams(id),
    seed: (p) => p.seed,
    services: (p) => [ruleImpls[p.rule]],
    metrics: "metrics",
    warnings: learningWarnings(id),
    build: (p, use) => {
      const { stages } = definition
      const full = modelParams(id, p)
      const pretrained = pretrainedFile(id, p)
      if (pretrained.load) {
        const model = split(full)
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
        const testParams = { params: { dynamics: model.dynamics, trials: p.testTrials }, provide: [taskImpls[id]] }
        const recording = hasStimulus(id)
          ? use(test, { ...testParams, inputs: { network, schedule: testScheduleNode(id, p, use) } })
          : use(testClosedLoop, { ...testParams, inputs: { network } })
        const analysis = use(stages.analyze, { params: definition.analysis.paramsOf(full), inputs: { recording } })
        const plot = use(stages.plot.pretrained, { name: "plot", params: plotParams(id, full), inputs: { analysis } })
        const summary = use(stages.metrics.pretrained, { name: "metrics", inputs: { analysis } })
        return [report(id, p, use, plot, []), summary]
      }
      const { stimuli, trained, analysisInitial, analysis } = trainedExperiment(id, p, use)
      const plot =
        stimuli === undefined
          ? use(stages.plot.closedLoop, {
              name: "plot",
              params: plotParams(id, full),
              inputs: { analysis, analysisInitial, training: trained }
            })
          : use(stages.plot.trained, {
              name: "plot",
              params: plotParams(id, full),
              inputs: { analysis, analysisInitial, training: trained, stimuli }
            })
      const summary = use(stages.metrics.trained, { inputs: { analysis, analysisInitial, training: trained } })
      const has: Array<Need> = ["initial", ...(p.trainTrials > 0 ? (["training"] as const) : [])]
      if (stimuli !== undefined && p.trainTrials > 0) has.push("stimuli")
      return [report(id, p, use, plot, has), summary]
    }
  })
}
