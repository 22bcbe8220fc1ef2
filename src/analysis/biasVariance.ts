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
  /** E[y] − E[o] per output dimension: the reference's `stimulus_bias_variance` bias (target minus output). */
  readonly bias: Array<number>
  /** tr Cov(o): the reference's variance (of the output, summed over dimensions as `variance_plot` does). */
  readonly outputVariance: number
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
 *
 * The reference's `stimulus_bias_variance` (`pl_support_functions_cr.py`) returns, per angle, the
 * bias E[y − o] and the variance Var(o) of each output dimension (population variance); its
 * `bias_plot` draws Σ_d bias_d² (our bias2) and `variance_plot` Σ_d Var(o_d) (our outputVariance,
 * which differs from `variance` only through step 0, where y = 0).
 */
export const biasVariance = (recording: Recording, options: GroupingOptions = {}): BiasVariance => {
  const {
    targetDim: D,
    angles,
    counts,
    meanOutput,
    meanTarget,
    errorCovariance,
    outputCovariance,
    mse
  } = outputMoments(recording, options)
  const byAngle = angles.map((angle, g): BiasVarianceAtAngle => {
    let bias2 = 0
    let variance = 0
    let outputVariance = 0
    const bias: Array<number> = []
    for (let d = 0; d < D; d++) {
      const difference = meanTarget[g * D + d]! - meanOutput[g * D + d]!
      bias.push(difference)
      bias2 += difference * difference
      variance += errorCovariance[g * D * D + d * D + d]!
      outputVariance += outputCovariance[g * D * D + d * D + d]!
    }
    return { angle, count: counts[g]!, bias2, variance, mse: mse[g]!, bias, outputVariance }
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
