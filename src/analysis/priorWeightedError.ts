import type { ErrorByAngle } from "./errorByAngle.js"
import type { VonMises } from "./vonMisesDensity.js"
import { vonMisesDensity } from "./vonMisesDensity.js"

export interface PriorWeightedError {
  /** Normalized prior weights w_a ∝ p(a) over the test angles that occur. */
  readonly weights: Array<{ angle: number; weight: number }>
  /** Estimation: Σ_a w_a·mse_a; the plain mean over angles alongside, for comparison. */
  readonly mse?: { priorWeighted: number; uniform: number }
  /** Classification: the same for the accuracy and the log-likelihood. */
  readonly accuracy?: { priorWeighted: number; uniform: number }
  readonly logLikelihood?: { priorWeighted: number; uniform: number }
}

/**
 * The mean error over the test angles weighted by the nominal stimulus prior von Mises(μ, κ) (the
 * run's `mu_in`, `kappa_in`): the error expected for stimuli drawn from that prior, whereas the test
 * draws its angles uniformly. It is not the error on the training stimuli: the reference's
 * Langevin sampler drifts towards von Mises(μ, 2κ) (README "Notes on the reference").
 * Empty `weights` (and no figures) if the error has no angle.
 */
export const priorWeightedError = (errors: ErrorByAngle, prior: VonMises): PriorWeightedError => {
  const angles =
    errors.task === "estimation" ? errors.mseByAngle.map((e) => e.angle) : errors.accuracyByAngle.map((e) => e.angle)
  if (angles.length === 0) return { weights: [] }
  const density = angles.map((angle) => vonMisesDensity(angle, prior))
  const norm = density.reduce((a, b) => a + b, 0)
  const weights = angles.map((angle, k) => ({ angle, weight: density[k]! / norm }))
  const average = (values: ReadonlyArray<number>) => ({
    priorWeighted: values.reduce((acc, v, k) => acc + weights[k]!.weight * v, 0),
    uniform: values.reduce((a, b) => a + b, 0) / values.length
  })
  return errors.task === "estimation"
    ? { weights, mse: average(errors.mseByAngle.map((e) => e.mse)) }
    : {
        weights,
        accuracy: average(errors.accuracyByAngle.map((e) => e.accuracy)),
        logLikelihood: average(errors.logLikelihoodByAngle.map((e) => e.logLikelihood))
      }
}
