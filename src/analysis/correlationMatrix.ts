/**
 * Correlation matrix of an n × n covariance given flat row-major, as nested arrays:
 * ρ_ij = C_ij / √(C_ii C_jj). Entries involving a neuron of zero variance are undefined and are
 * `null` (so a constant neuron has a null row and column, its diagonal included).
 */
export const correlationMatrix = (covariance: ArrayLike<number>, n: number): Array<Array<number | null>> => {
  const scale = Array.from({ length: n }, (_, i) => {
    const variance = covariance[i * n + i]!
    return variance > 0 ? 1 / Math.sqrt(variance) : 0
  })
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      if (scale[i] === 0 || scale[j] === 0) return null
      if (i === j) return 1
      return Math.max(-1, Math.min(1, covariance[i * n + j]! * scale[i]! * scale[j]!))
    })
  )
}
