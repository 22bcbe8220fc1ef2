/**
 * What the submitter (`BullRunner`), the worker (`BullWorker`) and the sandboxed processor
 * share: the queue's name, the job's data and result, the Redis connection, the retry and lock
 * settings, and the per-key computation log.
 *
 * A job is one stage run: its id is the stage key, so BullMQ adds a key at most once and a stage
 * queued, running or done is never computed twice. Its data says how to plan the run (a pipeline
 * and its encoded params, or a sweep) and names the node; the worker plans it itself and refuses
 * the job if its key differs (other code or params on that machine). A job's data comes from
 * Redis, which anyone reaching it can write: it is decoded by {@link JobData} (the key must be a
 * stage key) before any of it is used.
 *
 * Settings (Settings.ts): PIPELINE_QUEUE, PIPELINE_LOCK_DURATION_MS, PIPELINE_STALLED_INTERVAL_MS,
 * PIPELINE_MAX_STALLED, PIPELINE_JOB_ATTEMPTS.
 *
 * @module Queue
 */
import { hostname } from "node:os"
import { join } from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { isKey } from "../cache/Layout.js"
import * as Settings from "../Settings.js"

/** How to plan the job's run again (see `Plan.Request`). */
const Request = Schema.Union(
  Schema.Struct({ kind: Schema.Literal("run"), pipeline: Schema.String, params: Schema.Unknown }),
  Schema.Struct({
    kind: Schema.Literal("sweep"),
    pipeline: Schema.String,
    grid: Schema.Struct({
      sets: Schema.Array(Schema.String),
      axes: Schema.Array(Schema.Struct({ key: Schema.String, values: Schema.Array(Schema.String) }))
    })
  })
)

/** What a stage job carries. */
export const JobData = Schema.Struct({
  /** How to plan the run the node belongs to. */
  request: Request,
  /** The node (stage run) to compute. */
  node: Schema.String,
  /** Its stage key, as the submitter planned it (also the job id): 64 hex digits. */
  key: Schema.String.pipe(Schema.filter((k) => isKey(k) || "a stage key (64 hex digits)")),
  /** Recompute even when cached (`pipeline run --rerun`). */
  force: Schema.Boolean
})
export type JobData = typeof JobData.Type

/** What a finished stage job returns. */
export interface JobResult {
  readonly status: "cached" | "ran" | "resumed"
  readonly seconds: number
  readonly outputDigest: string
  /** `host:pid` of the worker that ran the job. */
  readonly worker: string
}

/** What a running stage job reports through `job.updateProgress`. */
export interface JobProgress {
  readonly node: string
  readonly done: number
  readonly total: number
  readonly note?: string
  readonly worker: string
}

/** `host:pid` of this process (worker threads share their process's pid). */
export const workerId = (): string => `${hostname()}:${process.pid}`

/**
 * The Redis connection options of a `redis://[user:password@]host:port[/db]` (or `rediss://`,
 * TLS) URL. `maxRetriesPerRequest: null` is what BullMQ's blocking connections require.
 */
export const connection = (url: string) => {
  const parsed = new URL(url)
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error(`--redis must be a redis:// or rediss:// URL, not "${url}".`)
  }
  return { url, maxRetriesPerRequest: null } as const
}

/** The URL without its password, for messages. */
export const redact = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.password !== "") parsed.password = "***"
    return parsed.toString().replace(/\/$/, "")
  } catch {
    return "(an invalid URL)"
  }
}

/** The queue's name and the options of every stage job: retried with backoff; finished jobs kept a week for `status`. */
export const jobSettings = Effect.gen(function* () {
  const queue = yield* Settings.read(Settings.queue)
  const attempts = yield* Settings.read(Settings.jobAttempts)
  return {
    queue,
    options: (key: string) => ({
      jobId: key,
      attempts,
      backoff: { type: "exponential" as const, delay: 2000 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
      removeOnFail: { age: 7 * 24 * 3600 }
    })
  }
})

/**
 * Lock and stall settings for minutes-long stages: a worker renews each job's lock every
 * lockDuration/2 (from its main event loop, which runs no stage code); a job whose lock lapsed
 * (its worker died) is found by the stalled check and moved back to wait, up to maxStalledCount
 * times, then retried elsewhere from its last checkpoint.
 */
export const workerSettings = Effect.gen(function* () {
  return {
    lockDuration: yield* Settings.read(Settings.jobLockMs),
    stalledInterval: yield* Settings.read(Settings.stalledIntervalMs),
    maxStalledCount: yield* Settings.read(Settings.maxStalled)
  }
})

/** One event of a stage job in the computation log. */
export interface ComputationEvent {
  readonly event: "start" | "end" | "error"
  readonly key: string
  readonly node: string
  readonly worker: string
  /** BullMQ's attempt counter when the job started. */
  readonly attempt: number
  readonly at: string
  /** How the run ended ("ran" and "resumed" mean this worker computed and committed the entry). */
  readonly status?: JobResult["status"]
  readonly detail?: string
}

/** The computation log of a key: `<cache>/.computations/<key>.jsonl`, one event per line. */
export const computationLog = (cacheDir: string, key: string): string => {
  if (!isKey(key)) throw new Error(`"${key}" is not a stage key`)
  return join(cacheDir, ".computations", `${key}.jsonl`)
}

/**
 * Appends one event to a key's computation log (one short `O_APPEND` write; best effort). Readers
 * skip lines that do not parse (a torn last line after a crash).
 */
export const appendComputation = (cacheDir: string, event: ComputationEvent) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const file = yield* Effect.try(() => computationLog(cacheDir, event.key))
    yield* fs.makeDirectory(join(cacheDir, ".computations"), { recursive: true })
    yield* fs.writeFileString(file, `${JSON.stringify(event)}\n`, { flag: "a" })
  }).pipe(Effect.ignore)
