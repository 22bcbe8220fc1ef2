import { besselI0 } from "./besselI0.js"

/** Parameters of a von Mises distribution on the circle. */
export interface VonMises {
  readonly mu: number
  readonly kappa: number
}

/** The von Mises density p(θ) = exp(κ·cos(θ − μ)) / (2π·I₀(κ)), per radian. */
export const vonMisesDensity = (theta: number, prior: VonMises): number =>
  Math.exp(prior.kappa * Math.cos(theta - prior.mu)) / (2 * Math.PI * besselI0(prior.kappa))
