/**
 * Where each neuron's drive comes from (README §4.1(c): drdt = −g(r)/R + W·r + C·s + b), by
 * stimulus angle: the reference's `mean_current_breakdown` and `recurrent_bias`
 * (`pl_support_functions_cr.py`) and the ratio its `current_ratio_plot` draws.
 *
 * With r̄(θ) the mean rate at a test angle and s(θ) its (constant) input, the mean recurrent current
 * is W·r̄(θ) (the mean of W·r over the samples, by linearity), the input current C·s(θ), and the bias
 * "current" |b| (the reference takes the absolute value of the biases). Every sample counts.
 */
import type { GroupingOptions } from "./angleGroups.js"
import { checkNetwork, matVec, type NetworkWeights, stimulusInput } from "./networkWeights.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

export interface CurrentBreakdown {
  readonly angles: Array<number>
  /** N × angles: mean recurrent current (W·r̄)_i at each angle (`r_current`). */
  readonly recurrent: Array<Array<number>>
  /** N × angles: input current (C·s(θ))_i (`i_current`). */
  readonly input: Array<Array<number>>
  /** N × angles: |b_i| (`bias_current`). */
  readonly bias: Array<Array<number>>
  /** Per angle, the sums over neurons that `current_plot` draws. */
  readonly totals: { recurrent: Array<number>; input: Array<number>; bias: Array<number> }
  /** mean |recurrent| / mean |input| over neurons and angles (`current_ratio_plot`); null if no input. */
  readonly recurrentToInput: number | null
}

export const meanCurrentBreakdown = (
  recording: Recording,
  network: NetworkWeights,
  options: GroupingOptions = {}
): CurrentBreakdown => {
  checkNetwork(network, recording)
  const { N, angles, means } = rateMoments(recording, options)
  const G = angles.length
  const recurrentByAngle = angles.map((_, g) => matVec(network.weights, means.subarray(g * N, (g + 1) * N), N, N))
  const inputByAngle = angles.map((theta) =>
    matVec(network.inputWeights, stimulusInput(theta, network.inputDim), N, network.inputDim)
  )
  const neuronMajor = (byAngle: ReadonlyArray<Float64Array>) =>
    Array.from({ length: N }, (_, i) => Array.from({ length: G }, (_, g) => byAngle[g]![i]!))
  const recurrent = neuronMajor(recurrentByAngle)
  const input = neuronMajor(inputByAngle)
  const bias = Array.from({ length: N }, (_, i) => new Array<number>(G).fill(Math.abs(network.biases[i]!)))
  const columnSum = (m: ReadonlyArray<ReadonlyArray<number>>) =>
    Array.from({ length: G }, (_, g) => m.reduce((acc, row) => acc + row[g]!, 0))
  const meanAbs = (m: ReadonlyArray<ReadonlyArray<number>>) =>
    m.reduce((acc, row) => acc + row.reduce((a, v) => a + Math.abs(v), 0), 0) / Math.max(1, N * G)
  const inputSize = meanAbs(input)
  return {
    angles,
    recurrent,
    input,
    bias,
    totals: { recurrent: columnSum(recurrent), input: columnSum(input), bias: columnSum(bias) },
    recurrentToInput: inputSize > 0 ? meanAbs(recurrent) / inputSize : null
  }
}

export interface RecurrentBiasAtAngle {
  readonly angle: number
  /** D·W·r̄: the mean recurrent current as the decoder reads it (`decoded_bias_recurrent`). */
  readonly decodedRecurrent: Array<number>
  /** D·C·s(θ): the input current as the decoder reads it (`decoded_bias_input`). */
  readonly decodedInput: Array<number>
  /** D·r̄: the mean readout (`avg_output`; for the classifier, before the logistic). */
  readonly meanReadout: Array<number>
  /** tr Cov(D·r), n − 1 normalization (`var_output`). */
  readonly readoutVariance: number | null
  /**
   * For a 2-D readout: the decoded recurrent current along the tangent (−sin θ, cos θ) at the target,
   * positive counterclockwise (towards larger θ), and along the radius (cos θ, sin θ).
   */
  readonly tangential?: number
  readonly radial?: number
}

/**
 * The reference's `recurrent_bias`: how the recurrent current shifts the decoded estimate at each
 * test angle, next to the decoded input current and the readout's mean and variance.
 */
export const recurrentBias = (
  recording: Recording,
  network: NetworkWeights,
  options: GroupingOptions = {}
): Array<RecurrentBiasAtAngle> => {
  checkNetwork(network, recording)
  const { N, angles, counts, means, covariances } = rateMoments(recording, options)
  const { decoder, targetDim: K } = recording
  return angles.map((angle, g): RecurrentBiasAtAngle => {
    const mean = means.subarray(g * N, (g + 1) * N)
    const recurrent = matVec(network.weights, mean, N, N)
    const input = matVec(network.inputWeights, stimulusInput(angle, network.inputDim), N, network.inputDim)
    const decodedRecurrent = Array.from(matVec(decoder, recurrent, K, N))
    const decodedInput = Array.from(matVec(decoder, input, K, N))
    const meanReadout = Array.from(matVec(decoder, mean, K, N))
    const sigma = covariances.subarray(g * N * N, (g + 1) * N * N)
    let variance = 0
    for (let o = 0; o < K; o++) {
      for (let i = 0; i < N; i++) {
        let row = 0
        for (let j = 0; j < N; j++) row += sigma[i * N + j]! * decoder[o * N + j]!
        variance += decoder[o * N + i]! * row
      }
    }
    const n = counts[g]!
    const base = {
      angle,
      decodedRecurrent,
      decodedInput,
      meanReadout,
      readoutVariance: n > 1 ? (variance * n) / (n - 1) : null
    }
    if (K !== 2) return base
    const [x, y] = decodedRecurrent as [number, number]
    return {
      ...base,
      tangential: -Math.sin(angle) * x + Math.cos(angle) * y,
      radial: Math.cos(angle) * x + Math.sin(angle) * y
    }
  })
}
