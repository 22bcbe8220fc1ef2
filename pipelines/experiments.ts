/**
 * The experiments of every task (DESIGN §14): `pipeline run estimation`, `classification` (the
 * paper's two), `mixed` and `bci` (the reference's other two objectives, its README §10).
 */
import { experiment } from "./experiment.js"

/** Estimation: N = 40 neurons report the stimulus angle through a linear decoder (MSE objective). */
export const estimation = experiment("estimation")

/** Classification: N = 25 neurons report the side of θ = 0 through a logistic decoder. */
export const classification = experiment("classification")

/** Mixed: one network reports the angle and its side of θ = 0 at once (λ_MSE·MSE + λ_LL·log-likelihood). */
export const mixed = experiment("mixed")

/** BCI: a fixed decoder's output, fed back as the only input, is rewarded inside a window. */
export const bci = experiment("bci")
