/**
 * `pipeline worker`: a BullMQ worker that computes stage jobs from the queue. Each job runs the
 * sandboxed processor (`processor.ts`, compiled to `dist/`) on a worker thread, so the main
 * event loop only talks to Redis and renews job locks; `concurrency` jobs run at once.
 *
 * Stopping (SIGINT/SIGTERM, i.e. interrupting {@link run}) cancels the running jobs: each stage
 * flushes its checkpoint and goes back to the queue, where another worker resumes it. A worker
 * killed outright loses its job's lock instead; the stalled check of any live worker moves the job
 * back to wait after the lock lapses, and the retry resumes from the last checkpoint.
 *
 * @module BullWorker
 */
import { existsSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { Worker } from "bullmq"
import * as Effect from "effect/Effect"
import { projectRoot } from "../ProjectRoot.js"
import * as Queue from "./Queue.js"

/** Options of {@link run}. */
export interface Options {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  readonly redis: string
  /** Jobs computed at once (each on its own worker thread). */
  readonly concurrency: number
  /** The shared cache directory (the same path, or mount, on every machine). */
  readonly cacheDir: string
  /** URL of the compiled pipeline registry (`dist/pipelines/index.js`). */
  readonly registry?: string
  /** Writes a line (stderr). */
  readonly log: (line: string) => void
}

/**
 * The processor's compiled file: `processor.js` beside this module under `dist/`; from the
 * TypeScript sources (tsx, vitest) the same path under `<root>/dist/`, which must be built.
 */
export const processorFile = (from: string = import.meta.url): string => {
  const file = fileURLToPath(new URL("./processor.js", from))
  if (!from.endsWith(".ts")) return file
  const root = projectRoot(file)
  return join(root, "dist", relative(root, file))
}

/** Runs a worker until interrupted. */
export const run = (options: Options) =>
  Effect.gen(function* () {
    const processor = processorFile()
    if (!existsSync(processor)) {
      return yield* Effect.fail(
        new Error(`The compiled processor ${processor} is missing; build with \`npm run build\` first.`)
      )
    }
    const connection = yield* Effect.try({ try: () => Queue.connection(options.redis), catch: (e) => e as Error })
    const id = Queue.workerId()
    const settings = yield* Queue.workerSettings
    const { queue } = yield* Queue.jobSettings
    const worker = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new Worker<Queue.JobData, Queue.JobResult>(queue, processor, {
            connection,
            concurrency: options.concurrency,
            useWorkerThreads: true,
            name: id,
            ...settings,
            workerThreadsOptions: {
              env: {
                ...process.env,
                PIPELINE_CACHE: options.cacheDir,
                ...(options.registry === undefined ? {} : { PIPELINE_REGISTRY: options.registry })
              }
            }
          })
      ),
      (w) =>
        Effect.promise(async () => {
          options.log(`worker ${id}: stopping; running stages go back to the queue with their checkpoints`)
          w.cancelAllJobs("the worker is stopping")
          // Bounded: with Redis gone, close() would wait for a connection that never comes.
          await Promise.race([w.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())])
        })
    )
    let lastError = ""
    worker.on("error", (e) => {
      // ioredis reconnects by itself; say so once per distinct error.
      const text = String(e?.message ?? e)
      if (text !== lastError) options.log(`worker ${id}: ${text} (retrying)`)
      lastError = text
    })
    worker.on("ready", () => {
      lastError = ""
    })
    worker.on("active", (job) => options.log(`worker ${id}: ▶ ${job.data.node} (${job.id?.slice(0, 12)})`))
    worker.on("completed", (job, result) =>
      options.log(
        `worker ${id}: ✓ ${job.data.node}: ${result.status} in ${result.seconds.toFixed(2)} s (${job.id?.slice(0, 12)})`
      )
    )
    worker.on("failed", (job, e) => {
      if (e?.name === "WaitingError") return
      const left = job === undefined ? 0 : (job.opts.attempts ?? 1) - job.attemptsMade
      options.log(
        `worker ${id}: ✗ ${job?.data.node ?? "?"}: ${e?.message ?? e}${left > 0 ? ` (will retry, ${left} attempts left)` : ""}`
      )
    })
    yield* Effect.tryPromise({
      try: () => worker.waitUntilReady(),
      catch: (e) => new Error(`Cannot reach Redis at ${Queue.redact(options.redis)}: ${String(e)}`)
    }).pipe(
      Effect.timeoutFail({
        duration: "15 seconds",
        onTimeout: () =>
          new Error(
            `Cannot reach Redis at ${Queue.redact(options.redis)} (no answer in 15 s); is redis-server running?`
          )
      })
    )
    options.log(
      `worker ${id}: computing stages from queue "${queue}" at ${Queue.redact(options.redis)}, ` +
        `${options.concurrency} at a time, cache ${options.cacheDir} (lock ${settings.lockDuration} ms, ` +
        `stalled check every ${settings.stalledInterval} ms)`
    )
    return yield* Effect.never
  }).pipe(Effect.scoped)
