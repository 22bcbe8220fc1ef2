import { besselI0 } from "./besselI0.js"

/** The stimulus prior of the paper: von Mises with μ = 0, κ = 0.75 (README §2, `mu_in`, `kappa_in`). */
export const stimulusPrior = { mu: 0, kappa: 0.75 } as const

/** Parameters of a von Mises distribution on the circle. */
export interface VonMises {
  readonly mu: number
  readonly kappa: number
}

/** The von Mises density p(θ) = exp(κ·cos(θ − μ)) / (2π·I₀(κ)), per radian. */
export const vonMisesDensity = (theta: number, prior: VonMises = stimulusPrior): number =>
  Math.exp(prior.kappa * Math.cos(theta - prior.mu)) / (2 * Math.PI * besselI0(prior.kappa))
