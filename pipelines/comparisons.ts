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
import { analyze } from "../stages/analyze.js"
import { compareRulesStage, noiseSweepStage, sweepInput } from "../stages/compare.js"
import { init } from "../stages/network.js"
import { dynamicsOnly } from "../stages/params.js"
import { ruleImpls } from "../stages/rules.js"
import { sampleInputs } from "../stages/sampleInputs.js"
import { test } from "../stages/test.js"
import { train } from "../stages/train.js"
import { type ExperimentParams, experimentParams, modelParams } from "./experiment.js"

/** A comma-separated list on the command line (`--set rules=three-factor,decoder-only`). */
const listOf = <A, I extends string>(item: Schema.Schema<A, I>, fallback: string) => {
  const list = Schema.compose(Schema.split(","), Schema.NonEmptyArray(item), { strict: false })
  return Schema.optionalWith(list, { default: () => Schema.decodeSync(list)(fallback) })
}

const RuleId = Schema.Literal(...ruleIds)
const Sigma = Schema.NumberFromString.pipe(Schema.finite(), Schema.nonNegative())

const scale = (task: Task) => {
  const { pretrained: _p, pretrainedPath: _pp, rule: _r, ...fields } = experimentParams(task).fields
  return fields
}

/** The shared start of every comparison: stimuli and one initial network. */
const common = (task: Task, p: Omit<ExperimentParams, "pretrained" | "pretrainedPath" | "rule">, use: Pipeline.Use) => {
  const model = dynamicsOnly(modelParams(task, { ...p, pretrained: false, pretrainedPath: "", rule: "three-factor" }))
  const stimuli = use(sampleInputs, {
    params: { model, trainTrials: p.trainTrials, testTrials: p.testTrials, switchSeconds: p.switchSeconds }
  })
  const { N, inputDim, targetDim, initialBias } = model
  const network = use(init, { params: { N, inputDim, targetDim, initialBias } })
  return { model, stimuli, network }
}

/** One training with `rule` at the model's σ, then its test and analysis; node names end in `suffix`. */
const member = (
  use: Pipeline.Use,
  start: ReturnType<typeof common>,
  p: { trainTrials: number; testTrials: number; switchSeconds: number },
  model: ReturnType<typeof common>["model"],
  rule: (typeof ruleIds)[number],
  suffix: string
) => {
  const trained = use(train, {
    name: `train-${suffix}`,
    params: { model, trials: p.trainTrials },
    inputs: { network: start.network, stimuli: start.stimuli },
    provide: [ruleImpls[rule]]
  })
  const recording = use(test, {
    name: `test-${suffix}`,
    params: { model, trials: p.testTrials, switchSeconds: p.switchSeconds },
    inputs: { network: trained, stimuli: start.stimuli }
  })
  const analysis = use(analyze, { name: `analyze-${suffix}`, params: { task: model.task }, inputs: { recording } })
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
        const m = member(use, start, p, start.model, rule, rule)
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
      const model = { ...start.model, sigma }
      for (const rule of p.rules) {
        inputs[sweepInput(rule, sigma)] = member(use, start, p, model, rule, `${rule}@${sigma}`).analysis
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
