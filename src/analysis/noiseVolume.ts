/**
 * How the stimulus-conditioned noise sits relative to the decoder: the reference's `noise_volume`
 * and `noise_angle` (`pl_support_functions_cr.py`), and the trial-block spread its
 * `volume_fraction_total_plot` draws. (Our `decoderAlignedNoise` is a different statistic: the
 * share of the noise variance tr Σ that falls in the decoder subspace.)
 *
 * For each test angle, with Σ the covariance of the rates at that angle (n − 1 normalization, as
 * `np.cov`), λ_1 ≥ … its eigenvalues with eigenvectors p_1, …, and Q the decoder's k axes (first k
 * rows of V_T of svd(D); k = 2 for estimation, 1 for classification):
 *
 * - total volume: the entropy of a Gaussian with the covariance of the top-k noise components,
 *   k/2·(1 + log 2π) + ½·Σ_{a≤k} log λ_a;
 * - projected volume: the same for the noise projected on the decoder axes,
 *   k/2·(1 + log 2π) + ½·log det(QΣQᵀ);
 * - volume fraction: projected / total (the reference's default, `entropy=True`).
 *
 * Entropies of a differential density can be negative, and the fraction of two of them is not
 * bounded; we also return the reference's `entropy=False` variant, the ratio of the ellipsoid
 * volumes det(QΣQᵀ) / Π_{a≤k} λ_a, which lies in [0, 1] (by Cauchy interlacing) and is 1 exactly
 * when the decoder axes span the top-k noise components.
 *
 * The noise angle is the reference's `cosine_angle` between the stacked top-k noise components
 * [p_1; …; p_k] and decoder axes [q_1; …; q_k]: Σ_a (p_a·q_a) / k. The sign of each singular vector
 * is arbitrary (LAPACK's choice in the reference), so we take each pair with the sign that makes
 * p_a·q_a ≥ 0: Σ_a |p_a·q_a| / k, in [0, 1].
 *
 * Every sample counts (the reference drops no transient here).
 */
import type { GroupingOptions } from "./angleGroups.js"
import { decoderAxes } from "./decoderAxes.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"
import { symmetricEigen } from "./symmetricEigen.js"

export interface NoiseVolumeOptions extends GroupingOptions {
  /** Noise components whose eigenvalue and overlap with the decoder axes are returned (default 10). */
  readonly components?: number
}

export interface NoiseVolumeAtAngle {
  readonly angle: number
  /** projectedVolume / totalVolume (entropies, the reference's default); null where undefined. */
  readonly volumeFraction: number | null
  readonly totalVolume: number | null
  readonly projectedVolume: number | null
  /** det(QΣQᵀ) / Π_{a≤k} λ_a: the ellipsoid-volume variant (`entropy=False`), in [0, 1]. */
  readonly determinantRatio: number | null
  /** Σ_a |p_a·q_a| / k: the noise angle (`noise_angle`), in [0, 1]. */
  readonly noiseAngle: number | null
  /** The leading eigenvalues of Σ, descending (`e_vals`). */
  readonly eigenvalues: Array<number>
  /** k × components: q_a·p_m, the overlap of each decoder axis with each noise component. */
  readonly overlap: Array<Array<number>>
}

export interface NoiseVolume {
  readonly decoderDimension: number
  readonly byAngle: Array<NoiseVolumeAtAngle>
}

const gaussianEntropy = (k: number, logDet: number) => (k / 2) * (1 + Math.log(2 * Math.PI)) + logDet / 2

/** log det of a k × k symmetric positive matrix (k ≤ 2), or null if it is not positive. */
const logDetSmall = (m: ReadonlyArray<ReadonlyArray<number>>): number | null => {
  const det = m.length === 1 ? m[0]![0]! : m[0]![0]! * m[1]![1]! - m[0]![1]! * m[1]![0]!
  return det > 0 ? Math.log(det) : null
}

export const noiseVolume = (recording: Recording, options: NoiseVolumeOptions = {}): NoiseVolume => {
  const { N, angles, counts, covariances } = rateMoments(recording, options)
  const { axes } = decoderAxes(recording.decoder, recording.targetDim, N)
  const k = axes.length
  const keep = Math.min(N, options.components ?? 10)
  const byAngle = angles.map((angle, g): NoiseVolumeAtAngle => {
    const n = counts[g]!
    const unbiased = n > 1 ? n / (n - 1) : Number.NaN
    const sigma = Float64Array.from(covariances.subarray(g * N * N, (g + 1) * N * N), (v) => v * unbiased)
    const { values, vectors } = symmetricEigen(sigma, N)
    const projected = axes.map((qa) =>
      axes.map((qb) => {
        let sum = 0
        for (let i = 0; i < N; i++) {
          let row = 0
          for (let j = 0; j < N; j++) row += sigma[i * N + j]! * qb[j]!
          sum += qa[i]! * row
        }
        return sum
      })
    )
    const top = values.slice(0, k)
    const topLogDet = top.every((v) => v > 0) ? top.reduce((a, v) => a + Math.log(v), 0) : null
    const projectedLogDet = k > 0 ? logDetSmall(projected) : null
    const totalVolume = k > 0 && topLogDet !== null ? gaussianEntropy(k, topLogDet) : null
    const projectedVolume = projectedLogDet !== null ? gaussianEntropy(k, projectedLogDet) : null
    const overlap = axes.map((q) =>
      vectors.slice(0, keep).map((p) => {
        let dot = 0
        for (let i = 0; i < N; i++) dot += q[i]! * p[i]!
        return dot
      })
    )
    const defined = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null)
    return {
      angle,
      volumeFraction:
        totalVolume !== null && projectedVolume !== null && totalVolume !== 0
          ? defined(projectedVolume / totalVolume)
          : null,
      totalVolume: defined(totalVolume),
      projectedVolume: defined(projectedVolume),
      determinantRatio:
        topLogDet !== null && projectedLogDet !== null ? defined(Math.exp(projectedLogDet - topLogDet)) : null,
      noiseAngle: k > 0 ? overlap.reduce((acc, row, a) => acc + Math.abs(row[a] ?? 0), 0) / k : null,
      eigenvalues: values.slice(0, keep),
      overlap
    }
  })
  return { decoderDimension: k, byAngle }
}

export interface VolumeFractionTotalOptions extends NoiseVolumeOptions {
  /** Number of consecutive trial blocks (default 5; at most the number of trials). */
  readonly blocks?: number
}

export interface VolumeFractionTotal {
  readonly angles: Array<number>
  readonly blocks: number
  /** Per angle: mean over the blocks of the block's volume fraction (null if no block defines it). */
  readonly mean: Array<number | null>
  /** Per angle: standard error of that mean, √(var/n) with the population variance (the reference's). */
  readonly sem: Array<number | null>
  /** The same for the determinant ratio. */
  readonly determinantMean: Array<number | null>
  readonly determinantSem: Array<number | null>
}

/** A recording of the trials [first, first + count) of another, sharing its memory. */
export const trialRange = (recording: Recording, first: number, count: number): Recording => {
  const { N, targetDim, samples } = recording
  const slice = (a: Float32Array, rows: number) => a.subarray(first * rows * samples, (first + count) * rows * samples)
  return {
    ...recording,
    trials: count,
    rates: slice(recording.rates, N),
    outputs: slice(recording.outputs, targetDim),
    targets: slice(recording.targets, targetDim),
    angles: slice(recording.angles, 1)
  }
}

/**
 * The volume fraction's mean ± SEM per angle, as `volume_fraction_total_plot` draws it. The
 * reference's replicates are independently trained networks; one run has one network, so the
 * replicates here are consecutive blocks of its test trials: the SEM says how well the test
 * measures the fraction, not how much it varies between trainings.
 */
export const volumeFractionTotal = (
  recording: Recording,
  options: VolumeFractionTotalOptions = {}
): VolumeFractionTotal => {
  const blocks = Math.max(1, Math.min(recording.trials, Math.floor(options.blocks ?? 5)))
  const full = rateMoments(recording, options).angles
  const perBlock = Array.from({ length: blocks }, (_, b) => {
    const first = Math.floor((b * recording.trials) / blocks)
    const last = Math.floor(((b + 1) * recording.trials) / blocks)
    const result = noiseVolume(trialRange(recording, first, last - first), { ...options, components: 1 })
    return new Map(result.byAngle.map((a) => [a.angle, a]))
  })
  const stats = (pick: (a: NoiseVolumeAtAngle) => number | null) =>
    full.map((angle) => {
      const values = perBlock.map((m) => m.get(angle)).flatMap((a) => (a === undefined ? [] : [pick(a)]))
      const finite = values.filter((v): v is number => v !== null)
      if (finite.length === 0) return { mean: null, sem: null }
      const mean = finite.reduce((a, b) => a + b, 0) / finite.length
      const variance = finite.reduce((a, v) => a + (v - mean) ** 2, 0) / finite.length
      return { mean, sem: Math.sqrt(variance / finite.length) }
    })
  const fraction = stats((a) => a.volumeFraction)
  const determinant = stats((a) => a.determinantRatio)
  return {
    angles: full,
    blocks,
    mean: fraction.map((s) => s.mean),
    sem: fraction.map((s) => s.sem),
    determinantMean: determinant.map((s) => s.mean),
    determinantSem: determinant.map((s) => s.sem)
  }
}
