/**
 * The reference's full-run files (`../shared/reference/full-runs/<task>-from-scratch.json`): two
 * complete trainings (260 trials × 100 000 steps) run once with the reference's own code from
 * scratch, and their comparison with our replay of the same protocol (./training.ts).
 *
 * A file holds the protocol in words (`protocol`: which draws come in which order), the
 * parameters (`params`, `input_params`, the reference's names), the initial network, snapshots of
 * W, C, b and D at the end of some trials (1-based), and a `learning_curve` entry per trial:
 * `obj_mean` (mean of obj_record[0 … S−1], index 0 carrying the previous trial's last value),
 * `obj_mean_learning_steps`, the parameters' norms and, for classification, `ll_mean` and
 * `accuracy` ({@link TrialStatistics} says how each is computed).
 *
 * {@link protocolOf} reads the protocol from the text and refuses one it does not recognise;
 * {@link compareFullRun} compares a replay with the file: every snapshot the replay reached
 * (largest deviation per parameter) and every learning-curve field of every replayed trial (a
 * norm's deviation judged per entry, divided by √entries).
 * Pure functions, no I/O.
 */
import { type NestedNetwork, type Network, networkFromNested } from "../model/network.js"
import { type ModelParams, stimuliPerTrial } from "../model/params.js"
import {
  type NetworkDeviation,
  networkDeviation,
  paramsFromReference,
  type Replay,
  type ReplayProtocol,
  type TrialStatistics
} from "./training.js"

/** `npm run replay` fails above this deviation (any parameter, any learning-curve field). */
export const FULL_RUN_TOLERANCE = 1e-9

/** One trial of a file's `learning_curve` (the reference's names; classification adds two fields). */
export interface LearningCurveEntry {
  readonly trial: number
  readonly obj_mean: number
  readonly obj_mean_learning_steps?: number
  readonly norm_W?: number
  readonly norm_C?: number
  readonly norm_b?: number
  readonly norm_D?: number
  readonly ll_mean?: number
  readonly accuracy?: number
}

export interface FullRunFile {
  readonly source: string
  readonly task: "estimation" | "classification"
  readonly protocol: string
  readonly what: string
  readonly params: Readonly<Record<string, unknown>>
  readonly input_params: Readonly<Record<string, unknown>>
  readonly initial: NestedNetwork
  /** By trial (1-based), as a string key. */
  readonly snapshots: Readonly<Record<string, NestedNetwork>>
  readonly learning_curve: ReadonlyArray<LearningCurveEntry>
}

/**
 * A learning-curve field of the file, the statistic of ours it is compared with, and the number of
 * entries it sums over: a norm may deviate by √entries times the largest entry's deviation
 * (|‖a‖ − ‖b‖| ≤ ‖a − b‖), so its deviation is judged divided by √entries.
 */
const curveFields: ReadonlyArray<
  readonly [keyof LearningCurveEntry, (s: TrialStatistics) => number | undefined, (n: Network) => number]
> = [
  ["obj_mean", (s) => s.objMean, () => 1],
  ["obj_mean_learning_steps", (s) => s.objMeanLearningSteps, () => 1],
  ["ll_mean", (s) => s.llMean, () => 1],
  ["accuracy", (s) => s.accuracy, () => 1],
  ["norm_W", (s) => s.norms.W, (n) => n.weights.length],
  ["norm_C", (s) => s.norms.C, (n) => n.inputWeights.length],
  ["norm_b", (s) => s.norms.b, (n) => n.biases.length],
  ["norm_D", (s) => s.norms.D, (n) => n.decoder.length]
]

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x)

/** Checks a parsed full-run file's structure; `where` (its path) names it in every message. */
export function parseFullRun(json: unknown, where: string): FullRunFile {
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what}`)
  }
  if (!isRecord(json)) return fail("expected a JSON object")
  for (const key of ["source", "protocol", "what"]) {
    if (typeof json[key] !== "string") fail(`${key} must be a string`)
  }
  if (json.task !== "estimation" && json.task !== "classification") {
    fail(`task must be "estimation" or "classification", got ${JSON.stringify(json.task)}`)
  }
  for (const key of ["params", "input_params", "initial", "snapshots"]) {
    if (!isRecord(json[key])) fail(`${key} must be an object`)
  }
  for (const key of Object.keys(json.snapshots as object)) {
    if (!/^[1-9][0-9]*$/.test(key)) fail(`snapshots.${key}: keys must be trial numbers (1-based)`)
  }
  const curve = json.learning_curve
  if (!Array.isArray(curve)) return fail("learning_curve must be an array")
  for (const [k, entry] of (curve as Array<unknown>).entries()) {
    if (!isRecord(entry)) return fail(`learning_curve.${k} must be an object`)
    if (entry.trial !== k + 1) fail(`learning_curve.${k}.trial must be ${k + 1}, got ${JSON.stringify(entry.trial)}`)
    if (typeof entry.obj_mean !== "number") fail(`learning_curve.${k}.obj_mean must be a number`)
    for (const [field] of curveFields) {
      const value = entry[field]
      if (value !== undefined && typeof value !== "number") fail(`learning_curve.${k}.${field} must be a number`)
    }
  }
  return json as unknown as FullRunFile
}

/** The model parameters of a full-run file. */
export function fullRunParams(file: FullRunFile, where: string): ModelParams {
  return paramsFromReference(file.task, file.params, file.input_params, where)
}

/**
 * The protocol a file describes, read from its `protocol` text: the numpy seed, whether a test
 * call comes before training ("first test call is SKIPPED", or "ONE test call with test_num = n"
 * with a choice of n×stimuli) and the number of training trials (which must be `trial_num_2`).
 * Anything else is refused: the replay would silently draw other numbers.
 */
export function protocolOf(file: FullRunFile, where: string): ReplayProtocol {
  const text = file.protocol
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what} (protocol: "${text}")`)
  }
  const seed = /numpy seed (\d+)/.exec(text)
  if (seed === null) return fail("the protocol names no numpy seed")
  const skipped = /test call is SKIPPED/.test(text)
  const testCall = /ONE test call with test_num = (\d+)/.exec(text)
  if (skipped === (testCall !== null)) return fail("cannot tell whether a test call comes before training")
  const testCallTrials = testCall === null ? 0 : Number(testCall[1])
  const params = fullRunParams(file, where)
  if (testCall !== null) {
    const choice = /choice of (\d+)x(\d+) stimuli/.exec(text)
    const stimuli = stimuliPerTrial(params)
    if (choice === null || Number(choice[1]) !== testCallTrials || Number(choice[2]) !== stimuli) {
      fail(`the test call's schedule must be a choice of ${testCallTrials}x${stimuli} stimuli`)
    }
  }
  const training = /ONE call train_run\(.*?\) with (\d+) trials/.exec(text)
  if (training === null) return fail("the protocol names no training call")
  const trainTrials = Number(training[1])
  if (trainTrials !== params.trainTrials) {
    fail(`the training call has ${trainTrials} trials, params.trial_num_2 says ${params.trainTrials}`)
  }
  return { seed: Number(seed[1]), testCallTrials, trainTrials }
}

/** The snapshots of a file, as networks, by trial. */
export function snapshotsOf(file: FullRunFile): ReadonlyMap<number, Network> {
  const out = new Map<number, Network>()
  for (const [key, nested] of Object.entries(file.snapshots)) out.set(Number(key), networkFromNested(nested))
  return new Map([...out].sort(([a], [b]) => a - b))
}

/** One snapshot: the largest deviation per parameter, and of each learning-curve field of its trial. */
export interface SnapshotComparison {
  readonly trial: number
  readonly parameters: NetworkDeviation
  readonly learningCurve: Readonly<Record<string, number>>
}

export interface FullRunComparison {
  readonly task: "estimation" | "classification"
  /** Training trials replayed. */
  readonly trials: number
  /** Our initial network against the file's. */
  readonly initial: NetworkDeviation
  /** Every snapshot of a replayed trial, in trial order. */
  readonly snapshots: ReadonlyArray<SnapshotComparison>
  /** Per learning-curve field the file has: the largest deviation over the replayed trials. */
  readonly learningCurve: Readonly<Record<string, number>>
  /**
   * The largest of all deviations above, the norms' divided by √entries (what a deviation of every
   * entry by `worst` allows them); this is what a tolerance is applied to.
   */
  readonly worst: number
}

/** Compares a replay of the file's protocol with the file (pure; the replay must keep the snapshot trials). */
export function compareFullRun(file: FullRunFile, replay: Replay): FullRunComparison {
  const curveDeviation = (statistics: TrialStatistics): Record<string, number> => {
    const entry = file.learning_curve[statistics.trial - 1]
    if (entry === undefined) throw new Error(`the file's learning_curve has no trial ${statistics.trial}`)
    const out: Record<string, number> = {}
    for (const [field, ours] of curveFields) {
      const theirs = entry[field]
      if (theirs === undefined) continue
      const value = ours(statistics)
      const d = value === undefined ? Number.NaN : Math.abs(value - theirs)
      out[field] = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d
    }
    return out
  }
  const perTrial = replay.trials.map(curveDeviation)
  const learningCurve: Record<string, number> = {}
  for (const deviations of perTrial) {
    for (const [field, d] of Object.entries(deviations)) learningCurve[field] = Math.max(learningCurve[field] ?? 0, d)
  }
  const snapshots: Array<SnapshotComparison> = []
  for (const [trial, theirs] of snapshotsOf(file)) {
    if (trial > replay.trials.length) continue
    const ours = replay.kept.get(trial)
    if (ours === undefined) throw new Error(`the replay did not keep the network of trial ${trial}`)
    snapshots.push({ trial, parameters: networkDeviation(ours, theirs), learningCurve: perTrial[trial - 1]! })
  }
  const initial = networkDeviation(replay.initial, networkFromNested(file.initial))
  const perEntry = curveFields
    .filter(([field]) => learningCurve[field] !== undefined)
    .map(([field, , entries]) => learningCurve[field]! / Math.sqrt(entries(replay.initial)))
  const worst = Math.max(
    ...Object.values(initial),
    ...snapshots.flatMap((s) => Object.values(s.parameters)),
    ...perEntry
  )
  return { task: file.task, trials: replay.trials.length, initial, snapshots, learningCurve, worst }
}
