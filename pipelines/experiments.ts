/**
 * The paper's two experiments: `pipeline run estimation`, `pipeline run classification`.
 */
import { experiment } from "./experiment.js"

/** Estimation: N = 40 neurons report the stimulus angle through a linear decoder (MSE objective). */
export const estimation = experiment(
  "estimation",
  "The estimation task: train a 40-neuron network to report the stimulus angle, test it before and after."
)

/** Classification: N = 25 neurons report the side of θ = 0 through a logistic decoder. */
export const classification = experiment(
  "classification",
  "The classification task: train a 25-neuron network to report the stimulus's side of θ = 0, test before and after."
)
