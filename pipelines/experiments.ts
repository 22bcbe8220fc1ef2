/**
 * The experiments of every task (DESIGN §14): `pipeline run estimation`, `classification` (the
 * paper's two), `mixed` and `bci` (the reference's other two objectives, its README §10). One
 * pipeline per task of the model's registry (src/model/tasks/index.ts), named by its id: a task
 * added there (with its experiment, stages/experiments/) is a pipeline with no line here.
 */
import { type TaskId, taskIds } from "../src/model/tasks/index.js"
import { experiment } from "./experiment.js"

/** Estimation: N = 40 neurons report the stimulus angle through a linear decoder (MSE objective). */
export const estimation = experiment("estimation")

/** Classification: N = 25 neurons report the side of θ = 0 through a logistic decoder. */
export const classification = experiment("classification")

/** Mixed: one network reports the angle and its side of θ = 0 at once (λ_MSE·MSE + λ_LL·log-likelihood). */
export const mixed = experiment("mixed")

/** BCI: a fixed decoder's output, fed back as the only input, is rewarded inside a window. */
export const bci = experiment("bci")

const typed: Partial<Record<TaskId, ReturnType<typeof experiment>>> = { estimation, classification, mixed, bci }

/** Every task's experiment, in the registry's order. */
export const experimentPipelines = taskIds.map((id) => typed[id] ?? experiment(id))
