/**
 * The registry of experiments, one per task of the model's registry (src/model/tasks/index.ts):
 * the compiler checks that every task has one. To add a task: its model (src/model/tasks/), its
 * analysis (src/analysis/tasks/), and its experiment here (`experiments/<name>.ts`, one line below).
 */
import type { TaskId } from "../../src/model/tasks/index.js"
import { bci } from "./bci.js"
import { classification } from "./classification.js"
import { estimation } from "./estimation.js"
import type { AnyExperiment } from "./experiment.js"
import { mixed } from "./mixed.js"

export const experiments = { estimation, classification, mixed, bci } as const satisfies Record<TaskId, AnyExperiment>

export type { AnyExperiment }
export { bci, classification, estimation, mixed }
