import { symmetricEigen } from "./symmetricEigen.js"

/**
 * The decoder's axes in rate space: the right singular vectors of D (targetDim × N) with nonzero
 * singular value, ordered by decreasing singular value — the rows of numpy's `V_T[0:k]` in
 * `U, S, V_T = np.linalg.svd(decoder)`, up to the sign of each row (which no statistic here
 * depends on). For targetDim ≤ 2 in closed form: the eigenvectors u of the k × k Gram matrix DDᵀ give
 * v = Dᵀu / σ with σ = √λ.
 */
export interface DecoderAxes {
  /** Singular values σ_1 ≥ σ_2 ≥ … (> 0). */
  readonly singularValues: Array<number>
  /** Unit right singular vectors, one per singular value (each of length N). */
  readonly axes: Array<Float64Array>
}

export const decoderAxes = (decoder: ArrayLike<number>, targetDim: number, N: number): DecoderAxes => {
  const row = (o: number) => Float64Array.from({ length: N }, (_, i) => decoder[o * N + i]!)
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let sum = 0
    for (let i = 0; i < N; i++) sum += a[i]! * b[i]!
    return sum
  }
  if (targetDim === 1) {
    const d = row(0)
    const norm = Math.sqrt(dot(d, d))
    return norm > 0 ? { singularValues: [norm], axes: [d.map((x) => x / norm)] } : { singularValues: [], axes: [] }
  }
  if (targetDim > 2) return gramAxes(row, dot, targetDim, N)
  if (targetDim !== 2) throw new Error(`decoderAxes needs targetDim ≥ 1, got ${targetDim}`)
  const d0 = row(0)
  const d1 = row(1)
  const a = dot(d0, d0)
  const b = dot(d0, d1)
  const c = dot(d1, d1)
  // Eigen-decomposition of [[a, b], [b, c]].
  const mid = (a + c) / 2
  const radius = Math.hypot((a - c) / 2, b)
  const values = [mid + radius, mid - radius]
  const scale = Math.max(a, c)
  const singularValues: Array<number> = []
  const axes: Array<Float64Array> = []
  for (const lambda of values) {
    if (!(lambda > 1e-24 * scale)) continue
    // An eigenvector of [[a, b], [b, c]] for λ: (b, λ − a) or (λ − c, b), whichever is longer.
    let u0 = b
    let u1 = lambda - a
    if (Math.hypot(u0, u1) < Math.hypot(lambda - c, b)) {
      u0 = lambda - c
      u1 = b
    }
    const un = Math.hypot(u0, u1)
    if (un === 0) {
      // a diagonal Gram matrix with a = c: any basis; take the rows in order.
      u0 = axes.length === 0 ? 1 : 0
      u1 = axes.length === 0 ? 0 : 1
    } else {
      u0 /= un
      u1 /= un
    }
    const sigma = Math.sqrt(lambda)
    const v = Float64Array.from({ length: N }, (_, i) => (u0 * d0[i]! + u1 * d1[i]!) / sigma)
    const norm = Math.sqrt(dot(v, v))
    singularValues.push(sigma)
    axes.push(v.map((x) => x / norm))
  }
  return { singularValues, axes }
}

/** The axes of a decoder with more than two rows, from the eigenvectors of its Gram matrix DDᵀ. */
const gramAxes = (
  row: (o: number) => Float64Array,
  dot: (a: ArrayLike<number>, b: ArrayLike<number>) => number,
  k: number,
  N: number
): DecoderAxes => {
  const rows = Array.from({ length: k }, (_, o) => row(o))
  const gram = new Float64Array(k * k)
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) gram[a * k + b] = dot(rows[a]!, rows[b]!)
  const { values, vectors } = symmetricEigen(gram, k)
  const scale = Math.max(...Array.from({ length: k }, (_, o) => gram[o * k + o]!))
  const singularValues: Array<number> = []
  const axes: Array<Float64Array> = []
  values.forEach((lambda, m) => {
    if (!(lambda > 1e-24 * scale)) return
    const u = vectors[m]!
    const v = Float64Array.from({ length: N }, (_, i) => rows.reduce((acc, d, o) => acc + u[o]! * d[i]!, 0))
    const norm = Math.sqrt(dot(v, v))
    singularValues.push(Math.sqrt(lambda))
    axes.push(v.map((x) => x / norm))
  })
  return { singularValues, axes }
}
