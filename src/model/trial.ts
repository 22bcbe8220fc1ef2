/**
 * One trial of `train_run` (reference README §4 items 1–7, §4.4): S steps from r_0, with the
 * records the reference returns, downsampled every `recordEvery`-th step from step 0.
 *
 * Records are Float32Array by default (they only feed analyses); pass Float64 records, or an
 * `observer` called after every step with the full-resolution workspace (what conformance uses).
 */

import type { ModelParams } from "./params.js"
import { recordedSteps, steps } from "./params.js"
import { step } from "./step.js"
import type { NoiseSource, Workspace } from "./workspace.js"

export type RecordArray = Float32Array | Float64Array

/**
 * Records every recordEvery-th step (from step 0), n = ceil(S/recordEvery) samples, each array
 * quantity-major: `rates[i*n + k]` = rate of neuron i at sample k (clamped; r_0 at k = 0).
 * At step 0 outputs and targets are 0 and the objective is the carried-over value (§4 item 5).
 */
export interface TrialRecords {
  /** N × n (test trials; omitted in training like the reference's `r_record = [0]`). */
  readonly rates?: RecordArray | undefined
  /** targetDim × n, o_t. */
  readonly outputs: RecordArray
  /** targetDim × n, y_t. */
  readonly targets: RecordArray
  /** inputDim × n, s_t. */
  readonly inputs: RecordArray
  /** n, θ_t. */
  readonly angles: RecordArray
  /** n, the recorded objective of step t (unclamped rate, §4.1(f)). */
  readonly objective: RecordArray
}

/** Allocates records for one trial. */
export function allocateRecords(
  params: ModelParams,
  options: { rates: boolean; precision?: 32 | 64 } = { rates: false }
): TrialRecords {
  const n = recordedSteps(params)
  const make = (size: number): RecordArray =>
    options.precision === 64 ? new Float64Array(size) : new Float32Array(size)
  return {
    rates: options.rates ? make(params.N * n) : undefined,
    outputs: make(params.targetDim * n),
    targets: make(params.targetDim * n),
    inputs: make(params.inputDim * n),
    angles: make(n),
    objective: make(n)
  }
}

function writeRecord(ws: Workspace, records: TrialRecords, k: number, n: number): void {
  const { rates, outputs, targets, inputs, angles, objective } = records
  if (rates !== undefined) for (let i = 0; i < ws.N; i++) rates[i * n + k] = ws.rates[i]!
  for (let o = 0; o < ws.targetDim; o++) {
    outputs[o * n + k] = ws.output[o]!
    targets[o * n + k] = ws.target[o]!
  }
  for (let c = 0; c < ws.inputDim; c++) inputs[c * n + k] = ws.input[c]!
  angles[k] = ws.theta
  objective[k] = ws.objective
}

export interface TrialOptions {
  /** θ_t for t = 0 … S−1 (sampleTrainingAngles, or scheduleToAngles in test mode). */
  readonly angles: Float64Array
  /** ξ[:, t] for every step. */
  readonly noise: NoiseSource
  /** ν_t for every step: needed when params.inputNoise > 0 (§9.3), else unused. */
  readonly inputNoise?: NoiseSource | undefined
  /** The training trial's index k (0-based): needed when params.annealed (§9.2), else unused. */
  readonly trial?: number | undefined
  /** The recorded objective carried into step 0 (the previous trial's last one; 0 for the first). */
  readonly previousObjective?: number
  /** Where to write the downsampled records (none if omitted). */
  readonly records?: TrialRecords | undefined
  /** Called after step 0 (the initial state) and after every step t ≥ 1, at full resolution. */
  readonly observer?: ((ws: Workspace, t: number) => void) | undefined
}

export interface TrialSummary {
  /** Mean of the recorded objective over the simulated steps t = 1 … S−1. */
  readonly objectiveMean: number
  /** The recorded objective of the last step (carried into the next trial's step 0). */
  readonly lastObjective: number
}

function runTrial(ws: Workspace, params: ModelParams, options: TrialOptions, train: boolean): TrialSummary {
  const S = steps(params)
  if (options.angles.length < S) throw new Error(`angles has ${options.angles.length} entries, a trial needs ${S}`)
  ws.startTrial(options.angles, options.noise, train, options.previousObjective ?? 0, {
    trial: options.trial,
    inputNoise: options.inputNoise
  })
  const records = options.records
  const observer = options.observer
  const every = params.recordEvery
  const n = recordedSteps(params)
  if (records !== undefined) writeRecord(ws, records, 0, n)
  if (observer !== undefined) observer(ws, 0)
  let sum = 0
  let untilRecord = every
  for (let t = 1; t < S; t++) {
    step(ws, t)
    sum += ws.objective
    if (--untilRecord === 0) {
      untilRecord = every
      if (records !== undefined) writeRecord(ws, records, t / every, n)
    }
    if (observer !== undefined) observer(ws, t)
  }
  return { objectiveMean: sum / (S - 1), lastObjective: ws.objective }
}

/** A training trial (§4, train mode): the workspace's rule learns in place on ws's network. */
export function runTrainTrial(ws: Workspace, params: ModelParams, options: TrialOptions): TrialSummary {
  return runTrial(ws, params, options, true)
}

/** A test trial (§4, test mode): no averages, no learning. */
export function runTestTrial(ws: Workspace, params: ModelParams, options: TrialOptions): TrialSummary {
  return runTrial(ws, params, options, false)
}
