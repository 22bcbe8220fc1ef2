import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups, groupingKey } from "./angleGroups.js"
import type { Recording } from "./recording.js"

/**
 * Per-angle moments of the output o, the target y and the error e = o − y (two passes: means, then
 * centered products). Covariances are population covariances. Internal: typed arrays.
 */
export interface OutputMoments {
  readonly targetDim: number
  readonly angles: Array<number>
  readonly counts: Array<number>
  /** angles × targetDim */
  readonly meanOutput: Float64Array
  /** angles × targetDim */
  readonly meanTarget: Float64Array
  /** angles × targetDim × targetDim: Cov(o) per angle. */
  readonly outputCovariance: Float64Array
  /** angles × targetDim × targetDim: Cov(o − y) per angle (= Cov(o) where the target is constant). */
  readonly errorCovariance: Float64Array
  /** angles: mean of ‖o − y‖² per angle, summed directly over the samples. */
  readonly mse: Float64Array
}

const cache = new WeakMap<Recording, Map<string, OutputMoments>>()

export const outputMoments = (recording: Recording, options: GroupingOptions = {}): OutputMoments => {
  const memoKey = groupingKey(options)
  const memo = cache.get(recording)
  const hit = memo?.get(memoKey)
  if (hit !== undefined) return hit

  const { angles, counts, label } = angleGroups(recording, options)
  const { targetDim: D, trials, samples, outputs, targets } = recording
  const G = angles.length
  const meanOutput = new Float64Array(G * D)
  const meanTarget = new Float64Array(G * D)
  const mse = new Float64Array(G)
  for (let trial = 0; trial < trials; trial++) {
    for (let d = 0; d < D; d++) {
      const row = (trial * D + d) * samples
      for (let s = 0; s < samples; s++) {
        const g = label[trial * samples + s]!
        if (g < 0) continue
        const o = outputs[row + s]!
        const y = targets[row + s]!
        meanOutput[g * D + d]! += o
        meanTarget[g * D + d]! += y
        mse[g]! += (o - y) * (o - y)
      }
    }
  }
  for (let g = 0; g < G; g++) {
    mse[g]! /= counts[g]!
    for (let d = 0; d < D; d++) {
      meanOutput[g * D + d]! /= counts[g]!
      meanTarget[g * D + d]! /= counts[g]!
    }
  }

  const outputCovariance = new Float64Array(G * D * D)
  const errorCovariance = new Float64Array(G * D * D)
  const centeredOutput = new Float64Array(D)
  const centeredError = new Float64Array(D)
  for (let trial = 0; trial < trials; trial++) {
    for (let s = 0; s < samples; s++) {
      const g = label[trial * samples + s]!
      if (g < 0) continue
      for (let d = 0; d < D; d++) {
        const k = (trial * D + d) * samples + s
        const o = outputs[k]!
        centeredOutput[d] = o - meanOutput[g * D + d]!
        centeredError[d] = o - targets[k]! - (meanOutput[g * D + d]! - meanTarget[g * D + d]!)
      }
      const block = g * D * D
      for (let a = 0; a < D; a++) {
        for (let b = 0; b < D; b++) {
          outputCovariance[block + a * D + b]! += centeredOutput[a]! * centeredOutput[b]!
          errorCovariance[block + a * D + b]! += centeredError[a]! * centeredError[b]!
        }
      }
    }
  }
  for (let g = 0; g < G; g++) {
    for (let k = 0; k < D * D; k++) {
      outputCovariance[g * D * D + k]! /= counts[g]!
      errorCovariance[g * D * D + k]! /= counts[g]!
    }
  }

  const result: OutputMoments = {
    targetDim: D,
    angles,
    counts,
    meanOutput,
    meanTarget,
    outputCovariance,
    errorCovariance,
    mse
  }
  if (memo === undefined) cache.set(recording, new Map([[memoKey, result]]))
  else memo.set(memoKey, result)
  return result
}
