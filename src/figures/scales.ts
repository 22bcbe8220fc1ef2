/**
 * Domains for scales: extents that ignore non-finite values, are padded, and never collapse to a
 * point (a constant series still gets a visible range).
 *
 * @module
 */

/** The finite values of an array-like, as a plain array. */
export const finite = (values: ArrayLike<number>): number[] => {
  const out: number[] = []
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (Number.isFinite(v)) out.push(v)
  }
  return out
}

/**
 * The extent of all finite values, widened by `pad` (a fraction of the span) on each side, and
 * stretched to include every value of `include`. An empty input gives [0, 1]; a single value v
 * gives [v − 0.5, v + 0.5] (or ±|v|/2).
 */
export const paddedExtent = (
  arrays: ReadonlyArray<ArrayLike<number>>,
  pad = 0.05,
  include: ReadonlyArray<number> = []
): [number, number] => {
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!
      if (!Number.isFinite(v)) continue
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  }
  if (lo > hi) {
    if (include.length === 0) return [0, 1]
    lo = hi = include[0]!
  }
  for (const v of include) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (hi === lo) {
    const half = lo === 0 ? 0.5 : Math.abs(lo) / 2
    return [lo - half, hi + half]
  }
  const span = hi - lo
  const lower = include.includes(lo) ? lo : lo - pad * span
  const upper = include.includes(hi) ? hi : hi + pad * span
  return [lower, upper]
}

/** At most `max` indices of 0..n−1, evenly spaced and including the first and the last. */
export const thin = (n: number, max: number): number[] => {
  if (n <= max) return Array.from({ length: n }, (_, i) => i)
  if (max <= 1) return max === 1 ? [0] : []
  return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)))
}

/** A point of a curve over the angle: its x position and the index of its datum. */
export interface AnglePoint {
  readonly x: number
  readonly k: number
}

/**
 * The data indices sorted by angle, for drawing a curve over [−π, π]. The angle is cyclic: when
 * −π is sampled and π is not (the reference grid is arange(−π, π, 2π/12)), the −π datum is
 * repeated at π so the curve spans the whole axis.
 */
export const cyclicOrder = (angles: ArrayLike<number>): AnglePoint[] => {
  const points = Array.from({ length: angles.length }, (_, k) => ({ x: angles[k]!, k })).sort((p, q) => p.x - q.x)
  const first = points[0]
  const last = points[points.length - 1]
  if (first && last && Math.abs(first.x + Math.PI) < 1e-9 && Math.abs(last.x - Math.PI) > 1e-9) {
    points.push({ x: Math.PI, k: first.k })
  }
  return points
}
