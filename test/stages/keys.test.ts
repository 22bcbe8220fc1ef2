/**
 * A stage's key depends only on what it reads (issue #11): for every pipeline and every param,
 * changing the param changes the keys of exactly the stages that read it and of their descendants.
 * Who reads what is written here from the stages' meaning, not from the code: the training
 * stimuli read the sampler (κ, trial length, number of training trials, seed) but not the rate
 * noise; a test reads the dynamics and its own trial count but not the learning; …
 */
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe } from "vitest"
import { registry } from "../../pipelines/index.js"
import * as Plan from "../../src/engine/Plan.js"
import { plan, tempDir } from "../engine/helpers.js"

/** param → (a changed value, the stages that read it). */
const readers: Record<string, readonly [string, ReadonlyArray<string>]> = {
  trainTrials: ["3", ["sample-inputs", "train"]],
  testTrials: ["3", ["test-schedule", "test"]],
  trialSeconds: ["6", ["sample-inputs", "test-schedule", "train", "test", "plot-experiment", "plot-pretrained"]],
  switchSeconds: ["1.5", ["test-schedule"]],
  transientSeconds: ["1", ["train"]],
  seed: ["99", ["sample-inputs", "test-schedule", "init", "train", "test"]],
  sigma: ["0.3", ["train", "test"]],
  N: ["30", ["init", "train", "test"]],
  // The analyses weigh the error and draw the preferred angles with the run's prior (issue #11).
  kappa: ["2", ["sample-inputs", "analyze"]],
  rule: ["decoder-only", ["train"]],
  annealed: ["true", ["train"]],
  decoderFixed: ["true", ["train"]],
  inputNoise: ["0.1", ["train", "test"]],
  normalizeOutput: ["true", ["train", "test"]],
  nonlinearity: ["linear", ["train", "test"]]
}

/** The task's own params: the mixed objective's weights and the BCI's reward window (task settings, read by the dynamics). */
const taskReaders: Readonly<Record<string, Record<string, readonly [string, ReadonlyArray<string>]>>> = {
  mixed: { lambdaMse: ["0.5", ["train", "test"]], lambdaLl: ["2", ["train", "test"]] },
  // The analysis measures the reward rate against the window.
  bci: { bciLow: ["-0.005", ["train", "test", "analyze"]], bciHigh: ["0.02", ["train", "test", "analyze"]] }
}

/**
 * Pipelines whose nodes share stage names across branches or phases: param → (a changed value,
 * the nodes that read it), by node name. `mixed-vs-single` trains three tasks at one seed, and
 * only the mixed network reads the mixed objective's weights; `bci-perturbation` runs the bci
 * task's stages through a calibration, an intuitive and an adaptation phase.
 */
const dynamics = ["test-initial", "train-intuitive", "perturbations", "train-adapt", "test"]
const nodeReaders: Readonly<Record<string, Record<string, readonly [string, ReadonlyArray<string>]>>> = {
  "mixed-vs-single": {
    lambdaMse: ["0.5", ["train-mixed", "test-mixed"]],
    lambdaLl: ["2", ["train-mixed", "test-mixed"]]
  },
  "bci-perturbation": {
    calibrationTrials: ["3", ["test-initial"]],
    intuitiveTrials: ["3", ["train-intuitive"]],
    adaptTrials: ["3", ["train-adapt"]],
    testTrials: ["3", ["test"]],
    trialSeconds: ["6", dynamics],
    transientSeconds: ["1", ["train-intuitive", "train-adapt"]],
    // The manifold and the intuitive decoder built in it.
    dimension: ["3", ["intuitive-decoder"]],
    margin: ["0.3", ["intuitive-decoder"]],
    minDimension: ["3", ["intuitive-decoder"]],
    maxDimension: ["8", ["intuitive-decoder"]],
    outputSd: ["0.02", ["intuitive-decoder"]],
    // The selection among candidate permutations.
    candidates: ["5", ["perturbations"]],
    candidateTrials: ["3", ["perturbations"]],
    permutationSeed: ["2", ["perturbations"]],
    tolerance: ["0.1", ["perturbations"]],
    perturbation: ["outside", ["perturbed-network"]],
    // The reward window: every closed-loop recording, the decoder centred in it, the analysis.
    bciLow: ["-0.005", [...dynamics, "intuitive-decoder", "analyze"]],
    bciHigh: ["0.02", [...dynamics, "intuitive-decoder", "analyze"]],
    rule: ["recurrent-only", ["train-intuitive", "train-adapt"]],
    annealed: ["true", ["train-intuitive", "train-adapt"]],
    sigma: ["0.3", dynamics],
    inputNoise: ["0.1", dynamics],
    nonlinearity: ["linear", dynamics],
    N: ["30", ["init", ...dynamics]],
    seed: ["99", ["init", ...dynamics, "intuitive-decoder"]]
  }
}

/** A value other than `readers`' for a pipeline whose task refuses it (the BCI's decoder is fixed: no decoder-only). */
const otherValue: Readonly<Record<string, Record<string, string>>> = { bci: { rule: "recurrent-only" } }

const small = ["trainTrials=2", "testTrials=2", "trialSeconds=5", "switchSeconds=1"]
const smallOf: Readonly<Record<string, ReadonlyArray<string>>> = {
  "bci-perturbation": [
    "calibrationTrials=2",
    "intuitiveTrials=2",
    "adaptTrials=2",
    "testTrials=2",
    "trialSeconds=5",
    "candidates=4",
    "candidateTrials=1"
  ]
}

/**
 * Params a pipeline does not take: `tuning-compare` runs both tasks, each with its own seed and N
 * (`estimationSeed`, `classificationSeed`: test/stages/tuningCompare.test.ts), and trains both;
 * `mixed` and `bci` refuse the estimation switch `normalizeOutput` and ship no pretrained network;
 * `bci` has no stimulus (no κ, no test presentations).
 */
const notTaken: Readonly<Record<string, ReadonlyArray<string>>> = {
  "tuning-compare": ["seed", "N", "pretrained"],
  mixed: ["normalizeOutput", "pretrained"],
  bci: ["normalizeOutput", "pretrained", "kappa", "switchSeconds"],
  "mixed-vs-single": ["normalizeOutput", "pretrained", "N"],
  "bci-perturbation": ["pretrained"]
}

describe("each stage's key moves with the params it reads, and only with them", () => {
  const cache = tempDir("keys")
  for (const pipeline of registry.pipelines) {
    const skip = notTaken[pipeline.name] ?? []
    for (const mode of ["trained", "pretrained"] as const) {
      if (mode === "pretrained" && skip.includes("pretrained")) continue
      it.effect(`${pipeline.name} (${mode})`, () =>
        Effect.gen(function* () {
          const base = [
            ...(smallOf[pipeline.name] ?? small).filter((s) => !skip.includes(s.split("=")[0]!)),
            ...(mode === "pretrained" ? ["pretrained=true"] : [])
          ]
          const before = yield* plan(pipeline, base, cache)
          const tested = []
          const byNode = nodeReaders[pipeline.name]
          const own = taskReaders[pipeline.name] ?? {}
          const table = pipeline.name === "bci-perturbation" ? byNode! : { ...readers, ...own, ...byNode }
          for (const [param, [given, stages]] of Object.entries(table)) {
            if (skip.includes(param)) continue
            const value = otherValue[pipeline.name]?.[param] ?? given
            // A pretrained run has no training; its network's size is the file's.
            if (
              mode === "pretrained" &&
              ["trainTrials", "transientSeconds", "rule", "annealed", "decoderFixed", "N"].includes(param)
            ) {
              continue
            }
            const after = yield* plan(
              pipeline,
              [...base.filter((s) => !s.startsWith(`${param}=`)), `${param}=${value}`],
              cache
            )
            const direct = before.nodes
              .filter((n) => (byNode?.[param] !== undefined ? stages.includes(n.name) : stages.includes(n.stage.name)))
              .map((n) => n.name)
            const expected = [...Plan.descendants(before, direct)].sort()
            const changed = before.nodes
              .filter((n) => after.nodes.find((m) => m.name === n.name)?.key !== n.key)
              .map((n) => n.name)
              .sort()
            assert.deepStrictEqual(changed, expected, `${param}=${value}`)
            tested.push(param)
          }
          const least =
            pipeline.name === "bci-perturbation"
              ? Object.keys(table).length
              : (mode === "trained" ? 15 : 9) - skip.length + Object.keys(own).length + Object.keys(byNode ?? {}).length
          assert.isAtLeast(tested.length, least)
        })
      )
    }
  }
})
