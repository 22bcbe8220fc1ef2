import type { GroupingOptions } from "./angleGroups.js"
import { correlationMatrix } from "./correlationMatrix.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

export interface SignalCorrelations {
  readonly N: number
  /** N × N: correlation across test angles of the neurons' tuning curves (null for a flat curve). */
  readonly matrix: Array<Array<number | null>>
}

/**
 * Signal correlations: the Pearson correlation, across the test angles (each weighted equally), of
 * two neurons' mean rates (their tuning curves).
 */
export const signalCorrelations = (recording: Recording, options: GroupingOptions = {}): SignalCorrelations => {
  const { N, angles, means } = rateMoments(recording, options)
  const G = angles.length
  const center = new Float64Array(N)
  for (let g = 0; g < G; g++) for (let i = 0; i < N; i++) center[i]! += means[g * N + i]! / G
  const covariance = new Float64Array(N * N)
  for (let g = 0; g < G; g++) {
    for (let i = 0; i < N; i++) {
      const di = means[g * N + i]! - center[i]!
      for (let j = 0; j < N; j++) covariance[i * N + j]! += (di * (means[g * N + j]! - center[j]!)) / G
    }
  }
  return { N, matrix: correlationMatrix(covariance, N) }
}
