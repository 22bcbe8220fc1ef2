/**
 * Model parameters (reference README §2), as an effect/Schema struct.
 *
 * Every constant of the reference parameter file that the simulation uses is a field, with the
 * reference value as its default; the scale of a run (trial length, number of trials, presentation
 * length) is here too, at its full-run value. What differs between tasks (sizes, learning
 * constants, the task's own constants such as the classifier's boundary) comes from the task
 * module (`task.ts`, `tasks/`): `defaultModelParams(task)` is the shared defaults under the task's.
 * A bad value fails decoding with a path-precise message (`dt: Expected a positive number, actual
 * -0.01`).
 *
 * Names follow the quantities, with the reference's key in the field's doc.
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { AnyTask } from "./task.js"

/** The number schemas every param is built from (the stages' params reuse them). */
export const Finite = Schema.Number.pipe(Schema.finite())
export const Positive = Schema.Number.pipe(Schema.finite(), Schema.positive())
export const NonNegative = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())
export const PositiveInt = Schema.Number.pipe(Schema.int(), Schema.positive())
export const NonNegativeInt = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
const Rate = Schema.Number.pipe(Schema.between(0, 1))

/**
 * An upper bound of a param that the numerics impose, and why (one line). A `pipeline params`
 * listing finds it on the param's Schema under the {@link ParamBound} annotation.
 */
export interface Bound {
  readonly max: number
  readonly reason: string
}

/** The annotation under which a param's Schema carries its {@link Bound}. */
export const ParamBound: unique symbol = Symbol.for("plastic-net/model/params/ParamBound")

/**
 * The numerical upper bounds of the params a user sets (issue #22), at the reference's constants
 * (dt = 0.01, β = 1/30, γ = 30, R = 1: a rate leaks at −r per second, and the softplus inverse
 * g(r) = (log(e^{r/β} − 1) − α)/γ overflows for r > β·709.78 ≈ 23.7, where the reference's
 * unclamped rate becomes −∞ and the output infinite: quirk 14).
 */
export const BOUNDS = {
  kappa: {
    max: 700,
    reason: "the prior's density e^{κ cos}/(2π I₀(κ)) overflows a double for κ above about 713"
  },
  sigma: {
    max: 5,
    reason:
      "the rate noise's stationary spread is σ/√2 at unit leak; from σ = 6 a rate of the trained network reaches 23.7, where the softplus inverse overflows (quirk 14), within a 1000 s trial"
  },
  inputNoise: {
    max: 50,
    reason:
      "input noise ν drives the rates through C·ν·dt; from 200 it lifts a rate of the trained network past 23.7, where the softplus inverse overflows (quirk 14), within a 1000 s trial"
  },
  transientSeconds: {
    max: 1_000_000,
    reason: "no trial lasts longer than 1e6 s, so a longer transient would leave every step unlearned"
  },
  networkValue: {
    max: 20,
    reason:
      "a bias b holds its neuron's rate near b (unit leak), and a rate above 23.7 overflows the softplus inverse (quirk 14); trained networks hold values below 1"
  }
} as const satisfies Record<string, Bound>

/**
 * Caps a number Schema at a {@link Bound}: the message says the bound and why, and the Schema
 * carries it (the {@link ParamBound} annotation, and JSON Schema's `maximum`).
 */
export const atMost =
  (bound: Bound) =>
  <S extends Schema.Schema.Any>(self: S & Schema.Schema<number, Schema.Schema.Encoded<S>, Schema.Schema.Context<S>>) =>
    self.pipe(
      Schema.lessThanOrEqualTo(bound.max, {
        message: (issue) => `must be at most ${bound.max} (${bound.reason}), actual ${String(issue.actual)}`,
        [ParamBound]: bound
      })
    )

/**
 * The rate nonlinearity's pair (reference `param_fns['nl'/'inv_nl']`, README §9.6); the step only
 * calls the inverse g: `softplus` (`relu_diff`/`inv_relu_diff`, the reference default),
 * `sigmoid` (`nl`/`inv_nl`), `linear` (`linear`/`inv_linear`).
 */
export const Nonlinearity = Schema.Literal("softplus", "sigmoid", "linear")
export type Nonlinearity = typeof Nonlinearity.Type

/** A task's own constants, as the params carry them (decoded by the task's `settings` Schema). */
export const TaskSettings = Schema.Record({
  key: Schema.String,
  value: Schema.Union(Schema.Number, Schema.Boolean, Schema.String)
})

/** The fields of {@link ModelParams}, for stages that take a subset of them. */
export const modelParamsFields = {
  /** The task's id (src/model/tasks/): estimation, classification, mixed, bci, … */
  task: Schema.NonEmptyString,
  /** The task's own constants (its `settings` Schema's fields, e.g. `thetaThresh`), as plain values. */
  settings: TaskSettings,
  /** `N`: number of neurons (40 estimation, 25 classification). */
  N: PositiveInt,
  /** `input_dim`: number of input channels (12). */
  inputDim: PositiveInt,
  /** `target_dim`: output dimension (2 estimation, 1 classification). */
  targetDim: PositiveInt,
  /** `dt`: Euler–Maruyama time step (s). */
  dt: Positive,
  /** `sigma`: rate noise amplitude σ. */
  sigma: NonNegative,
  /** `R`: divides the inverse nonlinearity (leak) term. */
  R: Positive,
  /** `alpha`, `beta`, `gamma`: softplus rate function r = β log(1 + exp(α + γu)). */
  alpha: Finite,
  beta: Positive,
  gamma: Positive,
  /** `low_r_threshold`, `high_r_threshold`: the rate clamp. */
  rLow: Positive,
  rHigh: Positive,
  /** `theta`: rate ρ of the sliding averages Ā_rr, Ā_r, Ā_rs. */
  rho: Rate,
  /** `theta_obj`: rate of the objective's running average Ē (unused by the paper's rule). */
  thetaObj: Rate,
  /** `transient`: no learning while t·dt ≤ transientSeconds. */
  transientSeconds: NonNegative,
  /** `learning_rate`, `learning_rate_bias`, `learning_rate_input`, `learning_rate_decoder`: η_W, η_b, η_C, η_D. */
  learningRate: NonNegative,
  learningRateBias: NonNegative,
  learningRateInput: NonNegative,
  learningRateDecoder: NonNegative,
  /** `weight_l2` (λ_W, also the decoder's L2, quirk 5), `bias_weight_l2` (λ_b), `i_weight_l2` (λ_C). */
  weightL2: NonNegative,
  biasL2: NonNegative,
  inputWeightL2: NonNegative,
  /** `anneal_const` A: multiplies every learning rate (hard-coded 100 in the reference; see `annealed`). */
  annealConst: NonNegative,
  /** `mu_in`, `kappa_in`: von Mises stimulus prior; `sigma_sampler`: Langevin sampler noise σ_s. */
  muIn: Finite,
  kappaIn: Positive,
  sigmaSampler: NonNegative,
  /** Initial bias of every neuron (main script: 0 estimation, 0.7 classification). */
  initialBias: Finite,
  /** `r_0`: initial rate of every neuron at the start of each trial. */
  r0: Positive,
  /** `record_res`: records keep every recordEvery-th step, from step 0. */
  recordEvery: PositiveInt,
  /** `T`: length of one trial (s). */
  trialSeconds: Positive,
  /** `trial_num_2`: number of training trials. */
  trainTrials: NonNegativeInt,
  /** `test_num`: number of test trials. */
  testTrials: NonNegativeInt,
  /** `switch_period`: how long each test stimulus is held (s). */
  switchSeconds: Positive,
  // ── the reference's switches (issue #12; reference README §9), all off by default ──
  /**
   * `exp_params.annealed` (§9.2): every learning step uses the factor F_k = A·exp(−k/150) + 1 in
   * place of A, k the index of the training trial (0-based, within the training run).
   */
  annealed: Schema.Boolean,
  /**
   * `input_params['input_noise_sigma']` σ_ν with `exp_params.input_noise` (§9.3): per-step
   * Gaussian noise ν ~ normal(0, σ_ν) added to the input before the input weights in the rate
   * update only, C·(s_{t−1} + ν_t); its own stream per trial. 0 = off (no draws at all).
   */
  inputNoise: NonNegative,
  /**
   * `exp_params.normalize_output` (§9.4): the estimation objective and its decoder rule read
   * r/‖r‖ instead of r (the output o = D·r does not); a task that cannot take it says so (its `check`).
   */
  normalizeOutput: Schema.Boolean,
  /** `train_run(decoder_fixed=True)` (§9.5): the decoder is not learned (D keeps its value). */
  decoderFixed: Schema.Boolean,
  /** `param_fns['nl'/'inv_nl']` (§9.6): which inverse nonlinearity g the leak uses. */
  nonlinearity: Nonlinearity
}

/** The model parameters; decode with {@link decodeModelParams} to get the cross-field checks too. */
export const ModelParams = Schema.Struct(modelParamsFields).pipe(
  Schema.filter((p) => {
    if (!(p.rLow < p.rHigh)) return { path: ["rHigh"], message: `must exceed rLow (${p.rLow}), actual ${p.rHigh}` }
    if (steps(p) < 2)
      return { path: ["trialSeconds"], message: `must give at least 2 steps of dt, actual ${p.trialSeconds}` }
    // §9.6: g(r) = (−1/γ)·log(1/(β·r) − α) must be finite for every rate it sees (r_0 and the clamp range).
    if (p.nonlinearity === "sigmoid" && !(1 / (p.beta * Math.max(p.rHigh, p.r0)) - p.alpha > 0))
      return {
        path: ["alpha"],
        message: `the sigmoid nonlinearity needs alpha < 1/(beta·max(rHigh, r0)) = ${1 / (p.beta * Math.max(p.rHigh, p.r0))}, actual ${p.alpha}`
      }
    return true
  })
)
export type ModelParams = typeof ModelParams.Type
/** The encoded form (plain JSON numbers and strings): what worker tasks and stage params carry. */
export type ModelParamsEncoded = typeof ModelParams.Encoded

/** The parameters a task does not set: the reference's values (README §2, full-run values). */
export const sharedDefaults = {
  dt: 0.01,
  sigma: 0.2,
  R: 1,
  alpha: 0,
  beta: 1 / 30,
  gamma: 30,
  rLow: 0.001,
  rHigh: 100,
  rho: 0.0015,
  thetaObj: 5e-5,
  transientSeconds: 40,
  muIn: 0,
  kappaIn: 0.75,
  sigmaSampler: 0.06,
  r0: 0.1,
  recordEvery: 20,
  trialSeconds: 1000,
  trainTrials: 260,
  testTrials: 100,
  switchSeconds: 200,
  annealed: false,
  inputNoise: 0,
  normalizeOutput: false,
  decoderFixed: false,
  nonlinearity: "softplus" as Nonlinearity
} as const satisfies Partial<ModelParams>

/** The reference defaults of one task: the shared ones under the task's, and its settings' defaults. */
export function defaultModelParams(task: AnyTask): ModelParams {
  return {
    ...sharedDefaults,
    ...task.defaults,
    task: task.id,
    settings: taskSettings(task, {})
  }
}

/** A task's settings: `given` over the task's defaults, validated, as the plain values the params carry. */
export function taskSettings(task: AnyTask, given: Readonly<Record<string, unknown>>): ModelParams["settings"] {
  const encoded = Schema.encodeSync(task.settings)(
    Schema.decodeUnknownSync(task.settings)(given, { onExcessProperty: "error" })
  )
  const values: Record<string, number | boolean | string> = {}
  for (const [key, value] of Object.entries(encoded)) if (value !== undefined) values[key] = value
  return values
}

/** A parameter problem: `path` (dotted) and the Schema's message. */
export interface ParamIssue {
  readonly path: string
  readonly message: string
}

/**
 * Decodes parameters: the given fields over the task's defaults when a task is given (else they
 * must be complete), then validated, the task's own checks included. Returns every issue, each
 * with its path.
 */
export function decodeModelParams(
  input: unknown,
  task?: AnyTask
): Either.Either<ModelParams, ReadonlyArray<ParamIssue>> {
  const record = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {}
  const base = task === undefined ? {} : defaultModelParams(task)
  const decoded = Schema.decodeUnknownEither(ModelParams, { errors: "all", onExcessProperty: "error" })({
    ...base,
    ...record
  })
  const issues = Either.mapLeft(decoded, (error) =>
    ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message
    }))
  )
  if (Either.isLeft(issues) || task === undefined) return issues
  if (issues.right.task !== task.id) {
    return Either.left([{ path: "task", message: `is "${issues.right.task}", but the task given is "${task.id}"` }])
  }
  const problem = task.check?.(issues.right)
  return problem === undefined ? issues : Either.left([problem])
}

/** Like {@link decodeModelParams}, but throws an Error listing `path: message` lines. */
export function parseModelParams(input: unknown, task?: AnyTask): ModelParams {
  const decoded = decodeModelParams(input, task)
  if (Either.isRight(decoded)) return decoded.right
  const lines = decoded.left.map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`))
  throw new Error(`invalid model parameters:\n  ${lines.join("\n  ")}`)
}

/** Python's int() of a positive double: truncation toward zero. */
const truncate = (x: number): number => Math.trunc(x)

/** S = int(T/dt): steps per trial, Python truncation of the double quotient (§2: 5/0.01 → 500). */
export function steps(p: Pick<ModelParams, "trialSeconds" | "dt">): number {
  return truncate(p.trialSeconds / p.dt)
}

/** P_sw = int(switch_period/dt): steps each test stimulus is held (§3.3). */
export function switchSteps(p: Pick<ModelParams, "switchSeconds" | "dt">): number {
  return truncate(p.switchSeconds / p.dt)
}

/**
 * stim_num = int(T/switch_period): test stimuli per trial (§3.3). Extension: at least 1 (a trial
 * shorter than one presentation shows one stimulus throughout; the reference would fail there).
 */
export function stimuliPerTrial(p: Pick<ModelParams, "trialSeconds" | "switchSeconds">): number {
  return Math.max(1, truncate(p.trialSeconds / p.switchSeconds))
}

/** Number of recorded samples per trial: steps 0, recordEvery, 2·recordEvery, … < S (numpy `[::k]`). */
export function recordedSteps(p: Pick<ModelParams, "trialSeconds" | "dt" | "recordEvery">): number {
  return Math.ceil(steps(p) / p.recordEvery)
}

/** Whether step t learns: the strict double comparison t·dt > transient (§4.1(i), quirk 13). */
export function learnsAt(p: Pick<ModelParams, "dt" | "transientSeconds">, t: number): boolean {
  return t * p.dt > p.transientSeconds
}

/** The trials over which the annealed learning-rate factor decays (hard-coded 150 in the reference, §9.2). */
export const ANNEAL_TRIALS = 150

/**
 * §9.2 the learning-rate factor of training trial k: A·exp((−1·k)/150) + 1 when annealed (F_0 =
 * A + 1), else A (`anneal_const`), in the reference's evaluation order.
 */
export function learningFactor(p: Pick<ModelParams, "annealed" | "annealConst">, trial: number): number {
  return p.annealed ? p.annealConst * Math.exp((-1 * trial) / ANNEAL_TRIALS) + 1 : p.annealConst
}

/** First learning step: the smallest t with t·dt > transient (101 for transient 1, 4001 for 40). */
export function firstLearningStep(p: Pick<ModelParams, "dt" | "transientSeconds">): number {
  let t = Math.max(0, Math.floor(p.transientSeconds / p.dt) - 1)
  while (!learnsAt(p, t)) t++
  return t
}
