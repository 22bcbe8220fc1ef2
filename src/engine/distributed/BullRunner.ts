/**
 * The BullMQ runner: computes a stage as a job of the queue that `pipeline worker`s take, on any
 * machine sharing the cache (docs/distributed.md). The scheduler walks the DAG as it does for a
 * local run; a node it hands here is submitted as a job whose id is its stage key (BullMQ adds an
 * id once, so a stage queued, running or done is never computed twice, also when several
 * submitters share it), and waited for; its entry is then read from the shared cache. The
 * progress workers report reaches this terminal through `Progress`.
 *
 * The connection to Redis is opened when the first stage is submitted (a run whose stages are all
 * cached never connects), and closed with the layer. Loaded only for `--executor bullmq` (the local
 * path never imports BullMQ).
 *
 * @module BullRunner
 */
import { Queue as BullQueue, type Job, QueueEvents } from "bullmq"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Cache from "../Cache.js"
import { StageFailedError } from "../Errors.js"
import * as Progress from "../Progress.js"
import * as Runner from "../Runner.js"
import * as Queue from "./Queue.js"

/** Options of the BullMQ runner. */
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
export const connect = (url: string, queueName: string, timeoutMs = 10_000) =>
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
    const queue = yield* open(() => new BullQueue<Queue.JobData, Queue.JobResult>(queueName, { connection }))
    const events = yield* open(() => new QueueEvents(queueName, { connection }))
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

/** Builds the BullMQ runner (needs Cache and Progress; connects on first use). */
export const make = (options: Options) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const progress = yield* Progress.Progress
    const settings = yield* Queue.jobSettings
    const scope = yield* Effect.scope
    const nudges = new Map<string, Deferred.Deferred<void>>()
    const watched = new Map<string, { node: string; worker?: string | undefined }>()

    /** Connects once, wiring the event stream to the waiting nodes and the progress bars. */
    const connected = yield* Effect.cached(
      Effect.gen(function* () {
        const { queue, events } = yield* connect(options.redis, settings.queue, options.connectTimeoutMs)
        // Events only hurry the wait up: each waiting node also polls its job's state.
        const nudge = ({ jobId }: { jobId: string }) => {
          const d = nudges.get(jobId)
          if (d !== undefined) Effect.runSync(Deferred.succeed(d, undefined))
        }
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
        return queue
      }).pipe(Scope.extend(scope))
    )

    const compute: Runner.Runner["compute"] = (request) =>
      Effect.gen(function* () {
        const { plan, node, forced } = request
        const queue = yield* connected.pipe(
          Effect.mapError((e) => new StageFailedError({ stage: node.name, key: node.key, detail: e.message }))
        )
        const redis = <A>(f: () => Promise<A>) =>
          Effect.tryPromise({
            try: f,
            catch: (e) =>
              new StageFailedError({
                stage: node.name,
                key: node.key,
                detail: `the queue at ${Queue.redact(options.redis)} failed: ${String((e as Error)?.message ?? e)}`
              })
          })
        const data: Queue.JobData = { request: plan.request, node: node.name, key: node.key, force: forced }
        const add = Effect.gen(function* () {
          // A finished job of an earlier run whose entry is gone (gc, corrupt, rerun) is replaced.
          const old = yield* redis(() => queue.getJob(node.key))
          if (old !== undefined) {
            const state = yield* redis(() => old.getState())
            if (state === "completed" || state === "failed") yield* Effect.ignore(redis(() => old.remove()))
          }
          yield* redis(() => queue.add("stage", data, settings.options(node.key)))
        })
        watched.set(node.key, { node: node.name })
        yield* add
        yield* progress.log(`⇢ ${node.name}: queued (${short(node.key)})`)
        let readded = false
        const finished: Queue.JobResult = yield* Effect.gen(function* () {
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
              const hit = yield* request.lookup
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
        })
        const entry = yield* cache.verify(node.key, { deep: false })
        if (Option.isNone(entry)) {
          return yield* new StageFailedError({
            stage: node.name,
            key: node.key,
            detail: `its job finished${finished.worker === "" ? "" : ` on ${finished.worker}`}, but ${cache.entryDir(node.key)} does not exist: do the workers use this cache directory (--cache / PIPELINE_CACHE, a path every machine shares)?`
          })
        }
        return {
          status: finished.status,
          manifest: entry.value,
          result: Option.none(),
          worker: entry.value.worker ?? finished.worker
        } satisfies Runner.Computed
      }).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            nudges.delete(request.node.key)
            watched.delete(request.node.key)
          })
        ),
        Effect.ensuring(progress.finish(request.node.name))
      )

    return {
      name: `bullmq at ${Queue.redact(options.redis)}`,
      memoryBudget: undefined,
      compute
    } satisfies Runner.Runner
  })

/** The BullMQ runner as a Layer (needs Cache and Progress). */
export const layer = (options: Options) => Layer.scoped(Runner.Runner, make(options))
