/**
 * Where each stage of a distributed run is in the queue (`pipeline status NAME --redis URL`): the
 * job whose id is the stage key is queued, running, done or failed, or there is none.
 *
 * @module BullStatus
 */
import * as Effect from "effect/Effect"
import { connect } from "./BullRunner.js"
import * as Queue from "./Queue.js"

/** A stage's job, as `status` shows it. */
export interface JobState {
  readonly state: "none" | "queued" | "running" | "done" | "failed"
  /** The worker running it, or the one that ran it. */
  readonly worker?: string
  /** Progress of a running job (done of total). */
  readonly done?: number
  readonly total?: number
  /** Attempts made so far (a retried job: > 1). */
  readonly attempts?: number
  readonly failedReason?: string
}

const states: Record<string, JobState["state"]> = {
  waiting: "queued",
  delayed: "queued",
  prioritized: "queued",
  "waiting-children": "queued",
  active: "running",
  completed: "done",
  failed: "failed"
}

/** The queue state of each key's job. */
export const jobStates = (redis: string, keys: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const { queue: name } = yield* Queue.jobSettings
    const { queue } = yield* connect(redis, name)
    const out: Record<string, JobState> = {}
    for (const key of keys) {
      const job = yield* Effect.promise(() => queue.getJob(key))
      if (job === undefined) {
        out[key] = { state: "none" }
        continue
      }
      const state = states[yield* Effect.promise(() => job.getState())] ?? "none"
      const progress = job.progress as Partial<Queue.JobProgress> | number
      const worker =
        state === "running" && typeof progress === "object" ? (progress.worker ?? job.processedBy) : job.processedBy
      out[key] = {
        state,
        ...(worker === undefined ? {} : { worker }),
        ...(state === "running" && typeof progress === "object" && typeof progress.done === "number"
          ? { done: progress.done, total: progress.total ?? progress.done }
          : {}),
        ...(job.attemptsMade > 0 ? { attempts: job.attemptsMade } : {}),
        ...(state === "failed" ? { failedReason: job.failedReason } : {})
      }
    }
    return out
  }).pipe(Effect.scoped)
