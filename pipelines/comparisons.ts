/**
 * The paper's comparisons (issue #5), built from the experiment's stages:
 *
 * - `compare-rules` / `compare-rules-classification`: every rule (`--set rules=a,b`) trained from
 *   the same initial network on the same stimuli (one shared `init` and `sample-inputs`), tested
 *   and compared in one report.
 * - `noise-sweep`: σ ∈ {0.1 … 0.5} (`--set sigmas=…`) × {three-factor, decoder-only}: test error
 *   against the noise level. Members are independent stages, so they run concurrently on the pool.
 *
 * Both take the experiment's scale params (`trainTrials`, `testTrials`, `trialSeconds`, …), so
 * `--set trainTrials=2 --set testTrials=2 --set trialSeconds=20` is a one-minute version.
 */
import * as Schema from "effect/Schema"
import * as Pipeline from "../src/engine/Pipeline.js"
import type { Task } from "../src/model/params.js"
import { ruleIds } from "../src/model/rules/index.js"
import { analyze, analyzeParams } from "../stages/analyze.js"
import { compareRulesStage, noiseSweepStage, sweepInput } from "../stages/compare.js"
import { init } from "../stages/network.js"
import { split } from "../stages/params.js"
import { ruleImpls } from "../stages/rules.js"
import { sampleInputs } from "../stages/sampleInputs.js"
import { seedInput, seedStudyStage } from "../stages/seedStudy.js"
import { test } from "../stages/test.js"
import { testSchedule } from "../stages/testSchedule.js"
import { train } from "../stages/train.js"
import { type ExperimentParams, experimentFields, modelParams, switchSecondsOf } from "./experiment.js"

/** A comma-separated list of distinct values on the command line (`--set rules=three-factor,decoder-only`). */
const listOf = <A, I extends string>(item: Schema.Schema<A, I>, fallback: string) => {
  const list = Schema.compose(Schema.split(","), Schema.NonEmptyArray(item), { strict: false }).pipe(
    Schema.filter((values) => new Set(values).size === values.length || "the values must be distinct")
  )
  return Schema.optionalWith(list, { default: () => Schema.decodeSync(list)(fallback) })
}

const RuleId = Schema.Literal(...ruleIds)
const Seed = Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())
const Sigma = Schema.NumberFromString.pipe(Schema.finite(), Schema.nonNegative())

const scale = (task: Task) => {
  const { pretrained: _p, pretrainedPath: _pp, rule: _r, ...fields } = experimentFields(task)
  return fields
}

/** A member's own root seed, and the suffix that makes its node names unique. */
interface SeedOf {
  readonly seed: number
  readonly suffix: string
}

/** The shared start of every comparison: stimuli and one initial network (per seed, in a seed study). */
const common = (
  task: Task,
  p: Omit<ExperimentParams, "pretrained" | "pretrainedPath" | "rule" | "seed">,
  use: Pipeline.Use,
  own?: SeedOf
) => {
  const full = modelParams(task, { ...p, seed: 0, rule: "three-factor" })
  const model = split(full)
  const seeded = own === undefined ? {} : { seed: own.seed }
  const suffix = (name: string) => (own === undefined ? {} : { name: `${name}-${own.suffix}` })
  const stimuli = use(sampleInputs, {
    ...suffix("sample-inputs"),
    ...seeded,
    params: { stimulus: model.stimulus, trials: p.trainTrials }
  })
  const schedule = use(testSchedule, {
    ...suffix("test-schedule"),
    ...seeded,
    params: {
      trials: p.testTrials,
      inputDim: model.dynamics.inputDim,
      trialSeconds: p.trialSeconds,
      switchSeconds: switchSecondsOf(task, p)
    }
  })
  const network = use(init, { ...suffix("init"), ...seeded, params: model.initial })
  return { model, full, stimuli, schedule, network, seeded }
}

/** One training with `rule` at the dynamics' σ, then its test and analysis; node names end in `suffix`. */
const member = (
  use: Pipeline.Use,
  start: ReturnType<typeof common>,
  p: { trainTrials: number; testTrials: number },
  dynamics: ReturnType<typeof common>["model"]["dynamics"],
  rule: (typeof ruleIds)[number],
  suffix: string
) => {
  const trained = use(train, {
    name: `train-${suffix}`,
    ...start.seeded,
    params: { dynamics, learning: start.model.learning, trials: p.trainTrials },
    inputs: { network: start.network, stimuli: start.stimuli },
    provide: [ruleImpls[rule]]
  })
  const recording = use(test, {
    name: `test-${suffix}`,
    ...start.seeded,
    params: { dynamics, trials: p.testTrials },
    inputs: { network: trained, schedule: start.schedule }
  })
  const analysis = use(analyze, {
    name: `analyze-${suffix}`,
    ...start.seeded,
    params: analyzeParams(start.full),
    inputs: { recording }
  })
  return { trained, analysis }
}

const compareRules = (task: Task, name: string) =>
  Pipeline.make({
    name,
    description: `Every plasticity rule on the ${task} task, from the same network and stimuli, compared in one report.`,
    params: Schema.Struct({
      ...scale(task),
      rules: listOf(RuleId, "three-factor,decoder-only,no-baseline,reward-baseline,node-perturbation")
    }),
    seed: (p) => p.seed,
    build: (p, use) => {
      const start = common(task, p, use)
      const inputs: Record<string, Pipeline.Node<unknown>> = {}
      for (const rule of p.rules) {
        const m = member(use, start, p, start.model.dynamics, rule, rule)
        inputs[`analysis:${rule}`] = m.analysis
        inputs[`training:${rule}`] = m.trained
      }
      const stage = compareRulesStage(p.rules)
      return [
        use(stage, {
          name: "compare",
          params: { task, rules: [...p.rules], pipeline: name },
          inputs: inputs as never
        })
      ]
    }
  })

export const compareRulesEstimation = compareRules("estimation", "compare-rules")
export const compareRulesClassification = compareRules("classification", "compare-rules-classification")

export const noiseSweep = Pipeline.make({
  name: "noise-sweep",
  description:
    "Test error against rate noise σ for the three-factor rule and the decoder-only control (estimation task).",
  params: Schema.Struct({
    ...scale("estimation"),
    sigmas: listOf(Sigma, "0.1,0.2,0.3,0.4,0.5"),
    rules: listOf(RuleId, "three-factor,decoder-only")
  }),
  seed: (p) => p.seed,
  build: (p, use) => {
    const start = common("estimation", p, use)
    const inputs: Record<string, Pipeline.Node<unknown>> = {}
    for (const sigma of p.sigmas) {
      const dynamics = { ...start.model.dynamics, sigma }
      for (const rule of p.rules) {
        inputs[sweepInput(rule, sigma)] = member(use, start, p, dynamics, rule, `${rule}@${sigma}`).analysis
      }
    }
    return [
      use(noiseSweepStage(p.rules, p.sigmas), {
        name: "sweep",
        params: { task: "estimation", rules: [...p.rules], sigmas: [...p.sigmas], pipeline: "noise-sweep" },
        inputs: inputs as never
      })
    ]
  }
})

/**
 * `seed-study` / `seed-study-classification`: the whole experiment (stimuli, initial network,
 * training with `rule`, test) once per root seed in `seeds`, and a report of the spread. A member's
 * stages have the same keys as `pipeline run <task> --set seed=<seed>`, so they share its cache.
 */
const seedStudy = (task: Task, name: string) =>
  Pipeline.make({
    name,
    description: `The ${task} experiment from several root seeds: how much of one run's result is the luck of its streams.`,
    params: Schema.Struct({
      ...(({ seed: _seed, ...fields }) => fields)(scale(task)),
      rule: experimentFields(task).rule,
      seeds: listOf(Seed, "1,2,3,4,5,6,7,8,120994")
    }),
    seed: (p) => p.seeds[0],
    build: (p, use) => {
      const inputs: Record<string, Pipeline.Node<unknown>> = {}
      for (const seed of p.seeds) {
        const own = { seed, suffix: `seed-${seed}` }
        const start = common(task, p, use, own)
        const m = member(use, start, p, start.model.dynamics, p.rule, own.suffix)
        inputs[seedInput("analysis", seed)] = m.analysis
        inputs[seedInput("training", seed)] = m.trained
      }
      return [
        use(seedStudyStage(p.seeds), {
          name: "seed-study",
          params: { task, seeds: [...p.seeds], rule: p.rule, pipeline: name },
          inputs: inputs as never
        })
      ]
    }
  })

export const seedStudyEstimation = seedStudy("estimation", "seed-study")
export const seedStudyClassification = seedStudy("classification", "seed-study-classification")
