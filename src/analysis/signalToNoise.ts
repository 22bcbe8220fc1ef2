/**
 * The signal-to-noise ratio of the population by stimulus, inside and outside the decoder's
 * subspace: the reference's `stimulus_dependent_s2n` (`pl_support_functions_cr.py`). For each test
 * angle, with μ and Σ the mean and covariance of the rates at that angle (Σ with the n − 1
 * normalization of `np.cov`) and Q the decoder's axes (the first k rows of V_T of svd(D)),
 *
 *   s2n_decoder = ‖Qμ‖² / tr(QΣQᵀ),   s2n_orthogonal = ‖Q⊥μ‖² / tr(Q⊥ΣQ⊥ᵀ),
 *
 * Q⊥ the rest of V_T. Both are invariant to the choice of basis within each subspace, so they are
 * computed from the projector QᵀQ: ‖Q⊥μ‖² = ‖μ‖² − ‖Qμ‖², tr(Q⊥ΣQ⊥ᵀ) = tr Σ − tr(QΣQᵀ).
 *
 * Deviation: the reference takes k = 2 rows whatever the task; for the classifier (D is 1 × N)
 * its second row is an arbitrary direction orthogonal to D chosen by LAPACK. We take k = rank D
 * (2 for estimation, where the two agree; 1 for classification). Every sample counts (the
 * reference drops no transient here).
 */
import type { GroupingOptions } from "./angleGroups.js"
import { decoderAxes } from "./decoderAxes.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

export interface SignalToNoise {
  readonly angles: Array<number>
  /** k: the dimension of the decoder subspace. */
  readonly decoderDimension: number
  /** s2n in the decoder subspace per angle (null where the projected variance is 0). */
  readonly decoder: Array<number | null>
  /** s2n in its orthogonal complement per angle. */
  readonly orthogonal: Array<number | null>
}

export const stimulusDependentS2n = (recording: Recording, options: GroupingOptions = {}): SignalToNoise => {
  const { N, angles, counts, means, covariances } = rateMoments(recording, options)
  const { axes } = decoderAxes(recording.decoder, recording.targetDim, N)
  const decoder: Array<number | null> = []
  const orthogonal: Array<number | null> = []
  angles.forEach((_, g) => {
    const n = counts[g]!
    const unbiased = n > 1 ? n / (n - 1) : Number.NaN
    const mu = means.subarray(g * N, (g + 1) * N)
    const sigma = covariances.subarray(g * N * N, (g + 1) * N * N)
    let muSquare = 0
    let trace = 0
    for (let i = 0; i < N; i++) {
      muSquare += mu[i]! * mu[i]!
      trace += sigma[i * N + i]!
    }
    let muInside = 0
    let traceInside = 0
    for (const q of axes) {
      let projection = 0
      let quadratic = 0
      for (let i = 0; i < N; i++) {
        projection += q[i]! * mu[i]!
        let row = 0
        for (let j = 0; j < N; j++) row += sigma[i * N + j]! * q[j]!
        quadratic += q[i]! * row
      }
      muInside += projection * projection
      traceInside += quadratic
    }
    const ratio = (signal: number, variance: number) =>
      variance * unbiased > 0 ? signal / (variance * unbiased) : null
    decoder.push(ratio(muInside, traceInside))
    orthogonal.push(ratio(Math.max(0, muSquare - muInside), Math.max(0, trace - traceInside)))
  })
  return { angles, decoderDimension: axes.length, decoder, orthogonal }
}
