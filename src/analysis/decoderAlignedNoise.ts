import type { GroupingOptions } from "./angleGroups.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"
import { symmetricEigen } from "./symmetricEigen.js"

export interface DecoderAlignedNoiseOptions extends GroupingOptions {
  /** How many leading noise axes to report the angle of (default 3). */
  readonly axes?: number
}

export interface DecoderAlignedNoise {
  /** Dimension k of the decoder subspace (the rank of D: 2 for estimation, 1 for classification). */
  readonly decoderDimension: number
  /** Share of the noise variance tr Σ that lies in the decoder subspace: tr(QᵀΣQ) / tr Σ. */
  readonly decoderShare: number | null
  /** The share a random k-dimensional subspace gets on average: k / N. */
  readonly randomShare: number
  /** decoderShare / randomShare: > 1 if noise concentrates along the decoder, < 1 if it avoids it. */
  readonly enrichment: number | null
  /** Per angle: the same share for the covariance at that angle. */
  readonly shareByAngle: Array<{ angle: number; share: number | null }>
  /** Leading eigenvalues of the noise covariance, descending, and their fractions of tr Σ. */
  readonly noiseEigenvalues: Array<number>
  readonly noiseFractions: Array<number>
  /** For each leading noise axis v: the angle (rad) between v and the decoder subspace, acos ‖Qᵀv‖. */
  readonly axisAngles: Array<number>
  /**
   * Principal angles (rad, ascending) between the k leading noise axes and the decoder subspace.
   * π/2 means orthogonal; a random subspace of dimension k in N dimensions is near π/2 for N ≫ k.
   */
  readonly principalAngles: Array<number>
}

/** An orthonormal basis of the row space of a k × N matrix (modified Gram–Schmidt). */
export const rowSpaceBasis = (rows: ArrayLike<number>, k: number, N: number): Array<Float64Array> => {
  const basis: Array<Float64Array> = []
  let largest = 0
  for (let r = 0; r < k; r++) {
    let norm = 0
    for (let i = 0; i < N; i++) norm += rows[r * N + i]! ** 2
    largest = Math.max(largest, Math.sqrt(norm))
  }
  for (let r = 0; r < k; r++) {
    const v = Float64Array.from({ length: N }, (_, i) => rows[r * N + i]!)
    for (const q of basis) {
      let dot = 0
      for (let i = 0; i < N; i++) dot += q[i]! * v[i]!
      for (let i = 0; i < N; i++) v[i]! -= dot * q[i]!
    }
    const norm = Math.hypot(...v)
    if (norm > 1e-10 * largest) basis.push(v.map((x) => x / norm))
  }
  return basis
}

/** tr(QᵀΣQ) / tr Σ for an N × N covariance Σ (flat) and an orthonormal basis Q; null if tr Σ = 0. */
const subspaceShare = (covariance: ArrayLike<number>, basis: ReadonlyArray<Float64Array>, N: number) => {
  let trace = 0
  for (let i = 0; i < N; i++) trace += covariance[i * N + i]!
  if (!(trace > 0)) return null
  let inside = 0
  for (const q of basis) {
    for (let i = 0; i < N; i++) {
      let row = 0
      for (let j = 0; j < N; j++) row += covariance[i * N + j]! * q[j]!
      inside += q[i]! * row
    }
  }
  return inside / trace
}

/**
 * Decoder-aligned noise: how much of the stimulus-conditioned (noise) rate variance falls along the
 * decoder — the only directions that reach the output — compared with a random subspace of the same
 * dimension, and the angles between the noise's principal axes and the decoder subspace. The noise
 * covariance Σ is the count-weighted mean of the per-angle covariances.
 */
export const decoderAlignedNoise = (
  recording: Recording,
  options: DecoderAlignedNoiseOptions = {}
): DecoderAlignedNoise => {
  const { N, angles, covariances, noiseCovariance } = rateMoments(recording, options)
  const basis = rowSpaceBasis(recording.decoder, recording.targetDim, N)
  const k = basis.length
  const decoderShare = subspaceShare(noiseCovariance, basis, N)
  const randomShare = k / N
  const { values, vectors } = symmetricEigen(noiseCovariance, N)
  const eigenvalues = values.map((v) => Math.max(0, v))
  const trace = eigenvalues.reduce((a, b) => a + b, 0)
  const axes = Math.min(options.axes ?? 3, N)

  // Cosines of the angles: projections of the noise axes onto the decoder basis.
  const projections = vectors.map((v) =>
    basis.map((q) => {
      let dot = 0
      for (let i = 0; i < N; i++) dot += q[i]! * v[i]!
      return dot
    })
  )
  const axisAngles = projections
    .slice(0, axes)
    .map((p) => Math.acos(Math.min(1, Math.sqrt(p.reduce((a, b) => a + b * b, 0)))))

  // Principal angles: singular values of M = QᵀV_k are the cosines; get them as √eig(MᵀM).
  const gram = new Float64Array(k * k)
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let sum = 0
      for (let q = 0; q < k; q++) sum += projections[a]![q]! * projections[b]![q]!
      gram[a * k + b] = sum
    }
  }
  const principalAngles = symmetricEigen(gram, k)
    .values.map((c2) => Math.acos(Math.min(1, Math.sqrt(Math.max(0, c2)))))
    .sort((a, b) => a - b)

  return {
    decoderDimension: k,
    decoderShare,
    randomShare,
    enrichment: decoderShare === null || k === 0 ? null : decoderShare / randomShare,
    shareByAngle: angles.map((angle, g) => ({
      angle,
      share: subspaceShare(covariances.subarray(g * N * N, (g + 1) * N * N), basis, N)
    })),
    noiseEigenvalues: eigenvalues.slice(0, axes),
    noiseFractions: eigenvalues.slice(0, axes).map((v) => (trace > 0 ? v / trace : 0)),
    axisAngles,
    principalAngles
  }
}
