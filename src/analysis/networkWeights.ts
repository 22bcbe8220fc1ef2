import type { Recording } from "./recording.js"
import { testAngles } from "./testAngles.js"

/**
 * The weights of the tested network that the current and energy analyses read (README §4.1(c):
 * drdt = −g(r)/R + W·r + C·s + b). Flat row-major, as `Network` in src/model.
 */
export interface NetworkWeights {
  readonly N: number
  readonly inputDim: number
  /** N × N: weights[i·N + j] is the weight from neuron j onto neuron i (W). */
  readonly weights: ArrayLike<number>
  /** N × inputDim: inputWeights[i·inputDim + k] is the weight from input channel k onto neuron i (C). */
  readonly inputWeights: ArrayLike<number>
  /** N: the biases b. */
  readonly biases: ArrayLike<number>
}

/** Throws unless the network's arrays have the lengths its sizes imply and N matches the recording. */
export const checkNetwork = (network: NetworkWeights, recording: Recording): void => {
  const { N, inputDim } = network
  if (N !== recording.N) throw new Error(`network.N is ${N}, the recording has N = ${recording.N}`)
  const expected: ReadonlyArray<readonly [keyof NetworkWeights, number, string]> = [
    ["weights", N * N, "N × N"],
    ["inputWeights", N * inputDim, "N × inputDim"],
    ["biases", N, "N"]
  ]
  for (const [field, length, shape] of expected) {
    const actual = (network[field] as ArrayLike<number>).length
    if (actual !== length) throw new Error(`network.${field} has ${actual} values, expected ${length} (${shape})`)
  }
}

/**
 * The input a test stimulus evokes (README §3.1): s(θ)_k = max(0, cos a_k·cos θ + sin a_k·sin θ),
 * a_k the inputDim preferred angles arange(−π, π, 2π/inputDim). In test mode the recorded input is
 * s(θ_t) at every sample, step 0 included, so this is the reference's `i_record` of a test trial.
 */
export const stimulusInput = (theta: number, inputDim: number): Float64Array => {
  const c = Math.cos(theta)
  const s = Math.sin(theta)
  return Float64Array.from(testAngles(inputDim), (a) => Math.max(0, Math.cos(a) * c + Math.sin(a) * s))
}

/** y = M·x for an m × n row-major M. */
export const matVec = (M: ArrayLike<number>, x: ArrayLike<number>, m: number, n: number): Float64Array => {
  const y = new Float64Array(m)
  for (let i = 0; i < m; i++) {
    let sum = 0
    for (let j = 0; j < n; j++) sum += M[i * n + j]! * x[j]!
    y[i] = sum
  }
  return y
}
