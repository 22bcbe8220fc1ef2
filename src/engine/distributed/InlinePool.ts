/**
 * A `WorkerPool` of size 1 that runs each task inline, on the calling thread. The distributed
 * processor already runs on a BullMQ sandbox worker thread (never on the worker's main event
 * loop), so starting another thread per task would only add start-up and copying. Inputs and
 * results are structured-cloned (with the transfer list) exactly as a thread pool would, so a
 * task or its caller that mutates an array sees the same thing here as on a real pool.
 *
 * @module InlinePool
 */
import * as Effect from "effect/Effect"
import { TaskFailedError } from "../Errors.js"
import type * as WorkerPool from "../WorkerPool.js"

const modules = new Map<string, Promise<Record<string, unknown>>>()

const load = (url: string) => {
  let m = modules.get(url)
  if (m === undefined) {
    m = import(url) as Promise<Record<string, unknown>>
    modules.set(url, m)
  }
  return m
}

/** The inline pool. */
export const inlinePool: WorkerPool.WorkerPool = {
  size: 1,
  run: (task, input, transfer = []) =>
    Effect.tryPromise({
      try: async () => {
        const fn = (await load(task.module))[task.export]
        if (typeof fn !== "function") throw new Error(`${task.module} has no exported function ${task.export}`)
        const value = await (fn as (x: unknown) => unknown)(
          structuredClone(input, { transfer: transfer as Array<Transferable> })
        )
        return structuredClone(value)
      },
      catch: (e) =>
        new TaskFailedError({
          task: `${task.module.split("/").pop()}#${task.export}`,
          detail: String((e as Error)?.stack ?? e)
        })
    })
}
