/**
 * The rate nonlinearity's inverse (reference README §4.1(b)): the softplus r = β·log(1 + exp(α + γu))
 * is never evaluated by the simulation, only its inverse g(r) = (log(exp(r/β) − 1) − α)/γ.
 */

/** Above this x = r/β, log(exp(x) − 1) equals x to round-off (|log(1 − e^−x)| < 5e-18). */
export const LINEAR_ABOVE = 40
/** Below this, exp(x) is finite; above it, check for the overflow of quirk 14. */
export const OVERFLOW_NEAR = 709

/**
 * §4.1(b) g(r) = (log(exp(r/β) − 1) − α)/γ, the inverse of the softplus r = β·log(1 + exp(α + γu));
 * the step's leak term is nl = (−1·g(r_p))/R. Quirk 14: exp overflows for r > ≈23.66, giving g = +∞ and
 * nl = −∞ (the clamp then sends the rate to r_low); reproduced.
 */
export function inverseNonlinearity(r: number, beta: number, alpha: number, gamma: number): number {
  const x = r * (1 / beta)
  let logTerm: number
  if (x <= LINEAR_ABOVE) logTerm = Math.log(Math.exp(x) - 1)
  else if (x <= OVERFLOW_NEAR) logTerm = x
  else logTerm = Math.exp(x) === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : x
  return (logTerm - alpha) / gamma
}
