/**
 * The rate nonlinearity's inverse (reference README §4.1(b), §9.6). The simulation never evaluates
 * the forward rate function, only its inverse g, in the leak term nl = (−1·g(r_p))/R. Three pairs
 * (params `nonlinearity`, reference `param_fns['nl'/'inv_nl']`):
 *
 * - `softplus` (`relu_diff`, the default): r = β·log(1 + exp(α + γu)), g(r) = (log(exp(r/β) − 1) − α)/γ;
 * - `sigmoid` (`nl`): r = 1/(α + β·exp(−γu)), g(r) = (−1/γ)·log(1/(β·r) − α) (the exact inverse
 *   when α = 0, the reference's value; with α = 0 the forward function is (1/β)·exp(γu));
 * - `linear` (`linear`): r = α + γu, g(r) = (r − α)/γ.
 */
import type { Nonlinearity } from "./params.js"

/** Above this x = r/β, log(exp(x) − 1) equals x to round-off (|log(1 − e^−x)| < 5e-18). */
export const LINEAR_ABOVE = 40
/** Below this, exp(x) is finite; above it, check for the overflow of quirk 14. */
export const OVERFLOW_NEAR = 709

/**
 * §4.1(b) g(r) = (log(exp(r/β) − 1) − α)/γ, the inverse of the softplus r = β·log(1 + exp(α + γu));
 * the step's leak term is nl = (−1·g(r_p))/R. Quirk 14: exp overflows for r > ≈23.66, giving g = +∞ and
 * nl = −∞ (the clamp then sends the rate to r_low); reproduced.
 */
export function inverseSoftplus(r: number, beta: number, alpha: number, gamma: number): number {
  const x = r * (1 / beta)
  let logTerm: number
  if (x <= LINEAR_ABOVE) logTerm = Math.log(Math.exp(x) - 1)
  else if (x <= OVERFLOW_NEAR) logTerm = x
  else logTerm = Math.exp(x) === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : x
  return (logTerm - alpha) / gamma
}

/**
 * §9.6 g(r) = ((−1)/γ)·log((1/(β·r)) − α), the reference's `inv_nl`, in its evaluation order
 * (1/(β·r) is a division by the product β·r, not 30/r). Finite on the clamp range for α = 0.
 */
export function inverseSigmoid(r: number, beta: number, alpha: number, gamma: number): number {
  return (-1 / gamma) * Math.log(1 / (beta * r) - alpha)
}

/** §9.6 g(r) = (r − α)/γ, the reference's `inv_linear`. */
export function inverseLinear(r: number, alpha: number, gamma: number): number {
  return (r - alpha) / gamma
}

/** g(r) of the given pair (default `softplus`, the reference's and the paper's). */
export function inverseNonlinearity(
  r: number,
  beta: number,
  alpha: number,
  gamma: number,
  kind: Nonlinearity = "softplus"
): number {
  if (kind === "sigmoid") return inverseSigmoid(r, beta, alpha, gamma)
  if (kind === "linear") return inverseLinear(r, alpha, gamma)
  return inverseSoftplus(r, beta, alpha, gamma)
}

/** The code of each pair in the kernels' constants (kernels/reference.ts `integrate`, simd.as.ts). */
export const NONLINEARITY_CODE: Readonly<Record<Nonlinearity, number>> = { softplus: 0, sigmoid: 1, linear: 2 }
