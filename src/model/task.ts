/**
 * The task interface (DESIGN §14, issue #18): what the model's step asks of a task. A task says
 * how a trial's input arises (a sampled stimulus, or closed-loop feedback of the network's own
 * decoded output), its target, how the output o_t is read out of the unclamped rate and the
 * objective recorded from it (reference README §4.1(d)–(f)), the objective of the clamped rate
 * that the plasticity rules read as their third factor (§4.2), and its decoder rule (§4.3), plus
 * its sizes, its own constants and its default learning constants.
 *
 * One module per task under `tasks/`, registered in `tasks/index.ts`, as the plasticity rules
 * are. The model never branches on a task's name: the workspace binds the task once
 * ({@link TaskModel.bind}) and the step calls what it returns. A task module is loaded by the
 * worker from its own URL (`module`), so the code a training depends on, and so its cache key,
 * covers the task it ran and no other.
 */
import type * as Schema from "effect/Schema"
import type { ModelParams } from "./params.js"
import type { Workspace } from "./workspace.js"

/** How a trial's input s_t arises. */
export type InputKind =
  /** s_t = max(0, P·(cos θ_t, sin θ_t)) of a stimulus angle θ_t (README §3). */
  | "stimulus"
  /** s_t = D·r_{t−1}, the network's own decoder output fed back (README §10.4; inputDim = targetDim). */
  | "feedback"

/**
 * The decoder rule the fused learning kernel can run for a task (kernels/reference.ts
 * `decoderStep`): the delta rule of §4.3 (estimation), the logistic rule (classification), or
 * none (the decoder is not learned). A task whose rule is none of these learns in parts: W, b and
 * C in the kernels, the decoder in its own TypeScript, with the same bits.
 */
export type FusedDecoder = "delta" | "logistic" | "none"

/** A task's settings as plain values (what the params carry; see `TaskSettings` in params.ts). */
export type SettingsEncoded = { readonly [key: string]: number | boolean | string | undefined }

/** What the fused kernel runs for a task's decoder: the rule, and the logistic rule's gain. */
export interface FusedDecoderRule {
  readonly rule: FusedDecoder
  /** The logistic decoder's gain (the reference's 100); unused by the other rules. */
  readonly gain: number
}

/** The per-workspace functions of a task: allocated once, called every step, allocating nothing. */
export interface TaskStep {
  /**
   * §4.1(e) y_t into ws.target for the angle θ_t (its cosine and sine given, computed once by the
   * step); called when θ_t changes (a feedback task's θ is 0 throughout: once per trial).
   */
  readonly target: (theta: number, cos: number, sin: number) => void
  /**
   * §4.1(d), (f): turns ws.output, which holds D·r^u_t on entry, into o_t in place, and returns
   * the objective recorded for step t (of the unclamped rate r^u_t).
   */
  readonly record: () => number
  /**
   * §4.2 E_t, the objective of the clamped rate r_t from ws.decoded = D·r_t (the decoder at the
   * start of the step), for the rules' third factor; sets ws.modulator and leaves in the
   * workspace what {@link decoderRule} reads.
   */
  readonly modulator: () => number
  /** §4.3 D ← D + s_D·ΔD after {@link modulator} of the same step; undefined: the task learns no decoder. */
  readonly decoderRule: (() => void) | undefined
  /** The fused kernel's decoder rule for this task under its settings, or undefined (learn in parts). */
  readonly fusedDecoder: FusedDecoderRule | undefined
  /** Optional: called at the start of every trial (resets per-trial caches). */
  readonly startTrial?: () => void
}

/** The model parameters a task fixes: its sizes and learning constants (README §2). */
export type TaskSizes = Pick<
  ModelParams,
  | "N"
  | "inputDim"
  | "targetDim"
  | "learningRate"
  | "learningRateBias"
  | "learningRateInput"
  | "learningRateDecoder"
  | "weightL2"
  | "biasL2"
  | "inputWeightL2"
  | "annealConst"
  | "initialBias"
>

/**
 * The task's defaults over the shared ones of `params.ts`: its sizes and learning constants, and
 * any other model parameter it sets differently (e.g. a closed-loop task's trial length).
 */
export type TaskDefaults = TaskSizes & Partial<Omit<ModelParams, keyof TaskSizes | "task" | "settings">>

/** A task (see the module doc). `Settings` are its own constants, e.g. the class boundaries. */
export interface TaskModel<Settings = unknown> {
  /** Registry id, e.g. `estimation` (what `pipeline run <id>` runs). */
  readonly id: string
  /** `import.meta.url` of the module defining the task (for workers and code fingerprints). */
  readonly module: string
  /** One sentence: what the network reports and the objective, with the reference's name. */
  readonly description: string
  readonly input: InputKind
  /** The task's own constants, with their defaults (decoding `{}` gives the defaults). */
  readonly settings: Schema.Schema<Settings, SettingsEncoded>
  readonly defaults: TaskDefaults
  /** Whether the task has a decoder rule (false: the decoder is the experimenter's, fixed). */
  readonly learnsDecoder: boolean
  /** Binds the task to a workspace (its arrays and `settings`), once per workspace. */
  readonly bind: (ws: Workspace, settings: Settings) => TaskStep
  /**
   * Optional checks of the model parameters against the task (a switch it cannot take, sizes it
   * needs): a problem as `{ path, message }`, or undefined.
   */
  readonly check?: (params: ModelParams) => { readonly path: string; readonly message: string } | undefined
}

/** Any task (the settings type erased, for registries and workers). */
// biome-ignore lint/suspicious/noExplicitAny: a task of any settings
export type AnyTask = TaskModel<any>
