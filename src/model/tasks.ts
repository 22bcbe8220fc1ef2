/**
 * Worker-thread entry points: one trial per call, as pure functions of structured-cloneable
 * inputs (plain objects, numbers, strings, typed arrays) returning structured-cloneable outputs.
 * The pipeline stages call them by module URL ({@link tasksModule}) and export name.
 *
 * Determinism: a trial's random numbers come only from the streams
 * `train/trial/<k>/noise` / `test/trial/<k>/noise` of (seed, k) (and, with inputNoise > 0,
 * `train/trial/<k>/input-noise` / `test/trial/<k>/input-noise`), and its angles are an input, so
 * a trial's result is the same whatever worker runs it and in whatever order. The reference's
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
import { allocateRecords, runTestTrial, runTrainTrial } from "./trial.js"
import { type NoiseSource, streamNoise, streamNormals, Workspace } from "./workspace.js"

/** This module's URL, for the worker pool (`{ module: tasksModule, export: "trainTrialTask" }`). */
export const tasksModule: string = import.meta.url

export interface TrainTrialInput {
  /** The network before the trial (not modified; the trained copy is returned). */
  readonly network: Network
  readonly params: ModelParamsEncoded
  /** The rule's id, e.g. "three-factor". */
  readonly ruleId: string
  readonly seed: number
  /** Trial index k (selects the noise streams `train/trial/<k>/…`; the annealed factor F_k). */
  readonly trial: number
  /** θ_t, t = 0 … S−1, from `sampleTrainingAngles(params, seed, k)`. */
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

/** One training trial (§4, train mode) of `rule` on a copy of the network. */
export function trainTrial(input: TrainTrialInput, rule: PlasticityRule): TrainTrialOutput {
  const params = parseModelParams(input.params)
  const S = steps(params)
  if (input.angles.length !== S) throw new Error(`trainTrial: angles has ${input.angles.length} entries, S = ${S}`)
  const ws = new Workspace(params, input.network, rule)
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

/**
 * The worker entry of a training trial. The angles are drawn here from the recipe (cheaper than
 * storing and reading 800 KB per trial) and their digest returned, so the stage can check them
 * against the ones `sample-inputs` drew. The rule is loaded from its own module (`ruleModule`,
 * the rule's `import.meta.url`), not from the registry: the code a training depends on, and so
 * its cache key, covers the rule it used and no other.
 */
export async function trainTrialTask(
  input: Omit<TrainTrialInput, "angles"> & { readonly ruleModule: string; readonly stimulus: StimulusRecipe }
): Promise<TrainTrialOutput & { readonly anglesDigest: string }> {
  const angles = sampleTrainingAngles(input.stimulus.params, input.stimulus.seed, input.trial)
  const output = trainTrial({ ...input, angles }, await loadRule(input.ruleModule, input.ruleId))
  return { ...output, anglesDigest: anglesDigest(angles) }
}

const loadedRules = new Map<string, Promise<PlasticityRule>>()

/** The rule with `id` exported by `module` (a rule file's URL); memoized per worker. */
export function loadRule(module: string, id: string): Promise<PlasticityRule> {
  const key = `${module}#${id}`
  let rule = loadedRules.get(key)
  if (rule === undefined) {
    rule = import(module).then((exports: Record<string, unknown>) => {
      const found = Object.values(exports).find(
        (v): v is PlasticityRule =>
          typeof v === "object" &&
          v !== null &&
          (v as PlasticityRule).id === id &&
          typeof (v as PlasticityRule).update === "function"
      )
      if (found === undefined) throw new Error(`${module} exports no plasticity rule with id "${id}"`)
      return found
    })
    loadedRules.set(key, rule)
  }
  return rule
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
  /** This trial's stimNum angles (its row of `sampleTestSchedule`). */
  readonly schedule: Float64Array
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

/** One test trial (§4, test mode: fixed stimuli, no learning). */
export function testTrialTask(input: TestTrialInput): TestTrialOutput {
  const params = parseModelParams(input.params)
  const ws = new Workspace(params, input.network, noLearning)
  const records = allocateRecords(params, { rates: true })
  const summary = runTestTrial(ws, params, {
    angles: scheduleToAngles(params, input.schedule),
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
