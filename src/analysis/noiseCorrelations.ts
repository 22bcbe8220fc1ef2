import type { GroupingOptions } from "./angleGroups.js"
import { correlationMatrix } from "./correlationMatrix.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

export interface NoiseCorrelations {
  readonly N: number
  readonly angles: Array<number>
  /** One N × N correlation matrix per angle, of the rates around their mean at that angle. */
  readonly byAngle: Array<Array<Array<number | null>>>
  /** N × N: the mean over angles of the per-angle correlations (null where no angle defines it). */
  readonly average: Array<Array<number | null>>
  /** Mean of the off-diagonal entries of `average` (null if none is defined). */
  readonly meanOffDiagonal: number | null
}

/**
 * Noise correlations: for each test angle, the correlation matrix of the rates around their
 * stimulus-conditioned mean; and their average over angles (each angle weighted equally).
 * Undefined entries (a neuron with zero variance at that angle) are null. N × N × angles numbers:
 * store as an artifact, not in the summary.
 */
export const noiseCorrelations = (recording: Recording, options: GroupingOptions = {}): NoiseCorrelations => {
  const { N, angles, covariances } = rateMoments(recording, options)
  const byAngle = angles.map((_, g) => correlationMatrix(covariances.subarray(g * N * N, (g + 1) * N * N), N))
  const average = Array.from({ length: N }, (_, i) =>
    Array.from({ length: N }, (_, j) => {
      let sum = 0
      let count = 0
      for (const matrix of byAngle) {
        const value = matrix[i]![j]!
        if (value !== null) {
          sum += value
          count++
        }
      }
      return count > 0 ? sum / count : null
    })
  )
  let sum = 0
  let count = 0
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const value = average[i]![j]!
      if (i !== j && value !== null) {
        sum += value
        count++
      }
    }
  }
  return { N, angles, byAngle, average, meanOffDiagonal: count > 0 ? sum / count : null }
}
