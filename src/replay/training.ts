/**
 * A training of the reference, replayed through this project's model on the reference's own
 * random streams: numpy's legacy `RandomState` (./numpyRandom.ts), drawn in the order of the
 * reference's main script (reference README §5–6), fed to our trial code (src/model/trial.ts) with
 * the workspace's WebAssembly kernels and the paper's three-factor rule.
 *
 * The protocol ({@link ReplayProtocol}):
 *
 *   1. initialisation (§6.1): seed, D ~ uniform(±1/N, (targetDim, N)); seed again,
 *      W ~ uniform(±0.3/√N, (N, N)), then C ~ uniform(±0.5/√inputDim, (N, inputDim)); b = initialBias;
 *   2. optionally a test call before training (§6.3): choice(angles, (trials, stimuli)), then per
 *      trial normal(0, √dt, (N, S)). It changes no parameter, only where the stream stands;
 *   3. training (§6.2), per trial: normal(0, √dt, (N, S)) → ξ, vonmises(μ, κ) → θ_0,
 *      normal(0, √dt, (1, S)) → η of the Langevin chain (§3.2).
 *
 * Per trial it computes the statistics the reference's full-run files record
 * ({@link TrialStatistics}). A comparison tool only: the project's runs draw from alea.
 * Pure computation, no I/O; a full training (260 × 100 000 steps) takes about 2.5 minutes.
 */
import { langevinAngles, preferredAngles } from "../model/inputs.js"
import type { KernelKind } from "../model/kernels/index.js"
import { cloneNetwork, type Network } from "../model/network.js"
import {
  defaultModelParams,
  learnsAt,
  type ModelParams,
  parseModelParams,
  steps,
  stimuliPerTrial
} from "../model/params.js"
import { threeFactor } from "../model/rules/threeFactor.js"
import { getTask, type TaskId, taskModels } from "../model/tasks/index.js"
import { runTrainTrial } from "../model/trial.js"
import { type NoiseSource, Workspace } from "../model/workspace.js"
import { NumpyRandomState } from "./numpyRandom.js"

/** The reference main script's numpy seed. */
export const REFERENCE_SEED = 120994

/** Where a replayed training's random draws come from and what it trains (see the module doc). */
export interface ReplayProtocol {
  /** The numpy seed of the initialisation (set twice, §6.1); the stream then runs on. */
  readonly seed: number
  /** Trials of the test call made between initialisation and training (0: none). */
  readonly testCallTrials: number
  /** Training trials of the one training call. */
  readonly trainTrials: number
}

/** Our parameter name → the reference's key in its `params` dict (reference README §2). */
const paramKeys = {
  N: "N",
  inputDim: "input_dim",
  targetDim: "target_dim",
  dt: "dt",
  sigma: "sigma",
  R: "R",
  alpha: "alpha",
  beta: "beta",
  gamma: "gamma",
  rLow: "low_r_threshold",
  rHigh: "high_r_threshold",
  rho: "theta",
  thetaObj: "theta_obj",
  transientSeconds: "transient",
  learningRate: "learning_rate",
  learningRateBias: "learning_rate_bias",
  learningRateInput: "learning_rate_input",
  learningRateDecoder: "learning_rate_decoder",
  weightL2: "weight_l2",
  biasL2: "bias_weight_l2",
  inputWeightL2: "i_weight_l2",
  recordEvery: "record_res",
  trialSeconds: "T",
  trainTrials: "trial_num_2",
  testTrials: "test_num"
} as const

/** Our parameter name → the reference's key in its `input_params` dict. */
const inputParamKeys = {
  muIn: "mu_in",
  kappaIn: "kappa_in",
  sigmaSampler: "sigma_sampler",
  switchSeconds: "switch_period"
} as const

/** The classifier's settings (`task.ts` settings) → the reference's key in its `params` dict. */
const settingKeys = { thetaThresh: "theta_thresh", thetaThreshRev: "theta_thresh_rev" } as const

/**
 * The model parameters of a reference file: the task's defaults overlaid with every value the
 * file's `params` and `input_params` dicts give (under the reference's names). `where` names the
 * file in error messages.
 */
export function paramsFromReference(
  task: Extract<TaskId, "estimation" | "classification">,
  params: Readonly<Record<string, unknown>>,
  inputParams: Readonly<Record<string, unknown>>,
  where: string
): ModelParams {
  const overlay: Record<string, number> = {}
  const read = (dict: Readonly<Record<string, unknown>>, name: string, ours: string, key: string) => {
    const value = dict[key]
    if (value === undefined) return
    if (typeof value !== "number")
      throw new Error(`${where}: ${name}.${key} must be a number, got ${JSON.stringify(value)}`)
    overlay[ours] = value
  }
  for (const [ours, key] of Object.entries(paramKeys)) read(params, "params", ours, key)
  for (const [ours, key] of Object.entries(inputParamKeys)) read(inputParams, "input_params", ours, key)
  const defaults = defaultModelParams(taskModels[task])
  const settings: Record<string, number | boolean | string> = { ...defaults.settings }
  for (const [ours, key] of Object.entries(settingKeys)) {
    const value = params[key]
    if (value === undefined || !(ours in settings)) continue
    if (typeof value !== "number")
      throw new Error(`${where}: params.${key} must be a number, got ${JSON.stringify(value)}`)
    settings[ours] = value
  }
  // Quirk 11: the loop runs params' T, the test inputs are sized with input_params' T.
  const inputT = inputParams["T"]
  if (inputT !== undefined && inputT !== params["T"]) {
    throw new Error(`${where}: input_params.T (${inputT}) differs from params.T (${params["T"]}); not replayable`)
  }
  return parseModelParams({ ...defaults, ...overlay, settings }, taskModels[task])
}

/** The reference's initial network for `seed` (§6.1): D from one seeding, W and C from a second. */
export function referenceInitialNetwork(
  rng: NumpyRandomState,
  seed: number,
  params: Pick<ModelParams, "N" | "inputDim" | "targetDim" | "initialBias">
): Network {
  const { N, inputDim, targetDim } = params
  rng.seed(seed)
  const decoder = rng.uniform(-1 / N, 1 / N, new Float64Array(targetDim * N))
  rng.seed(seed)
  const bound = 0.3 / Math.sqrt(N)
  const weights = rng.uniform(-bound, bound, new Float64Array(N * N))
  const inputBound = 0.5 / Math.sqrt(inputDim)
  const inputWeights = rng.uniform(-inputBound, inputBound, new Float64Array(N * inputDim))
  const biases = new Float64Array(N).fill(params.initialBias)
  return { N, inputDim, targetDim, weights, inputWeights, biases, decoder }
}

/**
 * ξ of one trial: `normal(0, scale, (N, S))` in draw order (row i = neuron i), stored step-major
 * (`byStep[t*N + i]`) so that a step reads N contiguous values.
 */
export function drawTrialNoise(
  rng: NumpyRandomState,
  N: number,
  S: number,
  scale: number,
  byStep: Float64Array
): Float64Array {
  if (byStep.length !== N * S)
    throw new Error(`drawTrialNoise: byStep has ${byStep.length} entries, expected ${N}×${S}`)
  for (let i = 0; i < N; i++) for (let t = 0; t < S; t++) byStep[t * N + i] = 0 + scale * rng.gaussian()
  return byStep
}

/** The step-major noise of {@link drawTrialNoise} as the model's noise source. */
export function stepMajorNoise(byStep: Float64Array, N: number): NoiseSource {
  return { fill: (out, t) => void out.set(byStep.subarray(t * N, t * N + N)) }
}

/**
 * The draws of a test call (§6.3) that nothing reads when it comes before training: the schedule
 * `choice(angles, (trials, stimuli))` and per trial `normal(0, √dt, (N, S))`.
 */
export function skipTestCall(rng: NumpyRandomState, params: ModelParams, trials: number): void {
  rng.choiceIndices(preferredAngles(params.inputDim).length, trials * stimuliPerTrial(params))
  const perTrial = params.N * steps(params)
  for (let ii = 0; ii < trials; ii++) rng.skipNormals(perTrial)
}

/** The Frobenius norm √(Σ x²) (numpy's `linalg.norm` of a vector or matrix). */
export function norm(values: ArrayLike<number>): number {
  let sum = 0
  for (let k = 0; k < values.length; k++) sum += values[k]! * values[k]!
  return Math.sqrt(sum)
}

/**
 * What the reference's full-run files record per training trial (`learning_curve`), computed from
 * the recorded objective of every step (obj_record, §4.1(f)) and the output and target of every step.
 */
export interface TrialStatistics {
  /** The training trial, 1-based. */
  readonly trial: number
  /** `obj_mean`: mean of obj_record[0 … S−1]; index 0 carries the previous trial's last value (0 for trial 1). */
  readonly objMean: number
  /** `obj_mean_learning_steps`: mean of obj_record over the learning steps (t·dt > transient). */
  readonly objMeanLearningSteps: number
  /** `ll_mean` (classification): mean of obj_record[1 … S−1], the log-likelihood of the simulated steps. */
  readonly llMean?: number
  /** `accuracy` (classification): fraction of the steps t = 1 … S−1 with (o_t > 0.5) = y_t. */
  readonly accuracy?: number
  /** `norm_W`, `norm_C`, `norm_b`, `norm_D`: Frobenius norms of the parameters at the trial's end. */
  readonly norms: { readonly W: number; readonly C: number; readonly b: number; readonly D: number }
}

export interface ReplayOptions {
  /** Train only the first `trials` trials of the protocol (default: all). */
  readonly trials?: number
  /** The workspace's kernels (default "simd", the WebAssembly ones). */
  readonly kernels?: KernelKind
  /** Trials (1-based) after which to keep a copy of the network. */
  readonly keep?: Iterable<number>
  /** Called after every training trial (the network's arrays are the workspace's: copy to keep). */
  readonly onTrial?: (statistics: TrialStatistics, network: Network) => void
}

export interface Replay {
  /** The initial network the protocol drew. */
  readonly initial: Network
  /** The network after the last replayed trial. */
  readonly final: Network
  /** One entry per replayed training trial. */
  readonly trials: ReadonlyArray<TrialStatistics>
  /** The networks kept after the trials asked for (`keep`), by trial. */
  readonly kept: ReadonlyMap<number, Network>
}

/** Replays a protocol's initialisation, test call and (the first `trials` of) its training. */
export function replayTraining(params: ModelParams, protocol: ReplayProtocol, options: ReplayOptions = {}): Replay {
  const trials = options.trials ?? protocol.trainTrials
  if (!Number.isInteger(trials) || trials < 0 || trials > protocol.trainTrials) {
    throw new Error(`trials must be an integer in 0…${protocol.trainTrials}, got ${trials}`)
  }
  const { N, targetDim } = params
  const S = steps(params)
  const scale = Math.sqrt(params.dt)
  const keep = new Set(options.keep ?? [])

  const rng = new NumpyRandomState(protocol.seed)
  const initial = referenceInitialNetwork(rng, protocol.seed, params)
  skipTestCall(rng, params, protocol.testCallTrials)

  const ws = new Workspace(params, initial, threeFactor, getTask(params.task), undefined, options.kernels ?? "simd")
  // The full-run files record the classifier's accuracy and log-likelihood (their format's, not a model branch).
  const classification = params.task === "classification"
  if (classification && targetDim !== 1) throw new Error(`a classification replay needs targetDim 1, got ${targetDim}`)
  const byStep = new Float64Array(N * S)
  const noise = stepMajorNoise(byStep, N)
  const eta = new Float64Array(S)
  const angles = new Float64Array(S)
  // Per-step sums over a trial, filled by the observer (no allocation per step).
  let objectiveSum = 0
  let learningSum = 0
  let learningSteps = 0
  let correct = 0
  const observer = (w: Workspace, t: number) => {
    objectiveSum += w.objective
    if (t === 0) return
    if (learnsAt(params, t)) {
      learningSum += w.objective
      learningSteps++
    }
    if (classification && (w.output[0]! > 0.5 ? 1 : 0) === w.target[0]) correct++
  }
  const statistics: Array<TrialStatistics> = []
  const kept = new Map<number, Network>()
  let previousObjective = 0
  for (let trial = 1; trial <= trials; trial++) {
    drawTrialNoise(rng, N, S, scale, byStep)
    const theta0 = rng.vonMises(params.muIn, params.kappaIn)
    rng.normal(0, scale, eta)
    langevinAngles(params, theta0, eta, angles)
    objectiveSum = learningSum = learningSteps = correct = 0
    const summary = runTrainTrial(ws, params, { angles, noise, previousObjective, observer })
    previousObjective = summary.lastObjective
    const network = ws.network()
    const entry: TrialStatistics = {
      trial,
      objMean: objectiveSum / S,
      objMeanLearningSteps: learningSteps > 0 ? learningSum / learningSteps : Number.NaN,
      ...(classification ? { llMean: summary.objectiveMean, accuracy: correct / (S - 1) } : {}),
      norms: {
        W: norm(network.weights),
        C: norm(network.inputWeights),
        b: norm(network.biases),
        D: norm(network.decoder)
      }
    }
    statistics.push(entry)
    if (keep.has(trial)) kept.set(trial, cloneNetwork(network))
    options.onTrial?.(entry, network)
  }
  return { initial, final: cloneNetwork(ws.network()), trials: statistics, kept }
}

/** The largest |a − b| over two equally long arrays. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`)
  let max = 0
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k]! - b[k]!)
    if (!(d <= max)) max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d // NaN counts as infinite
  }
  return max
}

/** The largest deviation of each parameter between two networks of the same shape. */
export interface NetworkDeviation {
  readonly weights: number
  readonly inputWeights: number
  readonly biases: number
  readonly decoder: number
}

export function networkDeviation(ours: Network, theirs: Network): NetworkDeviation {
  return {
    weights: maxAbsDifference(ours.weights, theirs.weights),
    inputWeights: maxAbsDifference(ours.inputWeights, theirs.inputWeights),
    biases: maxAbsDifference(ours.biases, theirs.biases),
    decoder: maxAbsDifference(ours.decoder, theirs.decoder)
  }
}
