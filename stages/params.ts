/**
 * Stage params built from the model parameters. Each stage's key must cover what the stage reads
 * and nothing else (DESIGN §4): the training stimuli do not depend on the rate noise σ, a test does
 * not read the learning rates, and a test-side change (more test trials, another presentation
 * length) must not retrain. So the model parameters (src/model/params.ts) are split into the
 * groups the stages read:
 *
 * - {@link Stimulus}: the Langevin sampler of the training angles (README §3.2);
 * - {@link Dynamics}: the rate dynamics, output and objective of a trial (§4.1(a)–(g), §4.2),
 *   read by both `train` and `test`: the task's id and its own constants (`settings`) included;
 * - {@link Learning}: the averages and learning rules (§4.1(h)–(i), §4.3), read by `train` only.
 *
 * The network's sizes are the dynamics' too (a stage checks that the network it is given has them,
 * and sizes its recordings and estimates by them); trial counts and the test presentation length
 * are the stages' own params. {@link modelOf} reassembles the full parameter set the model's
 * functions take.
 */
import * as Schema from "effect/Schema"
import { defaultModelParams, modelParamsFields as f, type ModelParams } from "../src/model/params.js"
import type { AnyTask } from "../src/model/task.js"

export { Finite, NonNegativeInt, Positive, PositiveInt } from "../src/model/params.js"

/** §3.2 the training stimulus: the Langevin chain's prior, noise, step and length. */
export const Stimulus = Schema.Struct({
  dt: f.dt,
  trialSeconds: f.trialSeconds,
  muIn: f.muIn,
  kappaIn: f.kappaIn,
  sigmaSampler: f.sigmaSampler
})
export type Stimulus = typeof Stimulus.Type

/** §4.1(a)–(g), §4.2: what a trial's dynamics, output, target and recorded objective read. */
export const Dynamics = Schema.Struct({
  task: f.task,
  settings: f.settings,
  N: f.N,
  inputDim: f.inputDim,
  targetDim: f.targetDim,
  dt: f.dt,
  trialSeconds: f.trialSeconds,
  sigma: f.sigma,
  R: f.R,
  alpha: f.alpha,
  beta: f.beta,
  gamma: f.gamma,
  rLow: f.rLow,
  rHigh: f.rHigh,
  r0: f.r0,
  recordEvery: f.recordEvery,
  /** The reference's switches that act on every trial (README §9.3, 9.4, 9.6). */
  inputNoise: f.inputNoise,
  normalizeOutput: f.normalizeOutput,
  nonlinearity: f.nonlinearity
})
export type Dynamics = typeof Dynamics.Type

/** §4.1(h)–(i), §4.3: the running averages and the learning rules. */
export const Learning = Schema.Struct({
  rho: f.rho,
  thetaObj: f.thetaObj,
  transientSeconds: f.transientSeconds,
  learningRate: f.learningRate,
  learningRateBias: f.learningRateBias,
  learningRateInput: f.learningRateInput,
  learningRateDecoder: f.learningRateDecoder,
  weightL2: f.weightL2,
  biasL2: f.biasL2,
  inputWeightL2: f.inputWeightL2,
  annealConst: f.annealConst,
  /** The reference's switches that act on learning only (README §9.2, 9.5). */
  annealed: f.annealed,
  decoderFixed: f.decoderFixed
})
export type Learning = typeof Learning.Type

/** The network's initial draw (§6.1): its sizes and the initial bias. */
export const Initial = Schema.Struct({
  N: f.N,
  inputDim: f.inputDim,
  targetDim: f.targetDim,
  initialBias: f.initialBias
})
export type Initial = typeof Initial.Type

const pick = <K extends keyof ModelParams>(model: ModelParams, keys: ReadonlyArray<K>): Pick<ModelParams, K> =>
  Object.fromEntries(keys.map((k) => [k, model[k]])) as Pick<ModelParams, K>

/** The groups of a full parameter set, as a pipeline hands them to its stages. */
export const split = (model: ModelParams) => ({
  stimulus: pick(model, Object.keys(Stimulus.fields) as Array<keyof Stimulus>),
  dynamics: pick(model, Object.keys(Dynamics.fields) as Array<keyof Dynamics>),
  learning: pick(model, Object.keys(Learning.fields) as Array<keyof Learning>),
  initial: pick(model, Object.keys(Initial.fields) as Array<keyof Initial>)
})

/**
 * The full parameter set the model's functions take: the groups a stage was given, over the
 * task's reference values for what it does not read (a test trial never learns, so its learning
 * constants are never used). Trial counts are the stages' business: 0.
 */
export const modelOf = (task: AnyTask, dynamics: Dynamics, learning?: Learning, stimulus?: Stimulus): ModelParams => ({
  ...defaultModelParams(task),
  ...stimulus,
  ...learning,
  ...dynamics,
  trainTrials: 0,
  testTrials: 0,
  switchSeconds: dynamics.trialSeconds
})

/** Why a network does not fit the dynamics a stage was given (its sizes), or undefined when it does. */
export const checkSizes = (
  stage: string,
  network: { readonly N: number; readonly inputDim: number; readonly targetDim: number },
  dynamics: Dynamics
): string | undefined =>
  network.N !== dynamics.N || network.inputDim !== dynamics.inputDim || network.targetDim !== dynamics.targetDim
    ? `${stage}: the network is ${network.N} neurons × ${network.inputDim} inputs → ${network.targetDim} outputs; the run's dynamics are for ${dynamics.N} × ${dynamics.inputDim} → ${dynamics.targetDim}`
    : undefined

const MB = 2 ** 20

/** Bytes of `trials` recorded trials of `channels` float32 channels (every recordEvery-th step). */
export const recordingBytes = (dynamics: Dynamics, trials: number, channels: number) =>
  trials * channels * Math.ceil(Math.trunc(dynamics.trialSeconds / dynamics.dt) / dynamics.recordEvery) * 4

/** A stage's working set beyond its arrays: the runtime, and the network as JSON and typed arrays. */
export const baseMemory = (dynamics: Dynamics) =>
  64 * MB + 40 * (dynamics.N * (dynamics.N + dynamics.inputDim + 2) + 16)
