import type { GroupingOptions } from "./angleGroups.js"
import type { Recording } from "./recording.js"
import { tuningCurves } from "./tuningCurves.js"
import type { VonMises } from "./vonMisesDensity.js"
import { vonMisesDensity } from "./vonMisesDensity.js"

export interface PreferredAngleDistributionOptions extends GroupingOptions {
  /** Number of bins on the circle (default 12, one per test angle). */
  readonly bins?: number
  /** "vector" (default): the vector-sum preferred angle; "argmax": the angle of the largest mean. */
  readonly method?: "vector" | "argmax"
  /** The prior to compare with: the run's von Mises(μ, κ). */
  readonly prior: VonMises
  /** Points of the prior density curve over [−π, π] (default 181). */
  readonly curvePoints?: number
}

export interface PreferredAngleDistribution {
  readonly method: "vector" | "argmax"
  /** Neurons counted (those with a defined preferred angle; for "vector", selectivity > 0). */
  readonly neurons: number
  /** Bin width 2π/bins (rad). */
  readonly binWidth: number
  /**
   * Bin centers −π + k·width. Bins are centered on these (so with 12 bins, on the test angles);
   * bin 0 wraps around: it covers [π − width/2, π) ∪ [−π, −π + width/2).
   */
  readonly centers: Array<number>
  readonly counts: Array<number>
  /** counts / (neurons · width): the empirical density per radian, comparable with the prior. */
  readonly density: Array<number>
  /** Prior probability of each bin (integrated density), and the count it implies: neurons × mass. */
  readonly priorMass: Array<number>
  readonly expectedCounts: Array<number>
  /** The prior density on a grid over [−π, π], for drawing. */
  readonly priorCurve: Array<{ angle: number; density: number }>
}

/** Wraps an angle to [−π, π). */
const wrap = (theta: number): number => {
  const t = (((theta + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)
  return t - Math.PI
}

/** ∫ p over [a, b] by composite Simpson with 64 intervals (the density is smooth and periodic). */
const integrate = (a: number, b: number, prior: VonMises): number => {
  const n = 64
  const h = (b - a) / n
  let sum = vonMisesDensity(a, prior) + vonMisesDensity(b, prior)
  for (let k = 1; k < n; k++) sum += (k % 2 === 1 ? 4 : 2) * vonMisesDensity(a + k * h, prior)
  return (sum * h) / 3
}

/**
 * Histogram of the neurons' preferred angles on the circle against the stimulus prior: does the
 * population devote more neurons to likely stimuli?
 */
export const preferredAngleDistribution = (
  recording: Recording,
  options: PreferredAngleDistributionOptions
): PreferredAngleDistribution => {
  const bins = options.bins ?? 12
  const method = options.method ?? "vector"
  const prior = options.prior
  const curvePoints = options.curvePoints ?? 181
  const tuning = tuningCurves(recording, options)
  const preferred =
    method === "argmax"
      ? tuning.preferredAngle
      : tuning.vectorPreferredAngle.filter((_, i) => tuning.selectivity[i]! > 0)
  const width = (2 * Math.PI) / bins
  const centers = Array.from({ length: bins }, (_, k) => -Math.PI + k * width)
  const counts = new Array<number>(bins).fill(0)
  for (const theta of preferred) {
    // Bin k covers [c_k − w/2, c_k + w/2); shift by half a bin and wrap.
    const k = Math.floor((wrap(theta + width / 2) + Math.PI) / width) % bins
    counts[k]!++
  }
  const neurons = preferred.length
  const priorMass = centers.map((c) => integrate(c - width / 2, c + width / 2, prior))
  return {
    method,
    neurons,
    binWidth: width,
    centers,
    counts,
    density: counts.map((c) => (neurons > 0 ? c / (neurons * width) : 0)),
    priorMass,
    expectedCounts: priorMass.map((m) => m * neurons),
    priorCurve: Array.from({ length: curvePoints }, (_, k) => {
      const angle = -Math.PI + (2 * Math.PI * k) / (curvePoints - 1)
      return { angle, density: vonMisesDensity(angle, prior) }
    })
  }
}
