/**
 * What the submitter (`BullExecutor`), the worker (`BullWorker`) and the sandboxed processor
 * share: the queue's name, the job's data and result, the Redis connection, the retry and lock
 * settings, and the per-key computation log.
 *
 * A job is one stage run: its id is the stage key, so BullMQ adds a key at most once and a stage
 * queued, running or done is never computed twice. Its data names the pipeline, its encoded
 * params and the node; the worker plans the pipeline itself and refuses the job if its key
 * differs (other code or params on that machine).
 *
 * Environment: PIPELINE_QUEUE (queue name), PIPELINE_LOCK_DURATION_MS (default 60000),
 * PIPELINE_STALLED_INTERVAL_MS (30000), PIPELINE_MAX_STALLED (2), PIPELINE_JOB_ATTEMPTS (3).
 *
 * @module Queue
 */
import { hostname } from "node:os"
import { join } from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"

/** The BullMQ queue stage jobs go to (one per Redis database; override with PIPELINE_QUEUE). */
export const queueName = (): string => process.env.PIPELINE_QUEUE || "plastic-net-stages"

/** What a stage job carries. */
export interface JobData {
  readonly pipeline: string
  /** The pipeline's Schema-encoded params (the plan's `encodedParams`). */
  readonly params: unknown
  /** The node (stage run) to compute. */
  readonly node: string
  /** Its stage key, as the submitter planned it (also the job id). */
  readonly key: string
  /** Recompute even when cached (`pipeline run --force`). */
  readonly force: boolean
}

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

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name])
  return process.env[name] !== undefined && process.env[name] !== "" && Number.isFinite(v) ? v : fallback
}

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

/** Options of every stage job: retried with backoff; finished jobs kept a week for `status`. */
export const jobOptions = (key: string) => ({
  jobId: key,
  attempts: Math.max(1, int("PIPELINE_JOB_ATTEMPTS", 3)),
  backoff: { type: "exponential" as const, delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 }
})

/**
 * Lock and stall settings for minutes-long stages: a worker renews each job's lock every
 * lockDuration/2 (from its main event loop, which runs no stage code); a job whose lock lapsed
 * (its worker died) is found by the stalled check and moved back to wait, up to maxStalledCount
 * times, then retried elsewhere from its last checkpoint.
 */
export const workerSettings = () => ({
  lockDuration: int("PIPELINE_LOCK_DURATION_MS", 60_000),
  stalledInterval: int("PIPELINE_STALLED_INTERVAL_MS", 30_000),
  maxStalledCount: int("PIPELINE_MAX_STALLED", 2)
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
export const computationLog = (cacheDir: string, key: string): string => join(cacheDir, ".computations", `${key}.jsonl`)

/** Appends one event to a key's computation log (one short `O_APPEND` write; best effort). */
export const appendComputation = (cacheDir: string, event: ComputationEvent) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    yield* fs.makeDirectory(join(cacheDir, ".computations"), { recursive: true })
    yield* fs.writeFileString(computationLog(cacheDir, event.key), `${JSON.stringify(event)}\n`, { flag: "a" })
  }).pipe(Effect.ignore)
