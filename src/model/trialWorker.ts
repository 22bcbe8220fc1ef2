/**
 * Worker-thread entry points: one trial per call, as pure functions of structured-cloneable
 * inputs (plain objects, numbers, strings, typed arrays) returning structured-cloneable outputs.
 * The pipeline stages call them by module URL ({@link trialWorkerModule}) and export name. The
 * plasticity rule and the task (task.ts) are loaded from their own modules by URL, so a trial's
 * code is the rule's and the task's it names, and no other.
 *
 * Determinism: a trial's random numbers come only from the streams
 * `train/trial/<k>/noise` / `test/trial/<k>/noise` of (seed, k) (and, with inputNoise > 0,
 * `train/trial/<k>/input-noise` / `test/trial/<k>/input-noise`), and its angles are an input, so
 * a trial's result is the same whatever worker runs it and in whatever order. A feedback task
 * (BCI, §10.4) has no angles: θ = 0 throughout, and its input is its own decoded output. The reference's
 * switches (README §9) come with the params; an annealed training trial's factor is F_k of its
 * index k.
 *
 * Records (every recordEvery-th step from step 0, n = ceil(S/recordEvery) samples, Float32):
 * quantity-major, `rates[i*n + k]` is neuron i at sample k. The recorded objective at step 0 is
 * the carried-over value of the reference (§4 item 5): `previousObjective` if given, else 0.
 */

import { createHash } from "node:crypto"
import { sampleTrainingAngles, scheduleToAngles } from "./inputs.js"
import { cloneNetwork, type Network } from "./network.js"
import { type ModelParamsEncoded, parseModelParams, steps } from "./params.js"
import { paths, stream } from "./random.js"
import type { PlasticityRule } from "./rule.js"
import type { AnyTask } from "./task.js"
import { allocateRecords, runTestTrial, runTrainTrial } from "./trial.js"
import { type NoiseSource, streamNoise, streamNormals, Workspace } from "./workspace.js"

/** This module's URL, for the worker pool (`{ module: trialWorkerModule, export: "trainTrialTask" }`). */
export const trialWorkerModule: string = import.meta.url

export interface TrainTrialInput {
  /** The network before the trial (not modified; the trained copy is returned). */
  readonly network: Network
  readonly params: ModelParamsEncoded
  /** The rule's id, e.g. "three-factor". */
  readonly ruleId: string
  readonly seed: number
  /** Trial index k (selects the noise streams `train/trial/<k>/…`; the annealed factor F_k). */
  readonly trial: number
  /** θ_t, t = 0 … S−1, from `sampleTrainingAngles(params, seed, k)` (a feedback task's: zeros). */
  readonly angles: Float64Array
  /** The recorded objective carried into step 0 (default 0). */
  readonly previousObjective?: number
}

export interface TrainTrialOutput {
  /** The network after the trial. */
  readonly network: Network
  /** Mean recorded objective over the steps t = 1 … S−1. */
  readonly objectiveMean: number
  /** The recorded objective of the last step (to carry into the next trial's step 0). */
  readonly lastObjective: number
  /** Recorded objective, n samples. */
  readonly objective: Float32Array
  /** targetDim × n. */
  readonly outputs: Float32Array
  /** targetDim × n. */
  readonly targets: Float32Array
  /** n. */
  readonly angles: Float32Array
}

/** ν of §9.3 from its own stream, normal(0, σ_ν); none when σ_ν = 0 (no stream is even created). */
function inputNoiseSource(sigma: number, seed: number, path: string): NoiseSource | undefined {
  return sigma > 0 ? streamNormals(stream(seed, path), sigma) : undefined
}

/** One training trial (§4, train mode) of `task` with `rule` on a copy of the network. */
export function trainTrial(input: TrainTrialInput, rule: PlasticityRule, task: AnyTask): TrainTrialOutput {
  const params = parseModelParams(input.params)
  const S = steps(params)
  if (input.angles.length !== S) throw new Error(`trainTrial: angles has ${input.angles.length} entries, S = ${S}`)
  const ws = new Workspace(params, input.network, rule, task)
  const records = allocateRecords(params, { rates: false })
  const summary = runTrainTrial(ws, params, {
    angles: input.angles,
    noise: streamNoise(stream(input.seed, paths.trainNoise(input.trial)), params.dt),
    inputNoise: inputNoiseSource(params.inputNoise, input.seed, paths.trainInputNoise(input.trial)),
    trial: input.trial,
    previousObjective: input.previousObjective ?? 0,
    records
  })
  return {
    network: cloneNetwork(ws.network()),
    objectiveMean: summary.objectiveMean,
    lastObjective: summary.lastObjective,
    objective: records.objective as Float32Array,
    outputs: records.outputs as Float32Array,
    targets: records.targets as Float32Array,
    angles: records.angles as Float32Array
  }
}

/** How a training trial's angles are drawn (§3.2): the sampler's params and the root seed. */
export interface StimulusRecipe {
  readonly params: Parameters<typeof sampleTrainingAngles>[0]
  readonly seed: number
}

/** sha256 (hex) of a trial's angles as float64 bytes: how `sample-inputs` names the stimuli it drew. */
export function anglesDigest(angles: Float64Array): string {
  return createHash("sha256")
    .update(new Uint8Array(angles.buffer, angles.byteOffset, angles.byteLength))
    .digest("hex")
}

/** Where a worker finds a trial's task: its module's URL and its id (task.ts). */
export interface TaskRefInput {
  readonly taskModule: string
  readonly taskId: string
}

/**
 * The worker entry of a training trial. A stimulus task's angles are drawn here from the recipe
 * (cheaper than storing and reading 800 KB per trial) and their digest returned, so the stage can
 * check them against the ones `sample-inputs` drew; a feedback task has none (no recipe, no
 * digest). The rule and the task are loaded from their own modules (`ruleModule`, `taskModule`,
 * their `import.meta.url`), not from the registries: the code a training depends on, and so its
 * cache key, covers the rule and the task it used and no other.
 */
export async function trainTrialTask(
  input: Omit<TrainTrialInput, "angles"> &
    TaskRefInput & { readonly ruleModule: string; readonly stimulus: StimulusRecipe | undefined }
): Promise<TrainTrialOutput & { readonly anglesDigest: string | undefined }> {
  const task = await loadTask(input.taskModule, input.taskId)
  const angles = trialAngles(task, input.stimulus, input.trial, steps(parseModelParams(input.params)))
  const output = trainTrial({ ...input, angles }, await loadRule(input.ruleModule, input.ruleId), task)
  return { ...output, anglesDigest: input.stimulus === undefined ? undefined : anglesDigest(angles) }
}

/** θ_t of training trial k: the recipe's Langevin chain (stimulus task), or 0 throughout (feedback task). */
function trialAngles(task: AnyTask, stimulus: StimulusRecipe | undefined, trial: number, S: number): Float64Array {
  if ((task.input === "stimulus") !== (stimulus !== undefined)) {
    throw new Error(
      `task ${task.id} takes ${task.input === "stimulus" ? "a stimulus recipe" : "no stimulus (its input is fed back)"}, and the trial was given ${stimulus === undefined ? "none" : "one"}`
    )
  }
  return stimulus === undefined ? new Float64Array(S) : sampleTrainingAngles(stimulus.params, stimulus.seed, trial)
}

/** The export of `module` (a file's URL) that `is` accepts with `id`; memoized per worker. */
function loadExport<A extends { readonly id: string }>(
  cache: Map<string, Promise<A>>,
  module: string,
  id: string,
  is: (u: unknown) => u is A,
  what: string
): Promise<A> {
  const key = `${module}#${id}`
  let found = cache.get(key)
  if (found === undefined) {
    found = import(module).then((exports: Record<string, unknown>) => {
      const value = Object.values(exports).find((v): v is A => is(v) && v.id === id)
      if (value === undefined) throw new Error(`${module} exports no ${what} with id "${id}"`)
      return value
    })
    cache.set(key, found)
  }
  return found
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const loadedRules = new Map<string, Promise<PlasticityRule>>()

/** The rule with `id` exported by `module` (a rule file's URL); memoized per worker. */
export function loadRule(module: string, id: string): Promise<PlasticityRule> {
  const isRule = (u: unknown): u is PlasticityRule => isObject(u) && typeof u.update === "function"
  return loadExport(loadedRules, module, id, isRule, "plasticity rule")
}

const loadedTasks = new Map<string, Promise<AnyTask>>()

/** The task with `id` exported by `module` (a task file's URL); memoized per worker. */
export function loadTask(module: string, id: string): Promise<AnyTask> {
  const isTask = (u: unknown): u is AnyTask => isObject(u) && typeof u.bind === "function" && "settings" in u
  return loadExport(loadedTasks, module, id, isTask, "task")
}

/** Test mode never learns (§4.1(i) is skipped): the workspace's rule is never called. */
const noLearning: PlasticityRule = {
  id: "none",
  module: import.meta.url,
  description: "No learning (test mode).",
  update: () => {
    throw new Error("test trials do not learn")
  }
}

export interface TestTrialInput {
  readonly network: Network
  readonly params: ModelParamsEncoded
  readonly seed: number
  /** Trial index k (selects the noise streams `test/trial/<k>/…`). */
  readonly trial: number
  /** This trial's stimNum angles (its row of `sampleTestSchedule`); none for a feedback task. */
  readonly schedule: Float64Array | undefined
  /** The recorded objective carried into step 0 (default 0). */
  readonly previousObjective?: number
}

export interface TestTrialOutput {
  /** N × n, clamped rates, neuron-major. */
  readonly rates: Float32Array
  /** targetDim × n. */
  readonly outputs: Float32Array
  /** targetDim × n. */
  readonly targets: Float32Array
  /** n. */
  readonly angles: Float32Array
  /** n. */
  readonly objective: Float32Array
  /** Mean recorded objective over the steps t = 1 … S−1. */
  readonly objectiveMean: number
  /** The recorded objective of the last step (to carry into the next trial's step 0). */
  readonly lastObjective: number
}

/** One test trial (§4, test mode: fixed stimuli, or the closed loop of a feedback task; no learning). */
export function testTrial(input: TestTrialInput, task: AnyTask): TestTrialOutput {
  const params = parseModelParams(input.params)
  const ws = new Workspace(params, input.network, noLearning, task)
  const records = allocateRecords(params, { rates: true })
  if ((task.input === "stimulus") !== (input.schedule !== undefined)) {
    throw new Error(`task ${task.id} ${task.input === "stimulus" ? "needs a test schedule" : "takes no test schedule"}`)
  }
  const summary = runTestTrial(ws, params, {
    angles: input.schedule === undefined ? new Float64Array(steps(params)) : scheduleToAngles(params, input.schedule),
    noise: streamNoise(stream(input.seed, paths.testNoise(input.trial)), params.dt),
    inputNoise: inputNoiseSource(params.inputNoise, input.seed, paths.testInputNoise(input.trial)),
    previousObjective: input.previousObjective ?? 0,
    records
  })
  return {
    rates: records.rates as Float32Array,
    outputs: records.outputs as Float32Array,
    targets: records.targets as Float32Array,
    angles: records.angles as Float32Array,
    objective: records.objective as Float32Array,
    objectiveMean: summary.objectiveMean,
    lastObjective: summary.lastObjective
  }
}

/** The worker entry of a test trial: {@link testTrial} of the task loaded from its module. */
export async function testTrialTask(input: TestTrialInput & TaskRefInput): Promise<TestTrialOutput> {
  return testTrial(input, await loadTask(input.taskModule, input.taskId))
}
