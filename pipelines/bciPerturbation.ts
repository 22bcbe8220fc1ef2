/**
 * `bci-perturbation` (issue #19): is a within-manifold perturbation of a BCI decoder learned
 * faster than one outside the manifold, by this paper's local three-factor rule? The classic BCI
 * experiment (Sadtler et al. 2014, Nature 512:423) on the `bci` task's network:
 *
 * 1. calibration: the untrained closed-loop network (its random decoder in the loop) is recorded
 *    (`test-initial`), its intrinsic manifold found and the intuitive decoder built inside it
 *    (`intuitive-decoder`; src/analysis/perturbation.ts says how, and how it is scaled);
 * 2. intuitive phase: the network learns with the intuitive decoder (`train-intuitive`);
 * 3. perturbation: candidate within- and outside-manifold perturbations are measured on the trained
 *    network and a pair of similar impairment chosen (`perturbations`); the run's `perturbation`
 *    (none, within, outside) picks the decoder of the adaptation (`perturbed-network`);
 * 4. adaptation: the network keeps learning with that decoder fixed (`train-adapt`), and is tested
 *    (`test`, `analyze`); `perturbation-metrics` holds the run's measures.
 *
 * Every stage up to `perturbations` reads no `perturbation`: the three conditions of a seed share
 * them (one calibration, one intuitive phase, one set of candidates). The adaptation's noise comes
 * from a seed derived from the run's (the same for the three conditions: common random numbers),
 * the candidates' from `permutationSeed`'s.
 */
import { createHash } from "node:crypto"
import * as Schema from "effect/Schema"
import * as Pipeline from "../src/engine/Pipeline.js"
import {
  atMost,
  BOUNDS,
  defaultModelParams,
  Finite,
  type ModelParams,
  Nonlinearity,
  PositiveInt,
  taskSettings
} from "../src/model/params.js"
import { defaultRuleId, getRule, ruleIds } from "../src/model/rules/index.js"
import { bci as task } from "../src/model/tasks/bci.js"
import { experiments } from "../stages/experiments/index.js"
import { init } from "../stages/network.js"
import { split } from "../stages/params.js"
import {
  intuitiveDecoderStage,
  Perturbation,
  perturbationMetricsStage,
  perturbations,
  perturbedNetwork
} from "../stages/perturbation.js"
import { ruleImpls } from "../stages/rules.js"
import { taskImpls } from "../stages/tasks.js"
import { testClosedLoop } from "../stages/test.js"
import { trainClosedLoop } from "../stages/train.js"
import { LIMITS } from "./experiment.js"

/** A root seed derived from the run's for one of its streams (48 bits of sha256, a safe integer). */
export const derivedSeed = (seed: number, what: string): number =>
  Number.parseInt(createHash("sha256").update(`${seed}/${what}`).digest("hex").slice(0, 12), 16)

const trials = (fallback: number) =>
  Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, LIMITS.trials)), { default: () => fallback })
const defaults = defaultModelParams(task)

export const PerturbationParams = Schema.Struct({
  /** Root seed: the network, its random decoder, the calibration, the intuitive readout and phase. */
  seed: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(0, Number.MAX_SAFE_INTEGER)), {
    default: () => 1
  }).annotations({
    description: "root seed: the network, its random decoder, the calibration, the intuitive readout and phase"
  }),
  /** The decoder of the adaptation: the intuitive one (none), or the chosen perturbation. */
  perturbation: Schema.optionalWith(Perturbation, { default: () => "within" as const }).annotations({
    description: "the decoder of the adaptation: none (the intuitive one), within or outside the manifold"
  }),
  /** The calibration: closed-loop test trials of the untrained network (10). */
  calibrationTrials: trials(10).annotations({
    description: "closed-loop test trials of the untrained network that calibrate the manifold"
  }),
  /** The intuitive phase's training trials (40: the reward rate plateaus by about the 20th). */
  intuitiveTrials: trials(40).annotations({ description: "training trials with the intuitive decoder" }),
  /** The adaptation's training trials (60). */
  adaptTrials: trials(60).annotations({ description: "training trials with the perturbed decoder (the adaptation)" }),
  /** The final closed-loop test trials of the adapted network (20). */
  testTrials: trials(20).annotations({ description: "closed-loop test trials of the adapted network" }),
  /** Length of a trial (s) and the transient without learning at its start (100, 10: the bci task's). */
  trialSeconds: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.positive()), {
    default: () => defaults.trialSeconds
  }).annotations({ description: "length of a trial, s" }),
  transientSeconds: Schema.optionalWith(
    Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.transientSeconds)),
    {
      default: () => defaults.transientSeconds
    }
  ).annotations({ description: "no learning during the first seconds of each training trial" }),
  /** The manifold's dimension: "auto" (the noise-floor rule: axes whose variance exceeds the median's by > margin) or a number. */
  dimension: Schema.optionalWith(Schema.Union(Schema.Literal("auto"), PositiveInt), {
    default: () => "auto" as const
  }).annotations({
    description: "the manifold's dimension k: auto (the noise-floor rule) or a number of principal axes"
  }),
  margin: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.nonNegative()), {
    default: () => 0.2
  }).annotations({
    description: "the noise-floor rule: keep the axes whose variance exceeds the median's by more than this"
  }),
  minDimension: Schema.optionalWith(PositiveInt, { default: () => 2 }).annotations({
    description: "the noise-floor rule's least k"
  }),
  maxDimension: Schema.optionalWith(PositiveInt, { default: () => 10 }).annotations({
    description: "the noise-floor rule's largest k"
  }),
  /** The intuitive output's standard deviation on the calibration (0.01: the reward window's width). */
  outputSd: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.positive()), {
    default: () => 0.01
  }).annotations({ description: "the intuitive output's standard deviation on the calibration (the window's width)" }),
  /** Candidate perturbations of each kind, the test trials each is measured on, and the seed they are drawn from. */
  candidates: Schema.optionalWith(PositiveInt, { default: () => 40 }).annotations({
    description: "candidate perturbations of each kind"
  }),
  candidateTrials: Schema.optionalWith(PositiveInt, { default: () => 2 }).annotations({
    description: "closed-loop test trials each candidate's immediate reward rate is measured on"
  }),
  permutationSeed: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.nonNegative()), {
    default: () => 1
  }).annotations({ description: "the seed the candidate permutations are drawn from" }),
  /** The selection rule: the most impairing within/outside pair whose immediate reward rates differ by at most this (0.02). */
  tolerance: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 1)), { default: () => 0.02 }).annotations({
    description:
      "the selection rule: the most impairing within/outside pair whose immediate reward rates differ by at most this"
  }),
  /** The reward window (the bci task's: 0, 0.01). */
  bciLow: Schema.optionalWith(Finite, { default: () => 0 }).annotations({
    description: "the reward window's lower bound, strict"
  }),
  bciHigh: Schema.optionalWith(Finite, { default: () => 0.01 }).annotations({
    description: "the reward window's upper bound, strict"
  }),
  /** The plasticity rule (three-factor; decoder-only is refused: the decoder is fixed). */
  rule: Schema.optionalWith(Schema.Literal(...ruleIds), { default: () => defaultRuleId }).annotations({
    description: "plasticity rule (decoder-only is refused: the decoder is fixed)"
  }),
  /** Rate noise σ, neurons, and the reference's switches that act on a closed loop. */
  sigma: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.sigma)), {
    default: () => defaults.sigma
  }).annotations({ description: "rate noise σ" }),
  N: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(2, LIMITS.N)), {
    default: () => defaults.N
  }).annotations({ description: "neurons" }),
  annealed: Schema.optionalWith(Schema.Boolean, { default: () => false }).annotations({
    description: "learning rates × (A·e^(−k/150) + 1)/A in training trial k"
  }),
  inputNoise: Schema.optionalWith(
    Schema.Number.pipe(Schema.finite(), Schema.nonNegative(), atMost(BOUNDS.inputNoise)),
    {
      default: () => 0
    }
  ).annotations({ description: "σ of Gaussian noise on the fed-back input of the rate update" }),
  nonlinearity: Schema.optionalWith(Nonlinearity, { default: () => "softplus" as const }).annotations({
    description: "the rate function"
  })
}).pipe(
  Schema.filter((p) => {
    if (getRule(p.rule).needsDecoderRule === true) {
      return {
        path: ["rule"],
        message: `${p.rule} learns only the decoder, and a BCI decoder is fixed: nothing would learn`
      }
    }
    if (p.minDimension > p.maxDimension) {
      return {
        path: ["maxDimension"],
        message: `must be at least minDimension (${p.minDimension}), actual ${p.maxDimension}`
      }
    }
    if (!(p.bciLow < p.bciHigh))
      return { path: ["bciHigh"], message: `must exceed bciLow (${p.bciLow}), actual ${p.bciHigh}` }
    if (typeof p.dimension === "number" && p.dimension > p.N) {
      return { path: ["dimension"], message: `must be at most N (${p.N}), actual ${p.dimension}` }
    }
    return true
  })
)
export type PerturbationParams = typeof PerturbationParams.Type

/** The model parameters of a run: the bci task's, with the run's params. */
const modelOf = (p: PerturbationParams): ModelParams => ({
  ...defaults,
  settings: taskSettings(task, { bciLow: p.bciLow, bciHigh: p.bciHigh }),
  N: p.N,
  sigma: p.sigma,
  trialSeconds: p.trialSeconds,
  switchSeconds: p.trialSeconds,
  transientSeconds: p.transientSeconds,
  annealed: p.annealed,
  inputNoise: p.inputNoise,
  nonlinearity: p.nonlinearity
})

const experiment = experiments.bci
const metricsNode = perturbationMetricsStage(experiment.stages.analyze)

export const bciPerturbation = Pipeline.make({
  name: "bci-perturbation",
  description:
    "The BCI perturbation experiment: calibrate, learn an intuitive decoder inside the intrinsic manifold, perturb it within or outside the manifold, relearn.",
  params: PerturbationParams,
  seed: (p) => p.seed,
  services: (p) => [ruleImpls[p.rule], taskImpls.bci],
  metrics: "perturbation-metrics",
  build: (p, use) => {
    const full = modelOf(p)
    const model = split(full)
    const closedLoop = (trials: number) => ({ dynamics: model.dynamics, trials })
    const learning = (trials: number) => ({ dynamics: model.dynamics, learning: model.learning, trials })
    const initial = use(init, { params: model.initial })
    const calibration = use(testClosedLoop, {
      name: "test-initial",
      params: closedLoop(p.calibrationTrials),
      inputs: { network: initial }
    })
    const decoder = use(intuitiveDecoderStage, {
      params: {
        dimension: p.dimension,
        margin: p.margin,
        minDimension: p.minDimension,
        maxDimension: p.maxDimension,
        outputSd: p.outputSd
      },
      inputs: { network: initial, calibration }
    })
    const intuitive = use(trainClosedLoop, {
      name: "train-intuitive",
      params: learning(p.intuitiveTrials),
      inputs: { network: decoder }
    })
    const chosen = use(perturbations, {
      seed: derivedSeed(p.seed, `perturbations/${p.permutationSeed}`),
      params: { dynamics: model.dynamics, candidates: p.candidates, trials: p.candidateTrials, tolerance: p.tolerance },
      inputs: { trained: intuitive, intuitive: decoder }
    })
    const perturbed = use(perturbedNetwork, {
      params: { perturbation: p.perturbation },
      inputs: { trained: intuitive, perturbations: chosen }
    })
    const adapted = use(trainClosedLoop, {
      name: "train-adapt",
      seed: derivedSeed(p.seed, "adaptation"),
      params: learning(p.adaptTrials),
      inputs: { network: perturbed }
    })
    const recording = use(testClosedLoop, { params: closedLoop(p.testTrials), inputs: { network: adapted } })
    const analysis = use(experiment.stages.analyze, {
      params: experiment.analysis.paramsOf(full),
      inputs: { recording }
    })
    return [
      use(metricsNode, {
        params: { perturbation: p.perturbation },
        inputs: { intuitive, adaptation: adapted, perturbations: chosen, decoder, analysis }
      })
    ]
  }
})
