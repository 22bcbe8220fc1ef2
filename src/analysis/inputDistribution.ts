/**
 * The distribution of the training stimuli against the prior they are meant to follow: the
 * reference's `input_distribution_plot` (`pl_plotters_cr.py`, a normalized histogram of the
 * training angles). The training angles follow the reference's Langevin sampler, whose drift
 * lacks a factor ½ (README "Notes on the reference"): its stationary distribution is von Mises(μ, 2κ),
 * not the nominal prior von Mises(μ, κ), and each trial starts from a von Mises(μ, κ) draw. The
 * histogram is drawn against both densities.
 *
 * The reference uses matplotlib's default 10 bins over the data's range; we bin the circle
 * [−π, π] evenly (default 36 bins of 10°).
 */
import { binEdges, type Histogram, histogramAccumulator } from "./histogram.js"
import type { VonMises } from "./vonMisesDensity.js"
import { vonMisesDensity } from "./vonMisesDensity.js"

export interface InputDistribution {
  /** Density histogram of the angles over [−π, π]. */
  readonly histogram: Histogram
  /** The nominal prior von Mises(μ, κ) and the sampler's stationary von Mises(μ, 2κ), on a grid. */
  readonly nominal: { angles: Array<number>; density: Array<number>; prior: VonMises }
  readonly stationary: { angles: Array<number>; density: Array<number>; prior: VonMises }
}

/** An accumulating histogram of angles over [−π, π] (feed one trial's angles at a time). */
export const angleHistogramAccumulator = (bins = 36) => histogramAccumulator(binEdges(-Math.PI, Math.PI, bins))

/** The histogram next to the nominal and the stationary density. */
export const inputDistribution = (histogram: Histogram, prior: VonMises, points = 181): InputDistribution => {
  const angles = Array.from({ length: points }, (_, k) => -Math.PI + (2 * Math.PI * k) / (points - 1))
  const stationary = { mu: prior.mu, kappa: 2 * prior.kappa }
  return {
    histogram,
    nominal: { angles, density: angles.map((a) => vonMisesDensity(a, prior)), prior },
    stationary: { angles, density: angles.map((a) => vonMisesDensity(a, stationary)), prior: stationary }
  }
}
