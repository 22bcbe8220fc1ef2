/**
 * Direct ports of the reference's analysis functions (`pl_support_functions_cr.py`,
 * `pl_plotters_cr.py` of github.com/colinbredenberg/Efficient-Plasticity-Camera-Ready), written
 * the way the reference computes them — concatenate the trials, pick the samples of each angle by
 * exact equality, np.cov (n − 1), np.var/np.std (n), eigen-decompositions of the sample covariance —
 * and independently of src/analysis (no shared moments, no shared bases), so that the tests can
 * compare our analyses with the reference's formulas on the same data.
 */
import { eigs } from "mathjs"
import type { Recording } from "../../src/analysis/recording.js"

/** The reference's r_reshape (N × total), theta_reshape and the samples of each unique angle. */
export const concatenate = (rec: Recording) => {
  const total = rec.trials * rec.samples
  const r = Array.from({ length: rec.N }, (_, i) => {
    const row = new Float64Array(total)
    for (let t = 0; t < rec.trials; t++) {
      for (let s = 0; s < rec.samples; s++) row[t * rec.samples + s] = rec.rates[(t * rec.N + i) * rec.samples + s]!
    }
    return row
  })
  const o = Array.from({ length: rec.targetDim }, (_, d) => {
    const row = new Float64Array(total)
    for (let t = 0; t < rec.trials; t++) {
      for (let s = 0; s < rec.samples; s++)
        row[t * rec.samples + s] = rec.outputs[(t * rec.targetDim + d) * rec.samples + s]!
    }
    return row
  })
  const y = Array.from({ length: rec.targetDim }, (_, d) => {
    const row = new Float64Array(total)
    for (let t = 0; t < rec.trials; t++) {
      for (let s = 0; s < rec.samples; s++)
        row[t * rec.samples + s] = rec.targets[(t * rec.targetDim + d) * rec.samples + s]!
    }
    return row
  })
  const theta = Float64Array.from(rec.angles)
  const range = [...new Set(theta)].sort((a, b) => a - b)
  const idxOf = (value: number) => {
    const out: Array<number> = []
    for (let k = 0; k < total; k++) if (theta[k] === value) out.push(k)
    return out
  }
  return { r, o, y, theta, range, idxOf, total }
}

/** Columns idx of a rows × total matrix. */
export const columns = (m: ReadonlyArray<Float64Array>, idx: ReadonlyArray<number>) =>
  m.map((row) => Float64Array.from(idx, (k) => row[k]!))

export const mean = (x: ArrayLike<number>) => {
  let s = 0
  for (let k = 0; k < x.length; k++) s += x[k]!
  return s / x.length
}
/** np.var (ddof 0). */
export const variance = (x: ArrayLike<number>) => {
  const m = mean(x)
  let s = 0
  for (let k = 0; k < x.length; k++) s += (x[k]! - m) ** 2
  return s / x.length
}
/** np.cov of the rows (variables) of X, ddof 1. */
export const cov = (X: ReadonlyArray<ArrayLike<number>>): Array<Array<number>> => {
  const n = X[0]!.length
  const means = X.map(mean)
  return X.map((a, i) =>
    X.map((b, j) => {
      let s = 0
      for (let k = 0; k < n; k++) s += (a[k]! - means[i]!) * (b[k]! - means[j]!)
      return s / (n - 1)
    })
  )
}
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!
  return s
}
/** M @ X for M (m × N) and X (N × n): rows of the product. */
export const matmul = (M: ReadonlyArray<ArrayLike<number>>, X: ReadonlyArray<Float64Array>) => {
  const n = X[0]!.length
  return M.map((row) => {
    const out = new Float64Array(n)
    for (let i = 0; i < X.length; i++) {
      const w = row[i]!
      const xi = X[i]!
      for (let k = 0; k < n; k++) out[k]! += w * xi[k]!
    }
    return out
  })
}
export const det = (m: ReadonlyArray<ReadonlyArray<number>>) =>
  m.length === 1 ? m[0]![0]! : m[0]![0]! * m[1]![1]! - m[0]![1]! * m[1]![0]!

/** Eigenpairs of a symmetric matrix, descending (the rows of V_T of its SVD when it is PSD). */
export const eigenDescending = (m: ReadonlyArray<ReadonlyArray<number>>) => {
  const sym = m.map((row, i) => row.map((v, j) => (v + m[j]![i]!) / 2))
  const { eigenvectors } = eigs(sym)
  return eigenvectors
    .map(({ value, vector }) => ({
      value: Number(value),
      vector: (Array.isArray(vector) ? vector : (vector.toArray() as Array<number>)).map(Number)
    }))
    .sort((a, b) => b.value - a.value)
}

/** Rows of V_T of svd(D) (D: k × N), via the eigenvectors of DᵀD (descending). */
export const decoderRightVectors = (decoder: ArrayLike<number>, k: number, N: number) => {
  const DtD = Array.from({ length: N }, (_, i) =>
    Array.from({ length: N }, (_, j) => {
      let s = 0
      for (let o = 0; o < k; o++) s += decoder[o * N + i]! * decoder[o * N + j]!
      return s
    })
  )
  return eigenDescending(DtD).map((e) => {
    const norm = Math.hypot(...e.vector)
    return e.vector.map((v) => v / norm)
  })
}

/** `energy_relu`. */
export const energyRelu = (
  r: ArrayLike<number>,
  s: ArrayLike<number>,
  W: ArrayLike<number>,
  C: ArrayLike<number>,
  b: ArrayLike<number>,
  N: number,
  I: number
) => {
  let quad = 0
  let sq = 0
  let bias = 0
  let inp = 0
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) quad += W[i * N + j]! * r[i]! * r[j]!
    for (let k = 0; k < I; k++) inp += C[i * I + k]! * r[i]! * s[k]!
    sq += 0.5 * r[i]! ** 2
    bias += b[i]! * r[i]!
  }
  return -0.5 * quad + sq - bias - inp
}
