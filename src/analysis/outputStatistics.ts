import type { GroupingOptions } from "./angleGroups.js"
import type { CovarianceEllipse } from "./covarianceEllipse.js"
import { covarianceEllipse } from "./covarianceEllipse.js"
import { outputMoments } from "./outputMoments.js"
import type { Recording } from "./recording.js"

/** The output distribution at one test angle. */
export interface OutputAtAngle {
  readonly angle: number
  readonly count: number
  /** E[o], targetDim. */
  readonly mean: Array<number>
  /** E[y], targetDim: (cos θ, sin θ) for estimation, pulled toward 0 by step 0 where y = 0 (quirk 3). */
  readonly target: Array<number>
  /** Cov(o), targetDim × targetDim (population covariance). */
  readonly covariance: Array<Array<number>>
  /** For a 2-D output: the 1-σ covariance ellipse; absent otherwise. */
  readonly ellipse?: CovarianceEllipse
}

export interface OutputStatistics {
  readonly targetDim: number
  readonly byAngle: Array<OutputAtAngle>
}

/** Output mean and covariance per test angle, with the covariance ellipse for 2-D outputs. */
export const outputStatistics = (recording: Recording, options: GroupingOptions = {}): OutputStatistics => {
  const { targetDim: D, angles, counts, meanOutput, meanTarget, outputCovariance } = outputMoments(recording, options)
  const byAngle = angles.map((angle, g): OutputAtAngle => {
    const covariance = Array.from({ length: D }, (_, a) =>
      Array.from({ length: D }, (_, b) => outputCovariance[g * D * D + a * D + b]!)
    )
    const base = {
      angle,
      count: counts[g]!,
      mean: Array.from(meanOutput.subarray(g * D, (g + 1) * D)),
      target: Array.from(meanTarget.subarray(g * D, (g + 1) * D)),
      covariance
    }
    return D === 2
      ? { ...base, ellipse: covarianceEllipse(covariance[0]![0]!, covariance[0]![1]!, covariance[1]![1]!) }
      : base
  })
  return { targetDim: D, byAngle }
}
