/** A density histogram on fixed, equal-width bins. */
export interface Histogram {
  /** bins + 1 edges, ascending. */
  readonly edges: Array<number>
  /** Samples per bin (values outside [edges[0], edges[bins]] are not counted). */
  readonly counts: Array<number>
  /** counts / (total · width): a density that integrates to the share of samples inside the range. */
  readonly density: Array<number>
  /** Samples offered (inside or outside the range). */
  readonly total: number
}

/** Equal-width bin edges over [lo, hi]. */
export const binEdges = (lo: number, hi: number, bins: number): Array<number> =>
  Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + ((hi - lo) * k) / bins))

/** An accumulating histogram: `add` values, then `result()`. The last bin is closed on the right. */
export const histogramAccumulator = (edges: ReadonlyArray<number>) => {
  const bins = edges.length - 1
  const lo = edges[0]!
  const hi = edges[bins]!
  const counts = new Array<number>(bins).fill(0)
  let total = 0
  return {
    add: (value: number) => {
      total++
      if (!(value >= lo && value <= hi)) return
      counts[Math.min(bins - 1, Math.floor(((value - lo) / (hi - lo)) * bins))]!++
    },
    result: (): Histogram => {
      const width = (hi - lo) / bins
      return {
        edges: [...edges],
        counts,
        density: counts.map((c) => (total > 0 ? c / (total * width) : 0)),
        total
      }
    }
  }
}

/** The histogram of the values over the given edges. */
export const histogram = (values: ArrayLike<number>, edges: ReadonlyArray<number>): Histogram => {
  const h = histogramAccumulator(edges)
  for (let k = 0; k < values.length; k++) h.add(values[k]!)
  return h.result()
}
