/**
 * The task as a service (stages/taskService.ts): one provided implementation per registered task,
 * each with its own module's fingerprint, as stages/rules.ts does for the plasticity rules.
 */
import * as Layer from "effect/Layer"
import * as Service from "../src/engine/Service.js"
import { type TaskId, taskIds, taskModels } from "../src/model/tasks/index.js"
import { TaskModel } from "./taskService.js"

/** One provided implementation per registered task. */
export const taskImpls = Object.fromEntries(
  taskIds.map((id) => [
    id,
    Service.impl(TaskModel, id, Layer.succeed(TaskModel, taskModels[id]), taskModels[id].module)
  ])
) as Record<TaskId, Service.Impl>
