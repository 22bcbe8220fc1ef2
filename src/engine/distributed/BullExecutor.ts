/**
 * The distributed executor: runs a planned pipeline on the `pipeline worker`s attached to a Redis
 * server, through BullMQ. It walks the plan in dependency order like the local executor: a node
 * with a verified cache entry is done; a node whose upstream nodes are done is submitted as a job
 * whose id is its stage key (BullMQ adds an id once, so a stage queued, running or done is never
 * computed twice, also when several submitters share it); a node whose inputs are not ready
 * waits in the DAG, not in the queue. When its job completes, the node's entry is read from the
 * shared cache. The progress that workers report reaches this terminal through `Progress`.
 *
 * Loaded only for `--executor bullmq` (the local path never imports BullMQ).
 *
 * @module BullExecutor
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { Queue as BullQueue, type Job, QueueEvents } from "bullmq"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Cache from "../Cache.js"
import { CacheIoError, StageFailedError } from "../Errors.js"
import * as Executor from "../Executor.js"
import type * as Plan from "../Plan.js"
import * as Progress from "../Progress.js"
import * as WorkerPool from "../WorkerPool.js"
import { inlinePool } from "./InlinePool.js"
import * as Queue from "./Queue.js"

/** Options of the distributed executor. */
export interface Options {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  readonly redis: string
  /** How long to wait for Redis before giving up (ms, default 10000). */
  readonly connectTimeoutMs?: number
}

/** Redis did not answer. */
export class RedisUnavailableError extends Data.TaggedError("RedisUnavailableError")<{
  readonly url: string
  readonly detail: string
}> {
  override get message() {
    return `Cannot reach Redis at ${Queue.redact(this.url)} (${this.detail}). Start redis-server there, or pass the right --redis URL (or PIPELINE_REDIS).`
  }
}

const short = (key: string) => key.slice(0, 12)

/** The queue and its event stream, closed with the scope; fails when Redis does not answer. */
export const connect = (url: string, timeoutMs = 10_000) =>
  Effect.gen(function* () {
    const connection = yield* Effect.try({
      try: () => Queue.connection(url),
      catch: (e) => new RedisUnavailableError({ url, detail: String((e as Error).message) })
    })
    // The first error before both connections are ready fails the run at once (ioredis would
    // retry for ever); later errors are reconnected by ioredis (an unhandled one would crash us).
    const failed = yield* Deferred.make<never, RedisUnavailableError>()
    const open = <A extends { on: (e: "error", f: (e: Error) => void) => unknown; close: () => Promise<void> }>(
      make: () => A
    ) =>
      Effect.acquireRelease(
        Effect.sync(() => {
          const client = make()
          client.on("error", (e: Error) => {
            const detail = String(e?.message ?? e)
            Effect.runSync(Deferred.fail(failed, new RedisUnavailableError({ url, detail })))
          })
          return client
        }),
        (client) =>
          Effect.promise(() =>
            Promise.race([client.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())])
          )
      )
    const queue = yield* open(() => new BullQueue<Queue.JobData, Queue.JobResult>(Queue.queueName(), { connection }))
    const events = yield* open(() => new QueueEvents(Queue.queueName(), { connection }))
    yield* Effect.tryPromise({
      try: () => Promise.all([queue.waitUntilReady(), events.waitUntilReady()]),
      catch: (e) => new RedisUnavailableError({ url, detail: String((e as Error)?.message ?? e) })
    }).pipe(
      Effect.raceFirst(Deferred.await(failed)),
      Effect.timeoutFail({
        duration: timeoutMs,
        onTimeout: () => new RedisUnavailableError({ url, detail: `no answer in ${timeoutMs / 1000} s` })
      })
    )
    return { queue, events }
  })

/** Builds the distributed executor (needs Cache, Progress and FileSystem; holds a Redis connection). */
export const make = (options: Options) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const progress = yield* Progress.Progress
    const fs = yield* FileSystem.FileSystem
    const local = yield* Executor.makeLocal.pipe(Effect.provideService(WorkerPool.WorkerPool, inlinePool))
    const { queue, events } = yield* connect(options.redis, options.connectTimeoutMs)

    // Events only hurry the wait up: each waiting node also polls its job's state.
    const nudges = new Map<string, Deferred.Deferred<void>>()
    const nudge = ({ jobId }: { jobId: string }) => {
      const d = nudges.get(jobId)
      if (d !== undefined) Effect.runSync(Deferred.succeed(d, undefined))
    }
    const watched = new Map<string, { node: string; worker?: string | undefined }>()
    events.on("completed", nudge)
    events.on("failed", nudge)
    events.on("removed", nudge)
    events.on("progress", ({ jobId, data }) => {
      const w = watched.get(jobId)
      const p = data as Partial<Queue.JobProgress>
      if (w === undefined || typeof p !== "object" || typeof p.done !== "number") return
      if (p.worker !== undefined && p.worker !== w.worker) {
        w.worker = p.worker
        Effect.runSync(progress.log(`▶ ${w.node}: running on ${p.worker} (${short(jobId)})`))
      }
      Effect.runSync(progress.update(w.node, p.done, p.total ?? p.done, p.note))
    })
    events.on("stalled", ({ jobId }) => {
      const w = watched.get(jobId)
      if (w === undefined) return
      Effect.runSync(
        progress.log(
          `! ${w.node}: its worker${w.worker === undefined ? "" : ` ${w.worker}`} stopped renewing the job's lock; it goes back to the queue and resumes from its checkpoint (${short(jobId)})`
        )
      )
      w.worker = undefined
    })

    const queueError = (node: Plan.PlannedNode) => (e: unknown) =>
      new StageFailedError({
        stage: node.name,
        key: node.key,
        detail: `the queue at ${Queue.redact(options.redis)} failed: ${String((e as Error)?.message ?? e)}`
      })

    /** Submits a node's job (unless one is queued or running) and waits for it to finish. */
    const submitAndWait = (plan: Plan.Plan, node: Plan.PlannedNode, forced: boolean) =>
      Effect.gen(function* () {
        const redis = <A>(f: () => Promise<A>) => Effect.tryPromise({ try: f, catch: queueError(node) })
        const data: Queue.JobData = {
          pipeline: plan.pipeline.name,
          params: plan.encodedParams,
          node: node.name,
          key: node.key,
          force: forced
        }
        const add = Effect.gen(function* () {
          // A finished job of an earlier run whose entry is gone (gc, corrupt, forced) is replaced.
          const old = yield* redis(() => queue.getJob(node.key))
          if (old !== undefined) {
            const state = yield* redis(() => old.getState())
            if (state === "completed" || state === "failed") yield* Effect.ignore(redis(() => old.remove()))
          }
          yield* redis(() => queue.add("stage", data, Queue.jobOptions(node.key)))
        })
        watched.set(node.key, { node: node.name })
        yield* add
        yield* progress.log(`⇢ ${node.name}: queued (${short(node.key)})`)
        let readded = false
        while (true) {
          const woken = yield* Deferred.make<void>()
          nudges.set(node.key, woken)
          const job: Job<Queue.JobData, Queue.JobResult> | undefined = yield* redis(() => queue.getJob(node.key))
          const state = job === undefined ? "missing" : yield* redis(() => job.getState())
          if (state === "completed" && job?.returnvalue) return job.returnvalue
          if (state === "failed") {
            return yield* new StageFailedError({
              stage: node.name,
              key: node.key,
              detail: `its job failed on ${job?.processedBy ?? "a worker"} after ${job?.attemptsMade ?? "?"} attempts: ${job?.failedReason ?? "no reason given"}`
            })
          }
          if (state === "missing" || state === "unknown") {
            // Removed (by an operator or another submitter): served by the cache, else queued again once.
            const hit = yield* cache.verify(node.key, { deep: false }).pipe(Effect.orElseSucceed(() => Option.none()))
            if (Option.isSome(hit))
              return { status: "cached", seconds: 0, outputDigest: "", worker: "" } as Queue.JobResult
            if (readded) {
              return yield* new StageFailedError({
                stage: node.name,
                key: node.key,
                detail: "its job vanished from the queue twice; is another process removing jobs?"
              })
            }
            readded = true
            yield* add
          }
          yield* Effect.race(Deferred.await(woken), Effect.sleep("2 seconds"))
        }
      }).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            nudges.delete(node.key)
            watched.delete(node.key)
          })
        ),
        Effect.ensuring(progress.finish(node.name))
      )

    const distributed = (plan: Plan.Plan, runOptions: Executor.RunOptions) =>
      Effect.gen(function* () {
        const force = new Set(runOptions.force ?? [])
        const outcomes = new Map<string, Deferred.Deferred<void, Executor.RunError>>()
        for (const node of plan.nodes) outcomes.set(node.name, yield* Deferred.make<void, Executor.RunError>())
        const reports = new Map<string, Executor.StageReport>()

        /** A verified entry, or None; a corrupt entry is reported and moved aside. */
        const lookup = (node: Plan.PlannedNode) =>
          cache.verify(node.key, { deep: runOptions.verify === true }).pipe(
            Effect.catchTag("CacheEntryCorruptError", (e) =>
              Effect.gen(function* () {
                yield* progress.log(`! ${node.name}: ${e.message}`)
                yield* cache.quarantine(node.key)
                return Option.none<Cache.Manifest>()
              })
            )
          )

        const runNode = (node: Plan.PlannedNode) =>
          Effect.gen(function* () {
            for (const name of Object.values(node.inputs)) yield* Deferred.await(outcomes.get(name)!)
            const t0 = performance.now()
            const seconds = () => Math.round(performance.now() - t0) / 1000
            const forced = force.has(node.name)
            if (!forced) {
              const hit = yield* lookup(node)
              if (Option.isSome(hit)) {
                yield* progress.log(`✓ ${node.name}: cached (${short(node.key)})`)
                reports.set(node.name, {
                  name: node.name,
                  key: node.key,
                  status: "cached",
                  seconds: seconds(),
                  outputDigest: hit.value.outputDigest
                })
                return
              }
            }
            const result = yield* submitAndWait(plan, node, forced)
            const entry = yield* cache.verify(node.key, { deep: false })
            if (Option.isNone(entry)) {
              return yield* new StageFailedError({
                stage: node.name,
                key: node.key,
                detail: `its job finished${result.worker === "" ? "" : ` on ${result.worker}`}, but ${cache.entryDir(node.key)} does not exist: do the workers use this cache directory (--cache / PIPELINE_CACHE, a path every machine shares)?`
              })
            }
            const by = entry.value.worker ?? result.worker
            yield* progress.log(
              `✓ ${node.name}: ${result.status === "cached" ? "done" : result.status}${by === "" ? "" : ` on ${by}`} in ${seconds().toFixed(2)} s (${short(node.key)})`
            )
            reports.set(node.name, {
              name: node.name,
              key: node.key,
              status: result.status,
              seconds: seconds(),
              outputDigest: entry.value.outputDigest
            })
          }).pipe(
            Effect.matchCauseEffect({
              onSuccess: () => Deferred.succeed(outcomes.get(node.name)!, undefined),
              onFailure: (cause) =>
                Effect.zipRight(Deferred.failCause(outcomes.get(node.name)!, cause), Effect.failCause(cause))
            })
          )

        yield* Effect.forEach(plan.nodes, runNode, { concurrency: "unbounded", discard: true })
        yield* cache.writeRun({
          pipeline: plan.pipeline.name,
          at: new Date().toISOString(),
          params: plan.encodedParams,
          nodes: Object.fromEntries(plan.nodes.map((n) => [n.name, n.key]))
        })
        const published: Array<string> = []
        if (runOptions.outDir !== undefined) {
          for (const t of Executor.publishTargets(plan)) {
            const bytes = yield* cache.readArtifact(t.key, t.artifact)
            const target = `${runOptions.outDir}/${t.target}`
            yield* fs.makeDirectory(target.slice(0, target.lastIndexOf("/")), { recursive: true }).pipe(
              Effect.zipRight(fs.writeFile(target, bytes)),
              Effect.mapError((e) => new CacheIoError({ reason: "Other", method: "publish", path: target, cause: e }))
            )
            published.push(target)
          }
        }
        return {
          pipeline: plan.pipeline.name,
          stages: plan.nodes.map((n) => reports.get(n.name)!),
          published
        } satisfies Executor.RunReport
      })

    const run: Executor.Executor["run"] = (plan, runOptions = {}) =>
      runOptions.dryRun === true ? local.run(plan, runOptions) : distributed(plan, runOptions)
    return { run } satisfies Executor.Executor
  })

/** The distributed executor as a Layer (needs Cache, Progress and FileSystem). */
export const layer = (options: Options) => Layer.scoped(Executor.Executor, make(options))
