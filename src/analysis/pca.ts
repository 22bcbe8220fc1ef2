import type { GroupingOptions } from "./angleGroups.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"
import { symmetricEigen } from "./symmetricEigen.js"

export interface PcaOptions extends GroupingOptions {
  /** Components whose loadings and projections are returned (default 3, at most N). */
  readonly components?: number
  /** Trial whose samples are projected as a trajectory (default 0). */
  readonly trajectoryTrial?: number
  /** Keep every k-th sample of that trajectory (default 1: all). */
  readonly trajectoryStride?: number
}

export interface Pca {
  /** Variances along the principal axes, all N, descending (clamped at ≥ 0). */
  readonly eigenvalues: Array<number>
  /** eigenvalue / total variance (all zeros if the activity is constant). */
  readonly varianceExplained: Array<number>
  readonly cumulative: Array<number>
  /** Participation ratio (Σλ)² / Σλ²: the effective dimensionality (0 for constant activity). */
  readonly participationRatio: number
  /** components × N: unit loadings, sign fixed so the largest-magnitude entry is positive. */
  readonly loadings: Array<Array<number>>
  /** N: the mean rate the data were centered on. */
  readonly center: Array<number>
  /** Each angle's mean response projected on the components. */
  readonly angleMeans: Array<{ angle: number; projection: Array<number> }>
  /** The chosen trial's samples projected: components × kept samples, with their sample indices. */
  readonly trajectory: { trial: number; sample: Array<number>; projection: Array<Array<number>> }
}

/**
 * PCA of the population activity: the eigendecomposition of the N × N covariance of all samples
 * (samples × N, centered on the mean rate), computed from the per-angle moments (no samples × N
 * matrix is formed), with trajectories on the leading components.
 */
export const pca = (recording: Recording, options: PcaOptions = {}): Pca => {
  const { N, angles, means, overallMean, totalCovariance } = rateMoments(recording, options)
  const K = Math.min(options.components ?? 3, N)
  const { values, vectors } = symmetricEigen(totalCovariance, N)
  const eigenvalues = values.map((v) => Math.max(0, v))
  const total = eigenvalues.reduce((a, b) => a + b, 0)
  const varianceExplained = eigenvalues.map((v) => (total > 0 ? v / total : 0))
  let running = 0
  const cumulative = varianceExplained.map((v) => (running += v))
  const squares = eigenvalues.reduce((a, b) => a + b * b, 0)
  const loadings = vectors.slice(0, K)

  const project = (x: (i: number) => number) =>
    loadings.map((w) => {
      let sum = 0
      for (let i = 0; i < N; i++) sum += w[i]! * (x(i) - overallMean[i]!)
      return sum
    })

  const trial = options.trajectoryTrial ?? 0
  const stride = Math.max(1, Math.floor(options.trajectoryStride ?? 1))
  if (!(Number.isInteger(trial) && trial >= 0 && trial < recording.trials)) {
    throw new Error(`trajectoryTrial ${trial} is not a trial of the recording (0 … ${recording.trials - 1})`)
  }
  const sample: Array<number> = []
  for (let s = 0; s < recording.samples; s += stride) sample.push(s)
  const projection = loadings.map((w) =>
    sample.map((s) => {
      let sum = 0
      for (let i = 0; i < N; i++) {
        sum += w[i]! * (recording.rates[(trial * N + i) * recording.samples + s]! - overallMean[i]!)
      }
      return sum
    })
  )

  return {
    eigenvalues,
    varianceExplained,
    cumulative,
    participationRatio: squares > 0 ? (total * total) / squares : 0,
    loadings,
    center: Array.from(overallMean),
    angleMeans: angles.map((angle, g) => ({ angle, projection: project((i) => means[g * N + i]!) })),
    trajectory: { trial, sample, projection }
  }
}
