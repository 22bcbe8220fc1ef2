/**
 * The preallocated state of one simulation (DESIGN §8): constants derived from the parameters,
 * the network's arrays (mutated in place by learning), the per-trial state (rates, input,
 * currents, running averages) and the per-step quantities the records and rules read.
 *
 * One Workspace is allocated per run; `step(ws, t)` (step.ts) allocates nothing. Its arrays live in
 * the memory of its kernels (kernels/index.ts: WebAssembly SIMD by default), and the network is
 * copied in: learning updates the workspace's copy, which `network()` returns. The task (task.ts)
 * is bound once here: the step calls its target, output, objective and decoder rule.
 */

import * as Schema from "effect/Schema"
import { inputFromAngle, preferredAngles, projection } from "./inputs.js"
import {
  createKernels,
  INTEGRATION_FRAME_VALUES,
  type IntegrationFrame,
  type KernelKind,
  type Kernels,
  LEARNING_FRAME_VALUES,
  type LearningFrame
} from "./kernels/index.js"
import { DECODER_RULES, INTEGRATION_CONSTANTS, LEARNING_CONSTANTS } from "./kernels/reference.js"
import { checkNetwork, type Network } from "./network.js"
import { inverseNonlinearity, NONLINEARITY_CODE } from "./nonlinearity.js"
import { learningFactor, type ModelParams, type Nonlinearity } from "./params.js"
import type { RandomStream } from "./random.js"
import type { PlasticityRule } from "./rule.js"
import type { AnyTask, TaskStep } from "./task.js"

/** Supplies the noise ξ[:, t] of a step: N values, normal(0, √dt) (σ is applied by the step). */
export interface NoiseSource {
  fill(out: Float64Array, t: number): void
  /**
   * Optionally, the same source drawing through a workspace's kernels, with its generator state
   * moved to `state` (5 values of the kernels' memory); called by Workspace.startTrial.
   */
  bind?(kernels: Kernels, state: Float64Array): NoiseSource
}

/**
 * ξ from a random stream, drawn step by step, neuron by neuron: normal(0, √dt). Bound to a
 * workspace, it draws in its kernels (the stream's state is copied back after every step, so the
 * stream stays usable).
 */
export function streamNoise(rng: RandomStream, dt: number): NoiseSource {
  return streamNormals(rng, Math.sqrt(dt))
}

/**
 * normal(0, sd) values from a random stream, drawn step by step, component by component: ξ
 * ({@link streamNoise}) or the input noise ν of §9.3 (sd = σ_ν; drawn in TypeScript, never bound).
 */
export function streamNormals(rng: RandomStream, sd: number): NoiseSource {
  const source: NoiseSource = {
    fill: (out) => void rng.fillNormal(out, sd),
    bind: (kernels, state) => {
      if (kernels.kind === "js") return source
      rng.saveState(state)
      return {
        fill: (out) => {
          kernels.fillNormal(state, out, sd)
          rng.loadState(state)
        }
      }
    }
  }
  return source
}

/**
 * Noise replayed from an N×S row-major matrix, column t at step t: the reference's ξ draw
 * `normal(0, √dt, (N, S))`, or its input noise ν `normal(0, σ_ν, (inputDim, S))` (§9.3).
 */
export function matrixNoise(values: Float64Array, N: number, S: number): NoiseSource {
  if (values.length !== N * S) throw new Error(`noise matrix has ${values.length} entries, expected ${N}×${S}`)
  return {
    fill: (out, t) => {
      for (let i = 0; i < N; i++) out[i] = values[i * S + t]!
    }
  }
}

/** No noise at all (deterministic dynamics; for tests). */
export const zeroNoise: NoiseSource = { fill: (out) => void out.fill(0) }

/** What else drives a trial under the reference's switches (Workspace.startTrial). */
export interface TrialDrive {
  /** Index k of the training trial (0-based): F_k of the annealed learning steps (§9.2). */
  readonly trial?: number | undefined
  /** ν_t, inputDim values per step, normal(0, σ_ν) (§9.3). */
  readonly inputNoise?: NoiseSource | undefined
}

export class Workspace {
  // ── sizes and constants ──────────────────────────────────────────────
  readonly N: number
  readonly inputDim: number
  readonly targetDim: number
  /** The task, and its functions bound to this workspace (task.ts). */
  readonly task: AnyTask
  readonly taskStep: TaskStep
  /** The task's input is the decoder's output fed back (s_t = D·r_{t−1}) rather than a stimulus. */
  readonly feedback: boolean
  readonly dt: number
  readonly sigma: number
  readonly R: number
  readonly alpha: number
  readonly beta: number
  readonly gamma: number
  readonly rLow: number
  readonly rHigh: number
  /** The leak term (−1·g(r_low))/R of a clamped neuron, computed once. */
  readonly leakAtLow: number
  /** ρ and 1 − ρ of the sliding averages (§4.1(h)). */
  readonly rho: number
  readonly oneMinusRho: number
  readonly thetaObj: number
  /** Learning happens at steps with t·dt > transientSeconds (§4.1(i), quirk 13). */
  readonly transientSeconds: number
  /**
   * Effective learning steps ((dt·A)·η) for W, b, C, D (§4.1(i)); with `annealed`, ((dt·F_k)·η)
   * of the current training trial k (§9.2), set by startTrial.
   */
  stepWeights: number
  stepBiases: number
  stepInputWeights: number
  stepDecoder: number
  /** λ_W (also the decoder's, quirk 5), λ_b, λ_C. */
  readonly weightL2: number
  readonly biasL2: number
  readonly inputWeightL2: number
  // ── the reference's switches (README §9) ──────────────────────────────
  /** §9.2: the learning steps follow F_k = A·exp(−k/150) + 1 over the training trials k. */
  readonly annealed: boolean
  readonly annealConst: number
  /** η_W, η_b, η_C, η_D (the steps above are ((dt·F)·η)). */
  readonly learningRates: readonly [number, number, number, number]
  /** §9.3: σ_ν of the input noise (0: off, no draws). */
  readonly inputNoiseSigma: number
  /** §9.4: the estimation objective and decoder rule read r/‖r‖ (a task that cannot take it refuses it). */
  readonly normalizeOutput: boolean
  /** §9.5: the decoder is not learned. */
  readonly decoderFixed: boolean
  /** §9.6: the inverse nonlinearity of the leak term. */
  readonly nonlinearity: Nonlinearity
  /**
   * Whether the three-factor rule can run its whole learning step in one kernel call: when the
   * task's decoder rule is one the kernel has (its `fusedDecoder`) and the decoder is not fixed
   * (else the rule runs W, b, C in the kernels and the task's decoder rule in TypeScript, with
   * the same bits).
   */
  readonly fusedLearning: boolean
  /** r_0, the rate every trial starts from (params.r0 for every neuron; settable per neuron). */
  readonly initialRates: Float64Array
  /** P: (cos a_k, sin a_k) interleaved. */
  readonly projection: Float64Array

  /** The kernels (W·r, C·s, the fused learning pass, the integration) and the memory all arrays live in. */
  readonly kernels: Kernels
  /** The arrays and constants of the three-factor learning step (§4.1(h)–(i), §4.3), bound once. */
  readonly learning: LearningFrame
  /** The arrays and constants of the integration (§4.1(b)–(d), (g)), bound to the kernels once. */
  readonly integration: IntegrationFrame

  // ── network (a copy, mutated in place by learning) ───────────────────
  readonly weights: Float64Array
  readonly inputWeights: Float64Array
  readonly biases: Float64Array
  readonly decoder: Float64Array

  // ── per-trial state ──────────────────────────────────────────────────
  /** r_t, the clamped rate of the last step (r_0 at the start of a trial). */
  rates: Float64Array
  /** r_{t−1}, the rate the last step started from. */
  previousRates: Float64Array
  /** r_t before the clamp (what the output and the recorded objective see). */
  readonly unclamped: Float64Array
  /** ξ[:, t] of the last step, normal(0, √dt), before the factor σ. */
  readonly noise: Float64Array
  /** The noise stream's generator state while a trial draws through the kernels (NoiseSource.bind). */
  readonly noiseState: Float64Array
  /** s_t and s_{t−1}. */
  input: Float64Array
  previousInput: Float64Array
  /** Counts the values `input` has taken; `currentSerial` is the count inputCurrent = C·s was computed for. */
  inputSerial = 0
  currentSerial = -1
  /** θ_t, and the θ the target was last computed for (y_0 stays 0, quirk 3). */
  theta = Number.NaN
  targetTheta = Number.NaN
  /** W·r_t and C·s_t: the recurrent and input currents of the next step. */
  readonly recurrent: Float64Array
  readonly inputCurrent: Float64Array
  /** §9.3 ν_t, and s_{t−1} + ν_t whose current C·(s_{t−1} + ν_t) drives step t (input noise on only). */
  readonly inputNoise: Float64Array
  readonly noisyInput: Float64Array
  /** §9.4 r/‖r‖ of the rate the estimation objective last read, and D·(r^u/‖r^u‖) of step t. */
  readonly normalizedRates: Float64Array
  readonly normalizedOutput: Float64Array
  /** o_t (from the unclamped rate) and y_t. */
  readonly output: Float64Array
  readonly target: Float64Array
  /** The recorded objective of step t (unclamped rate, §4.1(f)). */
  objective = 0
  /** D·r_t of the clamped rate and, for a logistic readout, p = logistic(D·r_t) (unclipped). */
  readonly decoded: Float64Array
  readonly probability: Float64Array
  /** E_t: the objective of the clamped rate, the rules' third factor (NaN when not computed). */
  modulator = Number.NaN
  /** Ā_rr (N×N), Ā_r (N), Ā_rs (N×inputDim), reset every trial (§4, item 4). */
  readonly averageRR: Float64Array
  readonly averageR: Float64Array
  readonly averageRS: Float64Array
  /** Ē, a running average of E for the rules that use one (NaN until its first value). */
  objectiveAverage = Number.NaN

  // ── what drives the trial ────────────────────────────────────────────
  angles: Float64Array = new Float64Array(0)
  noiseSource: NoiseSource
  /** ν of §9.3 (used only when inputNoiseSigma > 0). */
  inputNoiseSource: NoiseSource = zeroNoise
  rule: PlasticityRule
  /** Training (rule.update after each step) or test mode (currents only). */
  train = false
  /** Whether previousInput still has to catch up with input (test stimuli held over steps). */
  inputStale = false

  constructor(
    params: ModelParams,
    network: Network,
    rule: PlasticityRule,
    task: AnyTask,
    noise: NoiseSource = zeroNoise,
    kernels: KernelKind = "simd"
  ) {
    if (params.task !== task.id)
      throw new Error(`the params are for task "${params.task}", the workspace's task is "${task.id}"`)
    const problem = task.check?.(params)
    if (problem !== undefined) throw new Error(`task ${task.id}: ${problem.path} ${problem.message}`)
    const settings = Schema.decodeUnknownSync(task.settings)(params.settings, { onExcessProperty: "error" })
    const { N, inputDim, targetDim } = params
    this.N = N
    this.inputDim = inputDim
    this.targetDim = targetDim
    this.task = task
    this.feedback = task.input === "feedback"
    this.dt = params.dt
    this.sigma = params.sigma
    this.R = params.R
    this.alpha = params.alpha
    this.beta = params.beta
    this.gamma = params.gamma
    this.rLow = params.rLow
    this.rHigh = params.rHigh
    this.nonlinearity = params.nonlinearity
    this.leakAtLow =
      (-1 * inverseNonlinearity(params.rLow, params.beta, params.alpha, params.gamma, params.nonlinearity)) / params.R
    this.rho = params.rho
    this.oneMinusRho = 1 - params.rho
    this.thetaObj = params.thetaObj
    this.transientSeconds = params.transientSeconds
    this.annealed = params.annealed
    this.annealConst = params.annealConst
    this.learningRates = [
      params.learningRate,
      params.learningRateBias,
      params.learningRateInput,
      params.learningRateDecoder
    ]
    const dtA = params.dt * params.annealConst
    this.stepWeights = dtA * params.learningRate
    this.stepBiases = dtA * params.learningRateBias
    this.stepInputWeights = dtA * params.learningRateInput
    this.stepDecoder = dtA * params.learningRateDecoder
    this.inputNoiseSigma = params.inputNoise
    this.normalizeOutput = params.normalizeOutput
    this.decoderFixed = params.decoderFixed
    this.weightL2 = params.weightL2
    this.biasL2 = params.biasL2
    this.inputWeightL2 = params.inputWeightL2
    this.initialRates = new Float64Array(N).fill(params.r0)
    this.projection = this.feedback ? new Float64Array(0) : projection(preferredAngles(inputDim))
    if (!this.feedback && this.projection.length !== 2 * inputDim) {
      throw new Error(`inputDim ${inputDim}: arange(−π, π, 2π/${inputDim}) does not give ${inputDim} angles`)
    }
    // Every array below lives in the kernels' memory; their sizes, in allocation order: constants,
    // W, Ā_rr, C, Ā_rs, b, D, r, r_prev, r^u, ξ, noise state, s, s_prev, W·r, C·s, Ā_r, o, y, D·r,
    // p, learning constants, the integration and learning frames (kernels/index.ts), s + ν.
    const sizes = [
      INTEGRATION_CONSTANTS.length,
      N * N,
      N * N,
      N * inputDim,
      N * inputDim,
      N,
      targetDim * N,
      ...[N, N, N, N, 5, inputDim, inputDim, N, N, N],
      ...[targetDim, targetDim, targetDim, targetDim],
      LEARNING_CONSTANTS.length,
      INTEGRATION_FRAME_VALUES,
      LEARNING_FRAME_VALUES,
      inputDim
    ]
    this.kernels = createKernels(sizes, kernels)
    const allocate = this.kernels.allocate
    const integrationConstants = allocate(INTEGRATION_CONSTANTS.length)
    // dt, σ, r_low, r_high, 1/β, α, 1/(γR), leakAtLow, β, γ, R, the pair (INTEGRATION_CONSTANTS).
    integrationConstants.set([
      this.dt,
      this.sigma,
      this.rLow,
      this.rHigh,
      1 / this.beta,
      this.alpha,
      1 / (this.gamma * this.R),
      this.leakAtLow,
      this.beta,
      this.gamma,
      this.R,
      NONLINEARITY_CODE[this.nonlinearity]
    ])
    this.weights = allocate(N * N)
    this.averageRR = allocate(N * N)
    this.inputWeights = allocate(N * inputDim)
    this.averageRS = allocate(N * inputDim)
    this.biases = allocate(N)
    this.decoder = allocate(targetDim * N)
    this.rates = allocate(N)
    this.previousRates = allocate(N)
    this.unclamped = allocate(N)
    this.noise = allocate(N)
    this.noiseState = allocate(5)
    this.input = allocate(inputDim)
    this.previousInput = allocate(inputDim)
    this.recurrent = allocate(N)
    this.inputCurrent = allocate(N)
    this.averageR = allocate(N)
    this.output = allocate(targetDim)
    this.target = allocate(targetDim)
    this.decoded = allocate(targetDim)
    this.probability = allocate(targetDim)
    this.normalizedRates = new Float64Array(N)
    this.normalizedOutput = new Float64Array(targetDim)
    this.taskStep = task.bind(this, settings)
    const fused = this.taskStep.fusedDecoder
    this.fusedLearning = fused !== undefined && !this.decoderFixed
    this.integration = this.kernels.prepareIntegration({
      unclamped: this.unclamped,
      recurrent: this.recurrent,
      inputCurrent: this.inputCurrent,
      biases: this.biases,
      noise: this.noise,
      decoder: this.decoder,
      output: this.output,
      decoded: this.decoded,
      N,
      targetDim,
      constants: integrationConstants
    })
    const learningConstants = allocate(LEARNING_CONSTANTS.length)
    // ρ, 1 − ρ, s_W, λ_W, s_b, λ_b, s_C, λ_C, s_D, the decoder's gain (the order of LEARNING_CONSTANTS).
    learningConstants.set([
      this.rho,
      this.oneMinusRho,
      this.stepWeights,
      this.weightL2,
      this.stepBiases,
      this.biasL2,
      this.stepInputWeights,
      this.inputWeightL2,
      this.stepDecoder,
      fused?.gain ?? 0
    ])
    this.learning = this.kernels.prepareLearning({
      weights: this.weights,
      averageRR: this.averageRR,
      inputWeights: this.inputWeights,
      averageRS: this.averageRS,
      biases: this.biases,
      averageR: this.averageR,
      decoder: this.decoder,
      decoded: this.decoded,
      probability: this.probability,
      target: this.target,
      recurrent: this.recurrent,
      inputCurrent: this.inputCurrent,
      N,
      inputDim,
      targetDim,
      decoderRule: DECODER_RULES[fused?.rule ?? "none"],
      constants: learningConstants
    })
    this.noisyInput = allocate(inputDim)
    this.inputNoise = new Float64Array(inputDim)
    this.noiseSource = noise
    this.rule = rule
    this.setNetwork(network)
  }

  /**
   * Sets the learning steps s_P = ((dt·F)·η_P) for the factor F (A by default; §9.2's F_k when
   * annealed), in the workspace and in the learning kernel's constants.
   */
  setLearningFactor(factor: number): void {
    const dtF = this.dt * factor
    const [etaW, etaB, etaC, etaD] = this.learningRates
    this.stepWeights = dtF * etaW
    this.stepBiases = dtF * etaB
    this.stepInputWeights = dtF * etaC
    this.stepDecoder = dtF * etaD
    // The positions of s_W, s_b, s_C, s_D in LEARNING_CONSTANTS.
    const constants = this.learning.constants
    constants[2] = this.stepWeights
    constants[4] = this.stepBiases
    constants[6] = this.stepInputWeights
    constants[8] = this.stepDecoder
  }

  /** Copies a network into the workspace (learning then updates the copy; see `network()`). */
  setNetwork(network: Network): void {
    checkNetwork(network, this)
    this.weights.set(network.weights)
    this.inputWeights.set(network.inputWeights)
    this.biases.set(network.biases)
    this.decoder.set(network.decoder)
  }

  /**
   * The network the workspace works on, sharing its arrays (views into the kernels' memory: copy
   * them, e.g. with cloneNetwork, before keeping or sending them elsewhere).
   */
  network(): Network {
    return {
      N: this.N,
      inputDim: this.inputDim,
      targetDim: this.targetDim,
      weights: this.weights,
      inputWeights: this.inputWeights,
      biases: this.biases,
      decoder: this.decoder
    }
  }

  /**
   * §4 items 3–5: starts a trial driven by θ_t = angles[t] and the given noise: r = r_0 (not
   * clamped), s_0 = s(θ_0), output and target 0, averages reset, recorded objective =
   * `previousObjective` (the reference's carry-over into obj_record[ii][0]), and the currents
   * W·r_0, C·s_0 of step 1. `drive.trial` is the index k of a training trial (needed when annealed,
   * §9.2), `drive.inputNoise` the source of ν (needed when inputNoiseSigma > 0, §9.3).
   */
  startTrial(
    angles: Float64Array,
    noise: NoiseSource,
    train: boolean,
    previousObjective = 0,
    drive: TrialDrive = {}
  ): void {
    if (train && this.annealed) {
      if (drive.trial === undefined || !Number.isInteger(drive.trial) || drive.trial < 0) {
        throw new Error(`an annealed training trial needs its trial index (0, 1, …), got ${drive.trial}`)
      }
      this.setLearningFactor(learningFactor(this, drive.trial))
    }
    if (this.inputNoiseSigma > 0) {
      if (drive.inputNoise === undefined) {
        throw new Error(`inputNoise = ${this.inputNoiseSigma}: the trial needs a source of input noise ν`)
      }
      this.inputNoiseSource = drive.inputNoise
    }
    this.angles = angles
    this.noiseSource = noise.bind?.(this.kernels, this.noiseState) ?? noise
    this.train = train
    this.rates.set(this.initialRates)
    this.previousRates.set(this.initialRates)
    this.unclamped.set(this.initialRates)
    this.noise.fill(0)
    this.theta = angles[0]!
    // s_0: the stimulus's input, or (feedback, §10.4) 0 before the decoder has read anything.
    if (this.feedback) this.input.fill(0)
    else inputFromAngle(this.theta, this.input, 0, this.projection)
    this.inputSerial += 1
    this.previousInput.set(this.input)
    this.inputStale = false
    this.output.fill(0)
    this.target.fill(0)
    this.targetTheta = Number.NaN
    this.decoded.fill(0)
    this.probability.fill(0)
    this.objective = previousObjective
    this.modulator = Number.NaN
    this.averageRR.fill(0)
    this.averageR.fill(0)
    this.averageRS.fill(0)
    this.objectiveAverage = Number.NaN
    this.taskStep.startTrial?.()
    if (train) this.rule.startTrial?.(this)
    computeCurrents(this)
  }
}

/** recurrent = W·r_t and inputCurrent = C·s_t, the currents of the next step (§4.1(c)). */
export function computeCurrents(ws: Workspace): void {
  ws.kernels.matVec(ws.weights, ws.rates, ws.N, ws.N, ws.recurrent)
  ws.kernels.matVec(ws.inputWeights, ws.input, ws.N, ws.inputDim, ws.inputCurrent)
  ws.currentSerial = ws.inputSerial
}
