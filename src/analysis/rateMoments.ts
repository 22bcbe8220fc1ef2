import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups, groupingKey } from "./angleGroups.js"
import type { Recording } from "./recording.js"

/**
 * First and second moments of the population rates, per stimulus angle: the one pass over the
 * trials × N × samples rate array that tuning curves, noise correlations, PCA and decoder-aligned
 * noise share. Covariances are population covariances (divided by the count, not count − 1).
 * Internal: typed arrays, not a JSON result.
 */
export interface RateMoments {
  readonly N: number
  /** The angles that occur, ascending (see `angleGroups`). */
  readonly angles: Array<number>
  /** Samples per angle. */
  readonly counts: Array<number>
  /** Total number of samples included. */
  readonly total: number
  /** angles × N: mean rate of each neuron at each angle (the tuning curves). */
  readonly means: Float64Array
  /** angles × N × N: covariance of the rates around their angle mean (noise covariance per angle). */
  readonly covariances: Float64Array
  /** N: mean rate over all samples. */
  readonly overallMean: Float64Array
  /** N × N: count-weighted mean of the per-angle covariances (the stimulus-conditioned covariance). */
  readonly noiseCovariance: Float64Array
  /** N × N: covariance of all samples around the overall mean (noise plus signal). */
  readonly totalCovariance: Float64Array
}

const cache = new WeakMap<Recording, Map<string, RateMoments>>()

/**
 * Computes the per-angle rate moments in two passes (means, then centered cross-products, which is
 * accurate where E[xxᵀ] − E[x]E[x]ᵀ would cancel). The second pass walks each trial's runs of equal
 * angle so the inner loop is a contiguous dot product. Memoized per recording object and options.
 */
export const rateMoments = (recording: Recording, options: GroupingOptions = {}): RateMoments => {
  const memoKey = groupingKey(options)
  const memo = cache.get(recording)
  const hit = memo?.get(memoKey)
  if (hit !== undefined) return hit

  const { angles, counts, label } = angleGroups(recording, options)
  const { N, trials, samples, rates } = recording
  const G = angles.length
  const total = counts.reduce((a, b) => a + b, 0)

  // Pass 1: per-angle sums.
  const means = new Float64Array(G * N)
  for (let trial = 0; trial < trials; trial++) {
    const labelOffset = trial * samples
    for (let i = 0; i < N; i++) {
      const row = (trial * N + i) * samples
      for (let s = 0; s < samples; s++) {
        const g = label[labelOffset + s]!
        if (g >= 0) means[g * N + i]! += rates[row + s]!
      }
    }
  }
  for (let g = 0; g < G; g++) for (let i = 0; i < N; i++) means[g * N + i]! /= counts[g]!

  // Pass 2: centered cross-products, run by run (a run = consecutive samples of one angle).
  const covariances = new Float64Array(G * N * N)
  const centered = new Float64Array(N * samples)
  for (let trial = 0; trial < trials; trial++) {
    const labelOffset = trial * samples
    for (let i = 0; i < N; i++) {
      const row = (trial * N + i) * samples
      for (let s = 0; s < samples; s++) {
        const g = label[labelOffset + s]!
        centered[i * samples + s] = g >= 0 ? rates[row + s]! - means[g * N + i]! : 0
      }
    }
    let start = 0
    while (start < samples) {
      const g = label[labelOffset + start]!
      let end = start + 1
      while (end < samples && label[labelOffset + end] === g) end++
      if (g >= 0) {
        const block = g * N * N
        for (let i = 0; i < N; i++) {
          const xi = i * samples
          for (let j = 0; j <= i; j++) {
            const xj = j * samples
            let sum = 0
            for (let s = start; s < end; s++) sum += centered[xi + s]! * centered[xj + s]!
            covariances[block + i * N + j]! += sum
          }
        }
      }
      start = end
    }
  }
  for (let g = 0; g < G; g++) {
    const block = g * N * N
    for (let i = 0; i < N; i++) {
      for (let j = 0; j <= i; j++) {
        const value = covariances[block + i * N + j]! / counts[g]!
        covariances[block + i * N + j] = value
        covariances[block + j * N + i] = value
      }
    }
  }

  // Pooled (noise) and total covariance from the per-angle moments.
  const overallMean = new Float64Array(N)
  for (let g = 0; g < G; g++) for (let i = 0; i < N; i++) overallMean[i]! += (counts[g]! * means[g * N + i]!) / total
  const noiseCovariance = new Float64Array(N * N)
  const totalCovariance = new Float64Array(N * N)
  for (let g = 0; g < G; g++) {
    const weight = counts[g]! / total
    for (let i = 0; i < N; i++) {
      const di = means[g * N + i]! - overallMean[i]!
      for (let j = 0; j < N; j++) {
        const dj = means[g * N + j]! - overallMean[j]!
        const within = weight * covariances[g * N * N + i * N + j]!
        noiseCovariance[i * N + j]! += within
        totalCovariance[i * N + j]! += within + weight * di * dj
      }
    }
  }

  const result: RateMoments = {
    N,
    angles,
    counts,
    total,
    means,
    covariances,
    overallMean,
    noiseCovariance,
    totalCovariance
  }
  if (memo === undefined) cache.set(recording, new Map([[memoKey, result]]))
  else memo.set(memoKey, result)
  return result
}
