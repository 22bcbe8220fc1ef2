/** Pearson correlation of two equal-length series; null if fewer than 3 points or a constant series. */
export const pearson = (x: ReadonlyArray<number>, y: ReadonlyArray<number>): number | null => {
  const n = x.length
  if (n < 3) return null
  const mx = x.reduce((a, b) => a + b, 0) / n
  const my = y.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let k = 0; k < n; k++) {
    sxy += (x[k]! - mx) * (y[k]! - my)
    sxx += (x[k]! - mx) ** 2
    syy += (y[k]! - my) ** 2
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null
}
