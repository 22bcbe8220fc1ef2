/**
 * Worker-thread entry points: one trial per call, as pure functions of structured-cloneable
 * inputs (plain objects, numbers, strings, typed arrays) returning structured-cloneable outputs.
 * The pipeline stages call them by module URL ({@link tasksModule}) and export name.
 *
 * Determinism: a trial's random numbers come only from the streams
 * `train/trial/<k>/noise` / `test/trial/<k>/noise` of (seed, k), and its angles are an input, so
 * a trial's result is the same whatever worker runs it and in whatever order.
 *
 * Records (every recordEvery-th step from step 0, n = ceil(S/recordEvery) samples, Float32):
 * quantity-major, `rates[i*n + k]` is neuron i at sample k. The recorded objective at step 0 is
 * the carried-over value of the reference (§4 item 5): `previousObjective` if given, else 0.
 */

import { scheduleToAngles } from "./inputs.js"
import { cloneNetwork, type Network } from "./network.js"
import { type ModelParamsEncoded, parseModelParams, steps } from "./params.js"
import { paths, stream } from "./random.js"
import { getRule } from "./rules/index.js"
import { threeFactor } from "./rules/threeFactor.js"
import { allocateRecords, runTestTrial, runTrainTrial } from "./trial.js"
import { streamNoise, Workspace } from "./workspace.js"

/** This module's URL, for the worker pool (`{ module: tasksModule, export: "trainTrialTask" }`). */
export const tasksModule: string = import.meta.url

export interface TrainTrialInput {
  /** The network before the trial (not modified; the trained copy is returned). */
  readonly network: Network
  readonly params: ModelParamsEncoded
  /** A rule id of `rules/index.ts`, e.g. "three-factor". */
  readonly ruleId: string
  readonly seed: number
  /** Trial index k (selects the noise stream `train/trial/<k>/noise`). */
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

/** One training trial (§4, train mode) of the given rule on a copy of the network. */
export function trainTrialTask(input: TrainTrialInput): TrainTrialOutput {
  const params = parseModelParams(input.params)
  const S = steps(params)
  if (input.angles.length !== S) throw new Error(`trainTrialTask: angles has ${input.angles.length} entries, S = ${S}`)
  const network = cloneNetwork(input.network)
  const ws = new Workspace(params, network, getRule(input.ruleId))
  const records = allocateRecords(params, { rates: false })
  const summary = runTrainTrial(ws, params, {
    angles: input.angles,
    noise: streamNoise(stream(input.seed, paths.trainNoise(input.trial)), params.dt),
    previousObjective: input.previousObjective ?? 0,
    records
  })
  return {
    network,
    objectiveMean: summary.objectiveMean,
    lastObjective: summary.lastObjective,
    objective: records.objective as Float32Array,
    outputs: records.outputs as Float32Array,
    targets: records.targets as Float32Array,
    angles: records.angles as Float32Array
  }
}

export interface TestTrialInput {
  readonly network: Network
  readonly params: ModelParamsEncoded
  readonly seed: number
  /** Trial index k (selects the noise stream `test/trial/<k>/noise`). */
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
}

/** One test trial (§4, test mode: fixed stimuli, no learning). */
export function testTrialTask(input: TestTrialInput): TestTrialOutput {
  const params = parseModelParams(input.params)
  const ws = new Workspace(params, input.network, threeFactor)
  const records = allocateRecords(params, { rates: true })
  const summary = runTestTrial(ws, params, {
    angles: scheduleToAngles(params, input.schedule),
    noise: streamNoise(stream(input.seed, paths.testNoise(input.trial)), params.dt),
    previousObjective: input.previousObjective ?? 0,
    records
  })
  return {
    rates: records.rates as Float32Array,
    outputs: records.outputs as Float32Array,
    targets: records.targets as Float32Array,
    angles: records.angles as Float32Array,
    objective: records.objective as Float32Array,
    objectiveMean: summary.objectiveMean
  }
}
