import type { SwitchTransient } from "./angleGroups.js"
import { testAngles } from "./testAngles.js"
import type { VonMises } from "./vonMisesDensity.js"

/**
 * What the analyses of a run read from the run's own parameters — never a default: the stimulus
 * prior, the classifier's boundary, the test grid, and the reference's exclusion of the transient
 * after each test-stimulus switch from the noise statistics. The `analyze` stage builds it from
 * its params (stages/analyze.ts).
 */
export interface AnalysisSettings {
  /** The nominal stimulus prior von Mises(μ, κ) (`mu_in`, `kappa_in`). */
  readonly prior: VonMises
  /** θ_thresh: d′ and LDA split the classifier's samples at θ > boundary against θ < boundary. */
  readonly classBoundary: number
  /** The test angles: the network's preferred angles arange(−π, π, 2π/inputDim) (README §3.1). */
  readonly grid: ReadonlyArray<number>
  /**
   * Samples left out of the noise statistics (noise correlations, noise covariances, decoder
   * variance, decoder-aligned noise); undefined: none.
   */
  readonly switchTransient?: SwitchTransient
}

/** The settings of a run from its model parameters (names as in src/model/params.ts). */
export const analysisSettings = (p: {
  readonly muIn: number
  readonly kappaIn: number
  readonly thetaThresh: number
  readonly inputDim: number
  readonly dt: number
  readonly recordEvery: number
  readonly switchSeconds: number
  /** Seconds after each switch left out of the noise statistics (the reference's: 8). */
  readonly switchTransientSeconds: number
}): AnalysisSettings => ({
  prior: { mu: p.muIn, kappa: p.kappaIn },
  classBoundary: p.thetaThresh,
  grid: testAngles(p.inputDim),
  switchTransient: transientOf(p)
})

/**
 * The switch transient in steps: `switchTransientSeconds`, but at most half a presentation, so that a
 * short presentation (a quick run's `switchSeconds=5`) keeps its second half instead of losing every
 * sample.
 */
const transientOf = (p: {
  readonly dt: number
  readonly recordEvery: number
  readonly switchSeconds: number
  readonly switchTransientSeconds: number
}): SwitchTransient => {
  const switchSteps = Math.trunc(p.switchSeconds / p.dt)
  return {
    switchSteps,
    recordEvery: p.recordEvery,
    steps: Math.min(Math.round(p.switchTransientSeconds / p.dt), Math.floor(switchSteps / 2))
  }
}
