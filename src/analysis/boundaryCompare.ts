/**
 * The classifier's readout at the frequent and at the rare class boundary: the reference's
 * `boundary_compare` (`pl_plotters_cr.py`). Of the sorted test angles θ_0 < … < θ_11 it takes the
 * pair θ_7, θ_5 (π/6 and −π/6, either side of the boundary θ = 0, where stimuli are frequent) and
 * the pair θ_11, θ_1 (5π/6 and −5π/6, either side of ±π, where they are rare), and compares the
 * distributions of the readout u = D·r at the two angles of each pair:
 *
 *   d′ = |μ_a − μ_b| / √(½·(σ_a² + σ_b²))   (population variances).
 *
 * For another even number G of test angles the pairs are (G/2 + 1, G/2 − 1) and (G − 1, 1).
 * Every sample counts.
 */
import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups } from "./angleGroups.js"
import { readoutOf } from "./discriminability.js"
import { binEdges, type Histogram, histogram } from "./histogram.js"
import type { Recording } from "./recording.js"

export interface BoundaryPair {
  /** The angle on the positive side and the one on the negative side. */
  readonly anglePositive: number
  readonly angleNegative: number
  readonly dPrime: number | null
  readonly positive: Histogram
  readonly negative: Histogram
}

export interface BoundaryCompare {
  /** The pair either side of θ = 0 (frequent stimuli). */
  readonly frequent: BoundaryPair | null
  /** The pair either side of θ = ±π (rare stimuli). */
  readonly rare: BoundaryPair | null
}

export const boundaryCompare = (
  recording: Recording,
  options: GroupingOptions & { readonly bins?: number } = {}
): BoundaryCompare => {
  const { angles, label } = angleGroups(recording, options)
  const G = angles.length
  if (G < 4 || G % 2 !== 0) return { frequent: null, rare: null }
  const bins = Math.max(1, Math.floor(options.bins ?? 40))
  const readout = readoutOf(recording)
  const valuesOf = (g: number) => {
    const out: Array<number> = []
    for (let k = 0; k < label.length; k++) if (label[k] === g) out.push(readout[k]!)
    return out
  }
  const pair = (positive: number, negative: number): BoundaryPair => {
    const a = valuesOf(positive)
    const b = valuesOf(negative)
    const stats = (v: ReadonlyArray<number>) => {
      const mean = v.reduce((x, y) => x + y, 0) / v.length
      return { mean, variance: v.reduce((x, y) => x + (y - mean) ** 2, 0) / v.length }
    }
    const sa = stats(a)
    const sb = stats(b)
    const pooled = Math.sqrt((sa.variance + sb.variance) / 2)
    let lo = Number.POSITIVE_INFINITY
    let hi = Number.NEGATIVE_INFINITY
    for (const v of [a, b]) {
      for (const x of v) {
        if (x < lo) lo = x
        if (x > hi) hi = x
      }
    }
    if (!(hi > lo)) {
      if (!Number.isFinite(lo)) lo = hi = 0
      lo -= 0.5
      hi += 0.5
    }
    const edges = binEdges(lo, hi, bins)
    return {
      anglePositive: angles[positive]!,
      angleNegative: angles[negative]!,
      dPrime: a.length > 0 && b.length > 0 && pooled > 0 ? Math.abs(sa.mean - sb.mean) / pooled : null,
      positive: histogram(a, edges),
      negative: histogram(b, edges)
    }
  }
  return { frequent: pair(G / 2 + 1, G / 2 - 1), rare: pair(G - 1, 1) }
}
