/**
 * The model's kernels in plain TypeScript: the definition of what they compute, written for
 * clarity. The WebAssembly versions (simd.as.ts) must give the same bits for matVec, learnMatrix
 * and learnThreeFactor, and agree to round-off for integrate (test/model/kernels.test.ts). Each
 * row's sum runs j = 0 … cols−1 in order.
 */

/** out = M·x for a rows×cols row-major M: the currents W·r and C·s of §4.1(c). */
export function matVec(M: Float64Array, x: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const row = i * cols
    let acc = 0
    for (let j = 0; j < cols; j++) acc += M[row + j]! * x[j]!
    out[i] = acc
  }
}

/**
 * One matrix of §4.1(h)–(i) fused with the next step's current, for P = W (pre = r) or P = C
 * (pre = s), post = r:
 *   δ = post_i·pre_j − Ā_ij;  Ā_ij ← Ā_ij + ρ·δ;  P_ij ← decay·P_ij + gain·δ;  current_i = Σ_j P_ij·pre_j.
 * This is the reference's Ā ← (1−ρ)·Ā + ρ·X, ΔP = E·(X − Ā) − λ·P, P ← P + s·ΔP rearranged
 * (X − Ā_new = (1−ρ)·δ, so gain = s·E·(1−ρ) and decay = 1 − s·λ): equal up to round-off, with 9
 * instead of 12 flops per entry, and each entry of P and Ā read and written once.
 */
export function learnMatrix(
  P: Float64Array,
  average: Float64Array,
  post: Float64Array,
  pre: Float64Array,
  rows: number,
  cols: number,
  rho: number,
  decay: number,
  gain: number,
  current: Float64Array
): void {
  for (let i = 0; i < rows; i++) {
    const q = post[i]!
    const row = i * cols
    let c = 0
    for (let j = 0; j < cols; j++) {
      const pj = pre[j]!
      const k = row + j
      const a = average[k]!
      const d = q * pj - a
      average[k] = a + rho * d
      const p = decay * P[k]! + gain * d
      P[k] = p
      c += p * pj
    }
    current[i] = c
  }
}

/** What {@link integrate} reads and writes besides r_{t−1} and r_t (see there). */
export interface IntegrationArrays {
  readonly unclamped: Float64Array
  readonly recurrent: Float64Array
  readonly inputCurrent: Float64Array
  readonly biases: Float64Array
  readonly noise: Float64Array
  readonly decoder: Float64Array
  readonly output: Float64Array
  readonly decoded: Float64Array
  readonly N: number
  readonly targetDim: number
  /** The values named by INTEGRATION_CONSTANTS, in that order. */
  readonly constants: Float64Array
}

/** The order of the values in the `constants` array of {@link integrate}. */
export const INTEGRATION_CONSTANTS = [
  "dt",
  "sigma",
  "rLow",
  "rHigh",
  "invBeta",
  "alpha",
  "invGammaR",
  "leakAtLow",
  "beta",
  "gamma",
  "R",
  "nonlinearity"
] as const

/** Above this x = r/β, log(exp(x) − 1) equals x to round-off (|log(1 − e^−x)| < 5e-18). */
const LINEAR_ABOVE = 40
/** Below this, exp(x) is finite; above it, check for the overflow of quirk 14. */
const OVERFLOW_NEAR = 709

/**
 * §4.1(b)–(d), (g) for every neuron, from r_p = previous (the clamped rate of step t−1):
 *   nl = (−1·g(r_p))/R with g(r) = (log(exp(r/β) − 1) − α)/γ, computed as (α − log(·))·(1/(γR))
 *   (nl = leakAtLow when r_p = r_low, about 1 neuron in 13 in the estimation network); with the
 *   constant `nonlinearity` = 1 (sigmoid, §9.6) g(r) = ((−1)/γ)·log((1/(β·r)) − α), with 2 (linear)
 *   g(r) = (r − α)/γ, both then nl = (−1·g)/R in the reference's order;
 *   r^u = (r_p + ((nl + W·r_p) + C·s_{t−1} + b)·dt) + σ·ξ;  r_t = clamp(r^u): ≤ r_low → r_low, then ≥ r_high → r_high;
 * then output[o] = Σ_i D_oi·r^u_i (for (d), (f)) and decoded[o] = Σ_i D_oi·r_t,i (for the rules' E),
 * each summed i = 0 … N−1 in order. r/β is computed as r·(1/β). Quirk 14: exp overflows for
 * r/β > ≈709.78, giving g = +∞, nl = −∞ and a clamp to r_low; reproduced.
 */
export function integrate(previous: Float64Array, next: Float64Array, arrays: IntegrationArrays): void {
  const { unclamped, recurrent, inputCurrent, biases, noise, decoder, output, decoded, N, targetDim, constants } =
    arrays
  const dt = constants[0]!
  const sigma = constants[1]!
  const rLow = constants[2]!
  const rHigh = constants[3]!
  const invBeta = constants[4]!
  const alpha = constants[5]!
  const invGammaR = constants[6]!
  const leakAtLow = constants[7]!
  const beta = constants[8]!
  const gamma = constants[9]!
  const R = constants[10]!
  const nonlinearity = constants[11]!
  for (let i = 0; i < N; i++) {
    const rp = previous[i]!
    let nl: number
    if (rp === rLow) nl = leakAtLow
    else if (nonlinearity === 0) {
      const x = rp * invBeta
      let logTerm: number
      if (x <= LINEAR_ABOVE) logTerm = Math.log(Math.exp(x) - 1)
      else if (x <= OVERFLOW_NEAR) logTerm = x
      else logTerm = Math.exp(x) === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : x
      nl = (alpha - logTerm) * invGammaR
    }
    // §9.6 the sigmoid and linear pairs, in the reference's order.
    else if (nonlinearity === 1) nl = (-1 * ((-1 / gamma) * Math.log(1 / (beta * rp) - alpha))) / R
    else nl = (-1 * ((rp - alpha) / gamma)) / R
    const drdt = nl + recurrent[i]! + inputCurrent[i]! + biases[i]!
    const ru = rp + drdt * dt + sigma * noise[i]!
    let rc = ru
    if (rc <= rLow) rc = rLow
    if (rc >= rHigh) rc = rHigh
    unclamped[i] = ru
    next[i] = rc
  }
  for (let o = 0; o < targetDim; o++) {
    const row = o * N
    let accU = 0
    let accC = 0
    for (let i = 0; i < N; i++) {
      const d = decoder[row + i]!
      accU += d * unclamped[i]!
      accC += d * next[i]!
    }
    output[o] = accU
    decoded[o] = accC
  }
}

/** What {@link learnThreeFactor} reads and updates besides r and s. */
export interface LearningArrays {
  readonly weights: Float64Array
  readonly averageRR: Float64Array
  readonly inputWeights: Float64Array
  readonly averageRS: Float64Array
  readonly biases: Float64Array
  readonly averageR: Float64Array
  readonly decoder: Float64Array
  /** D·r of the clamped rate, and (classifier) its logistic p, unclipped: from step.ts `clampedObjective`. */
  readonly decoded: Float64Array
  readonly probability: Float64Array
  readonly target: Float64Array
  /** W·r and C·s for the next step (written). */
  readonly recurrent: Float64Array
  readonly inputCurrent: Float64Array
  readonly N: number
  readonly inputDim: number
  readonly targetDim: number
  /** The decoder rule the step ends with: {@link DECODER_RULES} (delta, logistic, or none). */
  readonly decoderRule: DecoderRuleCode
  /** The values named by LEARNING_CONSTANTS, in that order. */
  readonly constants: Float64Array
}

/**
 * The decoder rules of {@link learnThreeFactor}, by code: 0 the delta rule of §4.3 (estimation),
 * 1 the logistic rule (classification), 2 none (a task whose decoder is not learned).
 */
export const DECODER_RULES = { delta: 0, logistic: 1, none: 2 } as const
export type DecoderRuleCode = (typeof DECODER_RULES)[keyof typeof DECODER_RULES]

/** The order of the values in the `constants` array of {@link learnThreeFactor} (s_P = (dt·A)·η_P). */
export const LEARNING_CONSTANTS = [
  "rho",
  "oneMinusRho",
  "stepWeights",
  "weightL2",
  "stepBiases",
  "biasL2",
  "stepInputWeights",
  "inputWeightL2",
  "stepDecoder",
  "decoderGain"
] as const

/**
 * §4.1(h)–(i) for the biases: with d = r − Ā_r (the pre-update average), Ā_r ← Ā_r + ρ·d and
 * b ← decay·b + gain·d, decay = 1 − s_b·λ_b, gain = s_b·E·(1 − ρ) (the rearranged form of
 * {@link learnMatrix}, for a vector).
 */
export function learnBiases(
  biases: Float64Array,
  averageR: Float64Array,
  rates: Float64Array,
  N: number,
  rho: number,
  decay: number,
  gain: number
): void {
  for (let i = 0; i < N; i++) {
    const a = averageR[i]!
    const d = rates[i]! - a
    averageR[i] = a + rho * d
    biases[i] = decay * biases[i]! + gain * d
  }
}

/**
 * The three-factor rule's learning step for the modulator E (rules/threeFactor.ts), §4.1(h)–(i):
 * ΔW = E·(r rᵀ − Ā_rr) − λ_W·W with Ā_rr's update and the next W·r ({@link learnMatrix}); then b
 * and Ā_r; then C and Ā_rs with the next C·s; then §4.3's decoder rule (step.ts `decoderRule`),
 * D ← D + s_D·ΔD with λ_W as its L2 (quirk 5): estimation ΔD = (−1·(D r − y)) rᵀ − λ_W·D,
 * classifier ΔD = ((y − p)·r)·gain − λ_W·D, or none (`decoderRule`).
 */
export function learnThreeFactor(rates: Float64Array, input: Float64Array, E: number, arrays: LearningArrays): void {
  const { weights, averageRR, inputWeights, averageRS, biases, averageR, decoder, decoded, probability, target } =
    arrays
  const { recurrent, inputCurrent, N, inputDim, targetDim, decoderRule, constants } = arrays
  const rho = constants[0]!
  const oneMinusRho = constants[1]!
  const sW = constants[2]!
  const weightL2 = constants[3]!
  const sB = constants[4]!
  const biasL2 = constants[5]!
  const sC = constants[6]!
  const inputWeightL2 = constants[7]!
  const sD = constants[8]!
  const decoderGain = constants[9]!
  learnMatrix(weights, averageRR, rates, rates, N, N, rho, 1 - sW * weightL2, sW * E * oneMinusRho, recurrent)
  learnBiases(biases, averageR, rates, N, rho, 1 - sB * biasL2, sB * E * oneMinusRho)
  const decayC = 1 - sC * inputWeightL2
  learnMatrix(inputWeights, averageRS, rates, input, N, inputDim, rho, decayC, sC * E * oneMinusRho, inputCurrent)
  if (decoderRule === DECODER_RULES.none) return
  const logistic = decoderRule === DECODER_RULES.logistic
  decoderStep(decoder, rates, decoded, probability, target, N, targetDim, logistic, sD, weightL2, decoderGain)
}

/**
 * §4.3 the decoder rule, D ← D + s_D·ΔD with λ_W as its L2 (quirk 5): the delta rule
 * ΔD = (−1·(D r − y)) rᵀ − λ_W·D (estimation), or with `logistic` ΔD = ((y − p)·r)·gain − λ_W·D,
 * p unclipped (classification); from decoded = D·r and probability = logistic(gain·D·r) of the
 * step (the task's `modulator`).
 */
export function decoderStep(
  decoder: Float64Array,
  rates: Float64Array,
  decoded: Float64Array,
  probability: Float64Array,
  target: Float64Array,
  N: number,
  targetDim: number,
  logistic: boolean,
  stepDecoder: number,
  weightL2: number,
  gain: number
): void {
  for (let o = 0; o < targetDim; o++) {
    const row = o * N
    if (logistic) {
      const error = target[o]! - probability[o]!
      for (let i = 0; i < N; i++) {
        const d = decoder[row + i]!
        decoder[row + i] = d + stepDecoder * (error * rates[i]! * gain - weightL2 * d)
      }
    } else {
      const error = -1 * (decoded[o]! - target[o]!)
      for (let i = 0; i < N; i++) {
        const d = decoder[row + i]!
        decoder[row + i] = d + stepDecoder * (error * rates[i]! - weightL2 * d)
      }
    }
  }
}
