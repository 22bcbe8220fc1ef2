import { eigs } from "mathjs"

/** Eigenvalues (descending) and unit eigenvectors of a symmetric matrix. */
export interface SymmetricEigen {
  readonly values: Array<number>
  /** vectors[k] is the eigenvector of values[k], sign fixed so its largest-magnitude entry is positive. */
  readonly vectors: Array<Array<number>>
}

/**
 * Eigendecomposition of a symmetric n × n matrix given flat row-major (mathjs `eigs`, on n × n only).
 * The matrix is symmetrized first ((A + Aᵀ)/2) to remove round-off asymmetry.
 */
export const symmetricEigen = (matrix: ArrayLike<number>, n: number): SymmetricEigen => {
  if (n === 0) return { values: [], vectors: [] }
  const rows = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (matrix[i * n + j]! + matrix[j * n + i]!) / 2)
  )
  const { eigenvectors } = eigs(rows)
  const pairs = eigenvectors.map(({ value, vector }) => {
    const v = (Array.isArray(vector) ? vector : (vector.toArray() as Array<number>)).map(Number)
    let largest = 0
    for (let k = 1; k < v.length; k++) if (Math.abs(v[k]!) > Math.abs(v[largest]!)) largest = k
    const sign = v[largest]! < 0 ? -1 : 1
    const norm = Math.hypot(...v) || 1
    return { value: Number(value), vector: v.map((x) => (sign * x) / norm) }
  })
  pairs.sort((a, b) => b.value - a.value)
  return { values: pairs.map((p) => p.value), vectors: pairs.map((p) => p.vector) }
}
