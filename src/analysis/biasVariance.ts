import type { GroupingOptions } from "./angleGroups.js"
import { outputMoments } from "./outputMoments.js"
import type { Recording } from "./recording.js"

export interface BiasVarianceAtAngle {
  readonly angle: number
  readonly count: number
  /** ‖E[o] − E[y]‖². */
  readonly bias2: number
  /** tr Cov(o − y): tr Cov(o) where the target is constant at that angle. */
  readonly variance: number
  /** Mean of ‖o − y‖² (= bias2 + variance up to round-off). */
  readonly mse: number
}

export interface BiasVariance {
  /** Count-weighted over angles: overall.mse is the test MSE of the samples included. */
  readonly overall: { bias2: number; variance: number; mse: number } | null
  readonly byAngle: Array<BiasVarianceAtAngle>
}

/**
 * Bias–variance decomposition of the error per test angle: mean ‖o − y‖² = ‖E[o − y]‖² + tr Cov(o − y).
 * The decomposition is of the error e = o − y so that it is exact even though the target is 0 at
 * step 0 (quirk 3); elsewhere the target is constant per angle and the variance is tr Cov(o).
 * Works for any output dimension (for the classifier it decomposes the Brier score).
 */
export const biasVariance = (recording: Recording, options: GroupingOptions = {}): BiasVariance => {
  const {
    targetDim: D,
    angles,
    counts,
    meanOutput,
    meanTarget,
    errorCovariance,
    mse
  } = outputMoments(recording, options)
  const byAngle = angles.map((angle, g): BiasVarianceAtAngle => {
    let bias2 = 0
    let variance = 0
    for (let d = 0; d < D; d++) {
      const bias = meanOutput[g * D + d]! - meanTarget[g * D + d]!
      bias2 += bias * bias
      variance += errorCovariance[g * D * D + d * D + d]!
    }
    return { angle, count: counts[g]!, bias2, variance, mse: mse[g]! }
  })
  const total = counts.reduce((a, b) => a + b, 0)
  const weighted = (pick: (entry: BiasVarianceAtAngle) => number) =>
    byAngle.reduce((acc, entry) => acc + entry.count * pick(entry), 0) / total
  return {
    overall:
      total > 0
        ? { bias2: weighted((e) => e.bias2), variance: weighted((e) => e.variance), mse: weighted((e) => e.mse) }
        : null,
    byAngle
  }
}
