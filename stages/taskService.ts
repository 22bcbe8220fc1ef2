/**
 * The task as a service tag (DESIGN §14): `train` and `test` require it, a pipeline provides the
 * implementation of its task (stages/experiments/index.ts), as it provides the plasticity rule.
 * The implementation's fingerprint is its own module under `src/model/tasks/`, so a training's key
 * covers the task it ran and no other, and editing one task reruns only that task's runs. This
 * module imports no task.
 */
import * as Context from "effect/Context"
import type { AnyTask } from "../src/model/task.js"

/** The task whose trials `train` and `test` run. */
export class TaskModel extends Context.Tag("plastic-net/TaskModel")<TaskModel, AnyTask>() {}
