/**
 * The registry of tasks, by id (DESIGN §14). To add a task: write `tasks/<name>.ts` exporting a
 * `TaskModel` (see `task.ts`), and add one line to `taskModels` below; then give it an experiment
 * (`stages/experiments/`).
 */
import { defaultModelParams, type ModelParams } from "../params.js"
import type { AnyTask } from "../task.js"
import { bci } from "./bci.js"
import { classification } from "./classification.js"
import { estimation } from "./estimation.js"
import { mixed } from "./mixed.js"

export const taskModels = {
  estimation,
  classification,
  mixed,
  bci
} as const satisfies Record<string, AnyTask>

export type TaskId = keyof typeof taskModels
export const taskIds = Object.keys(taskModels) as ReadonlyArray<TaskId>

/** The task of an id; throws an Error listing the valid ids for an unknown one. */
export function getTask(id: string): AnyTask {
  const task = (taskModels as Record<string, AnyTask>)[id]
  if (task === undefined) throw new Error(`unknown task "${id}"; valid tasks: ${taskIds.join(", ")}`)
  return task
}

/** The reference defaults of the task with this id (params.ts `defaultModelParams`). */
export const defaultParams = (id: TaskId): ModelParams => defaultModelParams(taskModels[id])

export { bci, classification, estimation, mixed }
