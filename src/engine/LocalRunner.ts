/**
 * The in-process runner: computes a stage in this process, its CPU work on the worker-thread pool.
 *
 * 1. Waits for room: at most `jobs` stages compute at once, and the sum of their memory estimates
 *    stays within `memoryBudget` (so a sweep of a hundred members runs a few at a time, roughly
 *    in member order, instead of allocating them all).
 * 2. Takes the key's cross-process lock; another process computing the key is waited for (outside
 *    the room), then its entry is served ("cached").
 * 3. Runs the stage with its context (params, seed, upstream readers, artifact writers, throttled
 *    checkpoints, progress, worker tasks), resuming from the key's last checkpoint if there is one.
 * 4. Commits the entry atomically, unless the lock was lost meanwhile (then it fails, committing
 *    nothing), and clears the checkpoints. An interrupted or failing stage flushes its last
 *    checkpoint and leaves no entry.
 *
 * @module LocalRunner
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { breather } from "./Breather.js"
import * as Cache from "./Cache.js"
import * as Canonical from "./Canonical.js"
import { CacheEntryCorruptError, CacheIoError, StageFailedError } from "./Errors.js"
import * as NdArray from "./NdArray.js"
import * as Plan from "./Plan.js"
import * as Progress from "./Progress.js"
import * as Runner from "./Runner.js"
import * as Saved from "./Saved.js"
import type * as Service from "./Service.js"
import type * as Stage from "./Stage.js"
import * as WorkerPool from "./WorkerPool.js"

/** Options of the local runner. */
export interface Options {
  /** Stages computing at once (default: the pool's size). */
  readonly jobs?: number
  /** The memory the running stages' estimates may add up to (bytes). */
  readonly memoryBudget: number
}

const short = (key: string) => key.slice(0, 12)
const MB = 2 ** 20

/** The layer of a set of service implementations (later ones win for the same tag). */
const servicesLayer = (impls: ReadonlyArray<Service.Impl>) =>
  impls.length === 0
    ? Layer.empty
    : (Layer.mergeAll(...(impls.map((s) => s.layer) as unknown as [Layer.Layer<never>])) as Layer.Layer<never>)

/** The local runner (needs Cache, Progress and WorkerPool). */
export const make = (options: Options) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const progress = yield* Progress.Progress
    const pool = yield* WorkerPool.WorkerPool
    const budgetMB = Math.max(1, Math.floor(options.memoryBudget / MB))
    const jobs = yield* Effect.makeSemaphore(Math.max(1, options.jobs ?? pool.size))
    const memory = yield* Effect.makeSemaphore(budgetMB)
    /** Room for one stage: a job slot, then its memory (at most the whole budget: it then runs alone). */
    const admitted = <A, E, R>(node: Plan.PlannedNode, effect: Effect.Effect<A, E, R>) =>
      jobs.withPermits(1)(
        memory.withPermits(Math.min(budgetMB, Math.max(1, Math.ceil(node.estimate.memoryBytes / MB))))(effect)
      )

    /** The transitive upstream runs of a node, upstream first (keys and params: the same for the same key). */
    const lineage = (plan: Plan.Plan, node: Plan.PlannedNode): ReadonlyArray<Stage.LineageEntry> => {
      const byName = new Map(plan.nodes.map((n) => [n.name, n]))
      const seen = new Set<string>()
      const visit = (n: Plan.PlannedNode) => {
        for (const up of Plan.upstreamNames(n)) {
          if (seen.has(up)) continue
          seen.add(up)
          visit(byName.get(up)!)
        }
      }
      visit(node)
      return plan.nodes
        .filter((n) => seen.has(n.name))
        .map((n) => ({ stage: n.stage.name, key: n.key, params: n.encodedParams }))
    }

    const upstreamReader = (up: Runner.Outcome) =>
      Effect.map(up.result, (result): Stage.Upstream<unknown> => {
        // Artifacts read piecewise are verified once, in full, on first use.
        const verified = new Set<string>()
        return {
          result,
          key: up.key,
          readArray: (file) =>
            Effect.flatMap(cache.readArtifact(up.key, file), (bytes) =>
              // Bytes that match their checksum but are no .npy: the stage asked for the wrong file.
              Effect.try({ try: () => NdArray.decodeNpy(bytes), catch: (e) => e }).pipe(Effect.orDie)
            ),
          readArrayRows: (file, start, count) =>
            Effect.gen(function* () {
              if (!verified.has(file)) {
                yield* cache.verifyArtifact(up.key, file)
                verified.add(file)
              }
              return yield* cache.readArtifactRows(up.key, file, start, count)
            }),
          readText: (file) => Effect.map(cache.readArtifact(up.key, file), (b) => new TextDecoder().decode(b)),
          path: (file) => cache.artifactPath(up.key, file)
        }
      })

    /** Runs the stage and commits its entry (the lock is held by the caller). */
    const run = (request: Runner.Request, lock: Cache.Lock) =>
      Effect.gen(function* () {
        const { plan, node } = request
        const started = new Date()
        const staging = yield* cache.stage(node.key)
        const store = cache.checkpoints(node.key)
        const saved = yield* store.load
        const resumed = Option.isSome(saved)
        let pending: { state: unknown; arrays: Readonly<Record<string, NdArray.NdArray>> } | undefined
        let lastWrite = 0
        const flush = Effect.suspend(() => {
          if (pending === undefined) return Effect.void
          const p = pending
          pending = undefined
          lastWrite = Date.now()
          return Effect.tap(store.write(p.state, p.arrays), () => Saved.checkpoints.set(node.key, node.name))
        })
        // Each call into the context lets the event loop run now and then (signals act within ~50 ms).
        const breathe = breather()
        const inputs: Record<string, Stage.Upstream<unknown> | ReadonlyArray<Stage.Upstream<unknown>>> = {}
        for (const [input, names] of Object.entries(node.inputs)) {
          inputs[input] =
            typeof names === "string"
              ? yield* upstreamReader(request.upstream[names]!)
              : yield* Effect.forEach(names, (n) => upstreamReader(request.upstream[n]!))
        }
        const ctx: Stage.StageContext<unknown, Stage.Inputs> = {
          params: node.params,
          get seed(): number {
            if (node.seed === undefined) {
              throw new Error(`Stage "${node.stage.name}" reads ctx.seed but is not declared \`random: true\`.`)
            }
            return node.seed
          },
          key: node.key,
          name: node.name,
          inputs: inputs as Stage.StageContext<unknown, Stage.Inputs>["inputs"],
          // Header and data written separately: no encoded copy of a large array.
          writeArray: (file, array) =>
            Effect.gen(function* () {
              yield* breathe
              const writer = yield* staging.openArtifact(file)
              yield* writer.write(NdArray.npyHeader(array.dtype, array.shape))
              yield* writer.write(NdArray.dataBytes(array.data))
              yield* writer.close
            }),
          writeArrayRows: (file, dtype, shape, fill) =>
            Effect.gen(function* () {
              const writer = yield* staging.openArtifact(file)
              yield* writer.write(NdArray.npyHeader(dtype, shape))
              const expected = shape.reduce((a, b) => a * b, 1)
              // The typed array class of dtype (an empty array of it), to check what `fill` appends.
              const kind = NdArray.fromBytes(dtype, [0], new Uint8Array(0)).data.constructor
              let written = 0
              yield* fill((data) =>
                Effect.suspend(() => {
                  if (data.constructor !== kind) {
                    return Effect.die(new Error(`${file}: ${data.constructor.name} data for a ${dtype} array`))
                  }
                  if (written + data.length > expected) {
                    return Effect.die(new Error(`${file}: more than the ${expected} elements of shape [${shape}]`))
                  }
                  return Effect.tap(writer.write(NdArray.dataBytes(data)), () => {
                    written += data.length
                  })
                })
              )
              if (written !== expected) {
                return yield* Effect.die(
                  new Error(`${file}: ${written} of the ${expected} elements of shape [${shape}]`)
                )
              }
              yield* writer.close
            }),
          writeText: (file, text) =>
            Effect.zipRight(breathe, staging.writeArtifact(file, new TextEncoder().encode(text))),
          checkpoint: {
            load: Effect.succeed(saved),
            save: (state, arrays = {}) =>
              Effect.suspend(() => {
                // A copy as it is now: a throttled save is written later (at the next due save, or
                // when the stage is interrupted), and the stage may go on changing what it passed.
                pending = {
                  state: JSON.parse(JSON.stringify(state)) as unknown,
                  arrays: Object.fromEntries(
                    Object.entries(arrays).map(([k, a]) => [k, NdArray.make(a.dtype, a.shape, a.data.slice())])
                  )
                }
                return Effect.zipRight(
                  breathe,
                  Date.now() - lastWrite >= request.checkpointIntervalMs ? flush : Effect.void
                )
              })
          },
          progress: (done, total, note) => Effect.zipRight(progress.update(node.name, done, total, note), breathe),
          runTask: (task, input, transfer) => pool.run(task, input, transfer) as Effect.Effect<never, never>,
          workers: pool.size,
          resumed,
          lineage: Effect.sync(() => lineage(plan, node))
        }
        yield* progress.log(
          `… ${node.name}: ${resumed ? "resuming from its checkpoint" : "running"} (${short(node.key)})`
        )
        const result = yield* (node.stage.run(ctx) as Effect.Effect<unknown, unknown, never>).pipe(
          Effect.provide(servicesLayer(node.impls)),
          Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : flush.pipe(Effect.ignore))),
          Effect.catchAllCause((cause) => stageFailure(node, cause)),
          Effect.ensuring(progress.finish(node.name))
        )
        yield* flush
        const encoded = yield* Schema.encodeUnknown(node.stage.output)(result).pipe(
          Effect.mapError(
            (e) =>
              new StageFailedError({
                stage: node.name,
                key: node.key,
                detail: `its result does not match its output Schema: ${e.message}`
              })
          )
        )
        const finished = new Date()
        const manifest = yield* staging.commit(
          {
            key: node.key,
            stage: node.stage.name,
            node: node.name,
            pipeline: plan.pipeline.name,
            params: node.encodedParams,
            upstream: node.upstream,
            fingerprint: node.fingerprint,
            services: node.services,
            outputSchema: node.outputSchema,
            runtime: Plan.runtime,
            ...(node.seed === undefined ? {} : { seed: node.seed }),
            startedAt: started.toISOString(),
            finishedAt: finished.toISOString(),
            seconds: (finished.getTime() - started.getTime()) / 1000,
            resumed,
            ...(request.worker === undefined ? {} : { worker: request.worker })
          },
          Canonical.stringify(encoded),
          lock.check
        )
        yield* store.clear
        Saved.checkpoints.delete(node.key)
        return {
          status: resumed ? "resumed" : "ran",
          manifest,
          result: Option.some(result)
        } satisfies Runner.Computed
      }).pipe(Effect.scoped)

    /** A stage's failure: interruption stays interruption; cache failures keep their own advice. */
    const stageFailure = (
      node: Plan.PlannedNode,
      cause: Cause.Cause<unknown>
    ): Effect.Effect<never, CacheIoError | StageFailedError | CacheEntryCorruptError> => {
      if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
      const failure = Cause.failureOption(cause)
      if (failure._tag === "Some" && failure.value instanceof CacheIoError) return Effect.fail(failure.value)
      const failed: Effect.Effect<never, StageFailedError | CacheEntryCorruptError> = Effect.fail(
        new StageFailedError({
          stage: node.name,
          key: node.key,
          // An expected failure (Effect.fail of an error) says what went wrong for a user: its
          // message, without a stack; a defect keeps its stack for whoever fixes the stage.
          detail:
            failure._tag === "Some" && failure.value instanceof Error
              ? failure.value.message
              : Cause.pretty(cause, { renderErrorCause: true })
        })
      )
      // An upstream artifact found corrupt while this stage read it: move that entry aside (the
      // cache re-checks it in full first: a concurrent rerun may just have replaced it) and say so,
      // so the scheduler recomputes it and reruns this stage.
      if (failure._tag === "Some" && failure.value instanceof CacheEntryCorruptError) {
        const corrupt = failure.value
        return cache
          .quarantine(corrupt.key)
          .pipe(Effect.ignore, Effect.zipRight(corrupt.key === node.key ? failed : Effect.fail(corrupt)))
      }
      return failed
    }

    /**
     * Room first, then the key's lock: a stage waiting for room holds no lock (another process
     * wanting the key is not kept waiting for a stage nobody computes yet); a lock held by another
     * process gives the room back while it waits, and its finished entry is then served.
     */
    const compute: Runner.Runner["compute"] = (request) =>
      Effect.gen(function* () {
        const { node, forced } = request
        const served = (manifest: Cache.Manifest): Runner.Computed => ({
          status: "cached",
          manifest,
          result: Option.none()
        })
        let waited = false
        while (true) {
          const outcome = yield* admitted(
            node,
            Effect.scoped(
              Effect.gen(function* () {
                const attempt = yield* Effect.either(cache.lock(node.key))
                if (attempt._tag === "Left") {
                  if (attempt.left.reason !== "Held") return yield* attempt.left
                  return undefined
                }
                // Another process may have finished it between our lookup and our lock.
                if (!forced || waited) {
                  const hit = yield* request.lookup
                  if (Option.isSome(hit)) return served(hit.value)
                }
                return yield* run(request, attempt.right)
              })
            )
          )
          if (outcome !== undefined) return outcome
          if (!waited) {
            yield* progress.log(
              `⧗ ${node.name}: its lock is held by another process (or was left by one that died, and goes stale after ${cache.lockStaleMs / 1000} s); waiting`
            )
          }
          waited = true
          yield* Effect.sleep("250 millis")
          if (!forced) {
            const hit = yield* request.lookup
            if (Option.isSome(hit)) return served(hit.value)
          }
        }
      })

    return {
      name: "local",
      memoryBudget: options.memoryBudget,
      compute
    } satisfies Runner.Runner
  })

/** The local runner as a Layer (needs Cache, Progress and WorkerPool). */
export const layer = (options: Options) => Layer.effect(Runner.Runner, make(options))
