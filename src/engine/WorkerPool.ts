/**
 * The shared worker-thread pool that runs CPU-heavy stage work (`ctx.runTask`). A task is a pure
 * exported function of a structured-cloneable input, named by its module URL and export name.
 * Workers start lazily (a warm run that computes nothing starts none). Under tsx/vitest task
 * modules are `.ts` files: the worker then registers tsx's loader before importing them; compiled
 * `.js` modules load directly. Interrupting a task terminates its worker.
 *
 * @module WorkerPool
 */

import { createRequire } from "node:module"
import { pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { TaskFailedError } from "./Errors.js"
import type { TaskRef } from "./Stage.js"

/** The pool service. */
export interface WorkerPool {
  readonly size: number
  readonly run: (
    task: TaskRef,
    input: unknown,
    transfer?: ReadonlyArray<Transferable>
  ) => Effect.Effect<unknown, TaskFailedError>
}

/** The pool service tag. */
export const WorkerPool = Context.GenericTag<WorkerPool>("plastic-net/engine/WorkerPool")

// The worker's bootstrap (CommonJS, evaluated): loads tsx only for .ts modules, caches imports.
const bootstrap = `
const { parentPort, workerData } = require("node:worker_threads")
const modules = new Map()
let tsx
const load = async (url) => {
  if (/\\.m?tsx?$/.test(url)) {
    if (tsx === undefined) tsx = import(workerData.tsxApi).then((api) => api.register())
    await tsx
  }
  let m = modules.get(url)
  if (m === undefined) { m = import(url); modules.set(url, m) }
  return m
}
parentPort.on("message", async (msg) => {
  try {
    const mod = await load(msg.module)
    const fn = mod[msg.export]
    if (typeof fn !== "function") throw new Error(msg.module + " has no exported function " + msg.export)
    const value = await fn(msg.input)
    parentPort.postMessage({ id: msg.id, ok: true, value })
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String((e && e.stack) || e) })
  }
})
`

interface Job {
  readonly id: number
  readonly task: TaskRef
  readonly input: unknown
  readonly transfer: ReadonlyArray<Transferable>
  readonly done: (result: { ok: true; value: unknown } | { ok: false; error: string }) => void
}

interface Slot {
  readonly worker: Worker
  job: Job | undefined
}

const taskName = (task: TaskRef) => `${task.module.split("/").pop()}#${task.export}`

/** A pool of `size` worker threads, terminated when the scope closes. */
export const make = (size: number) =>
  Effect.gen(function* () {
    // tsx's ESM entry (its CommonJS entry cannot register hooks from an evaluated worker).
    const tsxApi = pathToFileURL(
      createRequire(import.meta.url)
        .resolve("tsx/esm/api")
        .replace(/\.cjs$/, ".mjs")
    ).href
    const slots = new Set<Slot>()
    const queue: Array<Job> = []
    let nextId = 0
    let closed = false

    const spawn = (): Slot => {
      const worker = new Worker(bootstrap, { eval: true, workerData: { tsxApi } })
      const slot: Slot = { worker, job: undefined }
      worker.on("message", (msg: { id: number; ok: boolean; value?: unknown; error?: string }) => {
        const job = slot.job
        slot.job = undefined
        if (job !== undefined && job.id === msg.id) {
          job.done(msg.ok ? { ok: true, value: msg.value } : { ok: false, error: msg.error ?? "unknown error" })
        }
        dispatch()
      })
      const lost = (why: string) => {
        slots.delete(slot)
        const job = slot.job
        slot.job = undefined
        job?.done({ ok: false, error: why })
        dispatch()
      }
      worker.on("error", (e) => lost(String(e.stack ?? e)))
      worker.on("exit", (code) => lost(`its worker thread exited with code ${code}`))
      slots.add(slot)
      return slot
    }

    const dispatch = () => {
      while (!closed && queue.length > 0) {
        let idle: Slot | undefined
        for (const s of slots) if (s.job === undefined) idle = s
        if (idle === undefined && slots.size < size) idle = spawn()
        if (idle === undefined) return
        const job = queue.shift()!
        idle.job = job
        idle.worker.postMessage(
          { id: job.id, module: job.task.module, export: job.task.export, input: job.input },
          job.transfer as Array<Transferable> as never
        )
      }
    }

    yield* Effect.addFinalizer(() =>
      Effect.promise(() => {
        closed = true
        return Promise.all([...slots].map((s) => s.worker.terminate().catch(() => 0)))
      })
    )

    const run: WorkerPool["run"] = (task, input, transfer = []) =>
      Effect.async<unknown, TaskFailedError>((resume) => {
        const job: Job = {
          id: nextId++,
          task,
          input,
          transfer,
          done: (r) =>
            resume(
              r.ok
                ? Effect.succeed(r.value)
                : Effect.fail(new TaskFailedError({ task: taskName(task), detail: r.error }))
            )
        }
        queue.push(job)
        dispatch()
        return Effect.sync(() => {
          const queued = queue.indexOf(job)
          if (queued >= 0) queue.splice(queued, 1)
          for (const s of slots) {
            if (s.job === job) {
              s.job = undefined
              slots.delete(s)
              void s.worker.terminate()
            }
          }
        })
      })

    return { size, run } satisfies WorkerPool
  })
