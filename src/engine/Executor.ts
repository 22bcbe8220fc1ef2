/**
 * The executor: runs a planned pipeline. Stages run in dependency order, independent ones
 * concurrently; a stage whose key has a verified cache entry is skipped; a corrupt entry is
 * reported, moved aside and recomputed. A stage to compute takes its key's cross-process lock
 * (another process computing the same key is waited for, then served from the cache), resumes
 * from its last checkpoint if one exists, writes its artifacts to a temporary directory and
 * commits it atomically. Interrupting a run (SIGINT/SIGTERM) flushes the pending checkpoint.
 *
 * `Executor` is a service so a distributed implementation (issue #6) can replace `layerLocal`.
 *
 * @module Executor
 */

import * as FileSystem from "@effect/platform/FileSystem"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Cache from "./Cache.js"
import * as Canonical from "./Canonical.js"
import { CacheEntryCorruptError, CacheIoError, type LockError, StageFailedError } from "./Errors.js"
import * as NdArray from "./NdArray.js"
import type * as Plan from "./Plan.js"
import * as Progress from "./Progress.js"
import type * as Stage from "./Stage.js"
import * as WorkerPool from "./WorkerPool.js"

/** How a stage was satisfied in a run. */
export type Status = "cached" | "ran" | "resumed" | "would-run" | "would-resume"

/** One stage of a run report. */
export interface StageReport {
  readonly name: string
  readonly key: string
  readonly status: Status
  /** Wall seconds this run spent on the stage (lookup only, when cached). */
  readonly seconds: number
  /** Digest of the result and artifact checksums (empty in a dry run for stages not cached). */
  readonly outputDigest: string
}

/** What a run did. */
export interface RunReport {
  readonly pipeline: string
  readonly stages: ReadonlyArray<StageReport>
  /** Artifacts copied to the output folder. */
  readonly published: ReadonlyArray<string>
}

/** Options of a run. */
export interface RunOptions {
  /** Node names to recompute even when cached (their entries are replaced). */
  readonly force?: ReadonlyArray<string>
  /** Report what would run without running or writing anything. */
  readonly dryRun?: boolean
  /** Minimum ms between two checkpoint writes of one stage (the last is always flushed). */
  readonly checkpointIntervalMs?: number
  /** Hash every artifact of cached stages (default: only those read; others by size and mtime). */
  readonly verify?: boolean
  /** Where published artifacts go (`<outDir>/<pipeline>/`); nothing is published when absent. */
  readonly outDir?: string
  /** Who computes (`host:pid` of a distributed worker), recorded in the manifests it writes. */
  readonly worker?: string
  /** Record the run as the pipeline's last (`.runs/`, for status and gc; default true). */
  readonly recordRun?: boolean
}

/** Why a run failed. */
export type RunError = StageFailedError | CacheIoError | LockError | CacheEntryCorruptError

/** Runs planned pipelines. */
export interface Executor {
  readonly run: (plan: Plan.Plan, options?: RunOptions) => Effect.Effect<RunReport, RunError>
}

/** The executor service tag. */
export const Executor = Context.GenericTag<Executor>("plastic-net/engine/Executor")

interface Outcome {
  readonly key: string
  /** The decoded result (read lazily from the cache when the stage was cached). */
  readonly result: Effect.Effect<unknown, CacheEntryCorruptError | CacheIoError>
}

const short = (key: string) => key.slice(0, 12)

/** The artifacts a run publishes: entry key, artifact name, and target under the output folder. */
export const publishTargets = (plan: Plan.Plan) => {
  const files = plan.nodes.flatMap((n) => n.stage.publish.map((artifact) => ({ node: n, artifact })))
  const count = new Map<string, number>()
  for (const f of files) count.set(f.artifact, (count.get(f.artifact) ?? 0) + 1)
  return files.map(({ node, artifact }) => ({
    key: node.key,
    artifact,
    target: `${plan.pipeline.name}/${count.get(artifact)! > 1 ? `${node.name}-` : ""}${artifact}`
  }))
}

/** The in-process executor. */
export const makeLocal = Effect.gen(function* () {
  const cache = yield* Cache.Cache
  const progress = yield* Progress.Progress
  const pool = yield* WorkerPool.WorkerPool
  const fs = yield* FileSystem.FileSystem

  const run: Executor["run"] = (plan, options = {}) =>
    Effect.gen(function* () {
      const force = new Set(options.force ?? [])
      const dryRun = options.dryRun === true
      const interval = options.checkpointIntervalMs ?? 3000
      const runScope = yield* Effect.scope
      const serviceLayer =
        plan.services.length === 0
          ? Layer.empty
          : (Layer.mergeAll(
              ...(plan.services.map((s) => s.layer) as unknown as [Layer.Layer<never>])
            ) as Layer.Layer<never>)
      const services = yield* Effect.cached(
        Layer.buildWithScope(serviceLayer, runScope).pipe(
          Effect.mapError(
            (e) =>
              new StageFailedError({ stage: "(services)", key: "", detail: `a service layer failed: ${String(e)}` })
          )
        )
      )
      const outcomes = new Map<string, Deferred.Deferred<Outcome, RunError>>()
      for (const node of plan.nodes) outcomes.set(node.name, yield* Deferred.make<Outcome, RunError>())
      const reports = new Map<string, StageReport>()

      const decodeResult = (node: Plan.PlannedNode) => (encoded: unknown) =>
        Schema.decodeUnknown(node.stage.output)(encoded).pipe(
          Effect.mapError(
            (e) =>
              new StageFailedError({
                stage: node.name,
                key: node.key,
                detail: `its cached result does not match its output Schema: ${e.message}`
              })
          ),
          Effect.orDie
        )

      const cachedOutcome = (node: Plan.PlannedNode) =>
        Effect.map(Effect.cached(cache.readResult(node.key).pipe(Effect.flatMap(decodeResult(node)))), (result) => ({
          key: node.key,
          result
        }))

      /** A verified entry, or None; a corrupt entry is reported and (unless dry) moved aside. */
      const lookup = (node: Plan.PlannedNode) =>
        cache.verify(node.key, { deep: options.verify === true }).pipe(
          Effect.catchTag("CacheEntryCorruptError", (e) =>
            Effect.gen(function* () {
              yield* progress.log(`! ${node.name}: ${dryRun ? e.message.replace(/ It was moved.*$/, "") : e.message}`)
              if (!dryRun) yield* cache.quarantine(node.key)
              return Option.none<Cache.Manifest>()
            })
          )
        )

      /** The transitive upstream runs of a node (all finished when it runs), upstream first. */
      const lineage = (node: Plan.PlannedNode) =>
        Effect.gen(function* () {
          const byName = new Map(plan.nodes.map((n) => [n.name, n]))
          const seen = new Set<string>()
          const visit = (n: Plan.PlannedNode) => {
            for (const up of Object.values(n.inputs)) {
              if (seen.has(up)) continue
              seen.add(up)
              visit(byName.get(up)!)
            }
          }
          visit(node)
          const entries: Array<Stage.LineageEntry> = []
          for (const n of plan.nodes) {
            if (!seen.has(n.name)) continue
            const manifest = yield* cache.readManifestUnverified(n.key)
            entries.push({
              node: n.name,
              stage: n.stage.name,
              key: n.key,
              params: n.encodedParams,
              seconds: Option.match(manifest, { onNone: () => null, onSome: (m) => m.seconds }),
              status: reports.get(n.name)?.status ?? "cached"
            })
          }
          return entries
        })

      const compute = (node: Plan.PlannedNode, upstream: Readonly<Record<string, Outcome>>) =>
        Effect.gen(function* () {
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
            return store.write(p.state, p.arrays)
          })
          const inputs: Record<string, Stage.Upstream<unknown>> = {}
          for (const [input, name] of Object.entries(node.inputs)) {
            const up = upstream[name]!
            // Artifacts read piecewise are verified once, in full, on first use.
            const verified = new Set<string>()
            inputs[input] = {
              result: yield* up.result,
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
            inputs,
            // Header and data written separately: no encoded copy of a large array.
            writeArray: (file, array) =>
              Effect.gen(function* () {
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
            writeText: (file, text) => staging.writeArtifact(file, new TextEncoder().encode(text)),
            checkpoint: {
              load: Effect.succeed(saved),
              save: (state, arrays = {}) =>
                Effect.suspend(() => {
                  pending = { state, arrays }
                  return Date.now() - lastWrite >= interval ? flush : Effect.void
                })
            },
            progress: (done, total, note) => progress.update(node.name, done, total, note),
            runTask: (task, input, transfer) => pool.run(task, input, transfer) as Effect.Effect<never, never>,
            workers: pool.size,
            resumed,
            lineage: lineage(node)
          }
          yield* progress.log(
            `… ${node.name}: ${resumed ? "resuming from its checkpoint" : "running"} (${short(node.key)})`
          )
          const context = yield* services
          const nodeLayer =
            node.provide.length === 0
              ? Layer.empty
              : (Layer.mergeAll(
                  ...(node.provide.map((s) => s.layer) as unknown as [Layer.Layer<never>])
                ) as Layer.Layer<never>)
          const result = yield* (node.stage.run(ctx) as Effect.Effect<unknown, unknown, never>).pipe(
            Effect.provide(nodeLayer),
            Effect.provide(context),
            Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : flush.pipe(Effect.ignore))),
            Effect.catchAllCause((cause): Effect.Effect<never, CacheIoError | StageFailedError> => {
              if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
              // Cache failures (disk full, corrupt upstream) keep their own advice.
              const failure = Cause.failureOption(cause)
              if (failure._tag === "Some" && failure.value instanceof CacheIoError) return Effect.fail(failure.value)
              const failed = Effect.fail(
                new StageFailedError({
                  stage: node.name,
                  key: node.key,
                  detail: Cause.pretty(cause, { renderErrorCause: true })
                })
              )
              // An upstream artifact found corrupt while this stage read it: move that entry aside (as
              // its message says), so the next run recomputes it, if a full check of the entry still
              // fails (a concurrent --force rerun may just have replaced it).
              if (failure._tag === "Some" && failure.value instanceof CacheEntryCorruptError) {
                const corrupt = failure.value.key
                const stillCorrupt = cache.verify(corrupt, { deep: true }).pipe(
                  Effect.as(false),
                  Effect.catchTag("CacheEntryCorruptError", () => Effect.succeed(true)),
                  Effect.orElseSucceed(() => false)
                )
                return Effect.flatMap(stillCorrupt, (yes) =>
                  yes ? cache.quarantine(corrupt).pipe(Effect.ignore) : Effect.void
                ).pipe(Effect.zipRight(failed))
              }
              return failed
            }),
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
              ...(node.seed === undefined ? {} : { seed: node.seed }),
              startedAt: started.toISOString(),
              finishedAt: finished.toISOString(),
              seconds: (finished.getTime() - started.getTime()) / 1000,
              resumed,
              ...(options.worker === undefined ? {} : { worker: options.worker })
            },
            Canonical.stringify(encoded)
          )
          yield* store.clear
          return { manifest, result, resumed }
        }).pipe(Effect.scoped)

      const runNode = (node: Plan.PlannedNode) =>
        Effect.gen(function* () {
          const upstream: Record<string, Outcome> = {}
          for (const name of Object.values(node.inputs)) {
            upstream[name] = yield* Deferred.await(outcomes.get(name)!)
          }
          const t0 = performance.now()
          const seconds = () => Math.round(performance.now() - t0) / 1000
          const done = (status: Status, outcome: Outcome, outputDigest: string) =>
            Effect.gen(function* () {
              reports.set(node.name, { name: node.name, key: node.key, status, seconds: seconds(), outputDigest })
              yield* Deferred.succeed(outcomes.get(node.name)!, outcome)
            })
          const cachedDone = (manifest: Cache.Manifest) =>
            Effect.gen(function* () {
              yield* progress.log(`✓ ${node.name}: cached (${short(node.key)})`)
              yield* done("cached", yield* cachedOutcome(node), manifest.outputDigest)
            })
          const forced = force.has(node.name)
          if (!forced) {
            const hit = yield* lookup(node)
            if (Option.isSome(hit)) return yield* cachedDone(hit.value)
          }
          if (dryRun) {
            const hasCheckpoint = Option.isSome(yield* cache.checkpoints(node.key).load)
            yield* progress.log(`○ ${node.name}: would ${hasCheckpoint ? "resume" : "run"} (${short(node.key)})`)
            return yield* done(hasCheckpoint ? "would-resume" : "would-run", { key: node.key, result: Effect.void }, "")
          }
          yield* Effect.scoped(
            Effect.gen(function* () {
              let waited = false
              let lock: { compromised: () => boolean } | undefined
              while (lock === undefined) {
                const attempt = yield* Effect.either(cache.lock(node.key))
                if (attempt._tag === "Right") lock = attempt.right
                else if (attempt.left.reason !== "Held") return yield* attempt.left
                else {
                  if (!waited) {
                    yield* progress.log(
                      `⧗ ${node.name}: its lock is held by another process (or was left by one that died, and goes stale after ${cache.lockStaleMs / 1000} s); waiting`
                    )
                  }
                  waited = true
                  yield* Effect.sleep("250 millis")
                  if (!forced) {
                    const hit = yield* lookup(node)
                    if (Option.isSome(hit)) return yield* cachedDone(hit.value)
                  }
                }
              }
              if (!forced || waited) {
                const hit = yield* lookup(node)
                if (Option.isSome(hit)) return yield* cachedDone(hit.value)
              }
              const computed = yield* compute(node, upstream)
              if (lock.compromised()) {
                yield* progress.log(
                  `! ${node.name}: its lock was lost while computing; another process may have rerun it`
                )
              }
              yield* progress.log(
                `✓ ${node.name}: ${computed.resumed ? "resumed and finished" : "ran"} in ${seconds().toFixed(2)} s (${short(node.key)})`
              )
              yield* done(
                computed.resumed ? "resumed" : "ran",
                { key: node.key, result: Effect.succeed(computed.result) },
                computed.manifest.outputDigest
              )
            })
          )
        }).pipe(Effect.onError((cause) => Deferred.failCause(outcomes.get(node.name)!, cause)))

      yield* Effect.forEach(plan.nodes, runNode, { concurrency: "unbounded", discard: true })
      const published: Array<string> = []
      if (!dryRun) {
        if (options.recordRun !== false)
          yield* cache.writeRun({
            pipeline: plan.pipeline.name,
            at: new Date().toISOString(),
            params: plan.encodedParams,
            nodes: Object.fromEntries(plan.nodes.map((n) => [n.name, n.key]))
          })
        if (options.outDir !== undefined) published.push(...(yield* publish(plan, options.outDir)))
      }
      return {
        pipeline: plan.pipeline.name,
        stages: plan.nodes.map((n) => reports.get(n.name)!),
        published
      } satisfies RunReport
    }).pipe(Effect.scoped)

  /** Copies each node's published artifacts to `<outDir>/<pipeline>/` (prefixed by node name on a clash). */
  const publish = (plan: Plan.Plan, outDir: string) =>
    Effect.gen(function* () {
      const out: Array<string> = []
      for (const t of publishTargets(plan)) {
        const bytes = yield* cache.readArtifact(t.key, t.artifact)
        const target = `${outDir}/${t.target}`
        yield* fs.makeDirectory(target.slice(0, target.lastIndexOf("/")), { recursive: true })
        yield* fs.writeFile(target, bytes)
        out.push(target)
      }
      return out
    }).pipe(
      Effect.mapError((e) =>
        e._tag === "SystemError" || e._tag === "BadArgument"
          ? new CacheIoError({ reason: "Other", method: "publish", path: outDir, cause: e })
          : e
      )
    )

  return { run } satisfies Executor
})

/** The in-process executor as a Layer (needs Cache, Progress, WorkerPool and FileSystem). */
export const layerLocal = Layer.effect(Executor, makeLocal)
