/**
 * The stimulus-conditioned variance along the population's principal components: the reference's
 * `stimulus_variance_pca` (`pl_support_functions_cr.py`). For each of the first C principal axes
 * w_c of the population activity (C = 10 in the reference, at most N) and each test angle,
 *
 *   variance[c][θ] = Var(w_cᵀ r | θ)   (population variance, as `np.var`),
 *   decodedVariance[c][θ] = Σ_o (D w_c)_o² · variance[c][θ]
 *
 * — how much of the noise along each component reaches the output. The reference takes the
 * components from a separate PCA call on a test recording (`network.pcas`); here they are the
 * recording's own (`pca`: the eigenvectors of the covariance of all its samples), and the decoded
 * variance is summed over the output dimensions (the reference keeps them apart, for exactly 2
 * outputs). Every sample counts.
 */
import type { GroupingOptions } from "./angleGroups.js"
import { pca } from "./pca.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

export interface StimulusVariancePcaOptions extends GroupingOptions {
  /** Components (default 10, at most N). */
  readonly components?: number
}

export interface StimulusVariancePca {
  readonly angles: Array<number>
  /** components × angles. */
  readonly variance: Array<Array<number>>
  /** components × angles. */
  readonly decodedVariance: Array<Array<number>>
  /** components: ‖D w_c‖², the gain from each component to the output. */
  readonly decoderGain: Array<number>
}

export const stimulusVariancePca = (
  recording: Recording,
  options: StimulusVariancePcaOptions = {}
): StimulusVariancePca => {
  const { N, angles, covariances } = rateMoments(recording, options)
  const C = Math.min(N, options.components ?? 10)
  const { loadings } = pca(recording, { ...options, components: C, trajectoryStride: recording.samples })
  const { decoder, targetDim } = recording
  const decoderGain = loadings.map((w) => {
    let gain = 0
    for (let o = 0; o < targetDim; o++) {
      let dw = 0
      for (let i = 0; i < N; i++) dw += decoder[o * N + i]! * w[i]!
      gain += dw * dw
    }
    return gain
  })
  const variance = loadings.map((w) =>
    angles.map((_, g) => {
      const sigma = covariances.subarray(g * N * N, (g + 1) * N * N)
      let sum = 0
      for (let i = 0; i < N; i++) {
        let row = 0
        for (let j = 0; j < N; j++) row += sigma[i * N + j]! * w[j]!
        sum += w[i]! * row
      }
      return Math.max(0, sum)
    })
  )
  return {
    angles,
    variance,
    decodedVariance: variance.map((row, c) => row.map((v) => v * decoderGain[c]!)),
    decoderGain
  }
}
