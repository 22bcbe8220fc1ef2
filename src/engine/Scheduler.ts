/**
 * The scheduler: the one walk over a planned DAG (DESIGN §13), whatever computes the stages.
 *
 * Before anything runs it checks what the plan needs against what the machine has: the disk its
 * new entries take (each stage's estimate) against the free space of the cache, and the memory of
 * its largest stage against what the runner can give one stage; an impossible run is refused with
 * the numbers (`force` overrides). It then records the run (a run record with status "running")
 * and registers it as live with a heartbeat (so `gc` keeps every key of its plan while it runs,
 * whichever runner computes), and walks the nodes in dependency order, independent ones
 * concurrently:
 *
 * - a node whose key has a verified entry is served ("cached"); a corrupt entry is reported, moved
 *   aside and recomputed;
 * - a dry run reports "would-run" or "would-resume" and writes nothing;
 * - any other node goes to the `Runner`, which makes its entry exist (in this process, or on a
 *   distributed worker).
 *
 * At the end it rewrites the run record with every node's status and seconds, and publishes the
 * artifacts the stages list in `publish` to the output folder. An interrupted run (SIGINT,
 * SIGTERM) records itself as interrupted; its stages have flushed their checkpoints.
 *
 * @module Scheduler
 */
import { statfs } from "node:fs/promises"
import { hostname } from "node:os"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Cache from "./Cache.js"
import { newId } from "./cache/RunRecords.js"
import { ResourceError, StageFailedError } from "./Errors.js"
import * as Plan from "./Plan.js"
import * as Progress from "./Progress.js"
import * as Publish from "./Publish.js"
import * as Runner from "./Runner.js"
import * as Settings from "./Settings.js"

/** How a stage was satisfied in a run. */
export type Status = "cached" | "ran" | "resumed" | "would-run" | "would-resume"

/** One stage of a run report. */
export interface StageReport {
  readonly name: string
  readonly key: string
  readonly status: Status
  /** Seconds the stage took: its compute time when computed, the lookup's when cached. */
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
  /** The run record's id (absent for a dry run or an unrecorded run). */
  readonly record?: string
}

/** What a run record says about how the run was asked (the rest the scheduler fills in). */
export interface RecordRequest {
  readonly kind: Cache.RunRecord["kind"]
  readonly sets: ReadonlyArray<string>
  readonly sweep?: Cache.RunRecord["sweep"]
  readonly members?: number
  /** The name the run was asked by when it is not the pipeline's (a named sweep: `compare-rules`). */
  readonly name?: string
}

/** Options of a run. */
export interface RunOptions {
  /** Node names to recompute even when cached (their entries are replaced). */
  readonly rerun?: ReadonlyArray<string>
  /** Report what would run without running or writing anything. */
  readonly dryRun?: boolean
  /** Minimum ms between two checkpoint writes of one stage (the last is always flushed). */
  readonly checkpointIntervalMs?: number
  /** Hash every artifact of cached stages (default: only those read; others by size and mtime). */
  readonly verify?: boolean
  /**
   * The base folder of the pipeline's (or the sweep's) outputs: the run publishes to
   * `<publishTo>/<run id>/` and points `<publishTo>/latest` at it (`Publish.ts`); nothing is
   * published when absent.
   */
  readonly publishTo?: string
  /** Who computes (`host:pid` of a distributed worker), recorded in the manifests it writes. */
  readonly worker?: string
  /** Record the run (default: a plain run without `--set`); `false` records nothing. */
  readonly record?: RecordRequest | false
  /** Run even when the plan needs more disk, memory or CPU time than allowed. */
  readonly force?: boolean
  /** The CPU time (seconds on one core) above which a run needs `force` (default: PIPELINE_MAX_CPU_HOURS). */
  readonly maxCpuSeconds?: number
}

export type RunError = Runner.RunError

/** Runs planned pipelines. */
export interface Scheduler {
  readonly run: (plan: Plan.Plan, options?: RunOptions) => Effect.Effect<RunReport, RunError>
}

/** The scheduler service tag. */
export const Scheduler = Context.GenericTag<Scheduler>("plastic-net/engine/Scheduler")

const short = (key: string) => key.slice(0, 12)
const GB = 2 ** 30
const gb = (bytes: number) => `${(bytes / GB).toFixed(bytes < GB ? 2 : 1)} GB`

/** A duration for people: "42 s", "13 min", "2 h 05 min". */
const duration = (seconds: number): string =>
  seconds < 90
    ? `${Math.round(seconds)} s`
    : seconds < 5400
      ? `${Math.round(seconds / 60)} min`
      : `${Math.floor(seconds / 3600)} h ${String(Math.round((seconds % 3600) / 60)).padStart(2, "0")} min`

/** The CPU seconds of the nodes' estimates, and the largest ones named ("train 2 h 01 min, test 3 min"). */
const cpuSeconds = (nodes: ReadonlyArray<Plan.PlannedNode>) => {
  const costly = nodes
    .filter((n) => (n.estimate.cpuSeconds ?? 0) >= 1)
    .sort((a, b) => (b.estimate.cpuSeconds ?? 0) - (a.estimate.cpuSeconds ?? 0))
  const total = nodes.reduce((sum, n) => sum + (n.estimate.cpuSeconds ?? 0), 0)
  const named = costly.slice(0, 3).map((n) => `${n.name} ${duration(n.estimate.cpuSeconds ?? 0)}`)
  const largest = costly.length > 3 ? `${named.join(", ")}, …` : named.join(", ")
  return { total, largest }
}

/** Free bytes on the file system holding `dir` (undefined when it cannot be told). */
const freeDisk = (dir: string) =>
  Effect.promise(async () => {
    for (let d = dir; ; d = d.slice(0, Math.max(1, d.lastIndexOf("/")))) {
      try {
        const s = await statfs(d)
        return Number(s.bavail) * Number(s.bsize)
      } catch {
        if (d === "/" || d === "") return undefined
      }
    }
  })

/** Builds the scheduler (needs Cache, Progress and Runner). */
export const make = Effect.gen(function* () {
  const cache = yield* Cache.Cache
  const progress = yield* Progress.Progress
  const runner = yield* Runner.Runner
  const context = yield* Effect.context<FileSystem.FileSystem | Path.Path | Cache.Cache>()

  /** The nodes of a plan that have no entry yet (what a run will compute, unless it resumes). */
  const freshNodes = (plan: Plan.Plan) =>
    Effect.gen(function* () {
      const fresh: Array<Plan.PlannedNode> = []
      for (const node of plan.nodes) {
        const exists = yield* cache.readManifestUnverified(node.key)
        if (Option.isNone(exists)) fresh.push(node)
      }
      return fresh
    })

  /** The plan's needs against the machine's room and the CPU-time limit; the problems, if any. */
  const resourceProblems = (fresh: ReadonlyArray<Plan.PlannedNode>, cpuLimitSeconds: number) =>
    Effect.gen(function* () {
      const problems: Array<string> = []
      const cpu = cpuSeconds(fresh)
      if (cpu.total > cpuLimitSeconds) {
        problems.push(
          `its ${fresh.length} new stages need about ${duration(cpu.total)} of CPU time on one core (${cpu.largest}); the limit is ${duration(cpuLimitSeconds)}: run fewer trials, neurons or members, or raise PIPELINE_MAX_CPU_HOURS`
        )
      }
      const disk = fresh.reduce((sum, n) => sum + n.estimate.diskBytes, 0)
      const free = yield* freeDisk(cache.dir)
      if (free !== undefined && disk > free * 0.95) {
        problems.push(
          `its ${fresh.length} new entries need about ${gb(disk)} of disk; ${cache.dir} has ${gb(free)} free: free space (\`pipeline gc\`) or choose another cache (--cache)`
        )
      }
      const largest = fresh.reduce<Plan.PlannedNode | undefined>(
        (a, n) => (a === undefined || n.estimate.memoryBytes > a.estimate.memoryBytes ? n : a),
        undefined
      )
      if (
        largest !== undefined &&
        runner.memoryBudget !== undefined &&
        largest.estimate.memoryBytes > runner.memoryBudget
      ) {
        problems.push(
          `stage "${largest.name}" needs about ${gb(largest.estimate.memoryBytes)} of memory; this machine can give a stage ${gb(runner.memoryBudget)}: run fewer neurons or trials, or raise PIPELINE_MEMORY_MB`
        )
      }
      return problems
    })

  const run: Scheduler["run"] = (plan, options = {}) =>
    Effect.gen(function* () {
      const names = new Set(plan.nodes.map((n) => n.name))
      if (names.size !== plan.nodes.length) {
        return yield* Effect.dieMessage(`The plan of "${plan.pipeline.name}" has two nodes of one name.`)
      }
      const rerun = new Set(options.rerun ?? [])
      const dryRun = options.dryRun === true
      const interval = options.checkpointIntervalMs ?? 3000
      // What the run will compute, and for how long: said before it starts, refused above the limit.
      const fresh = yield* freshNodes(plan)
      const cpu = cpuSeconds(fresh)
      if (cpu.total >= 1) {
        yield* progress.log(
          `⏱ about ${duration(cpu.total)} of CPU time on one core to compute ${fresh.length} stage${fresh.length === 1 ? "" : "s"} (${cpu.largest}); test trials and sweep members share the workers`
        )
      }
      if (!dryRun && options.force !== true) {
        const limit = options.maxCpuSeconds ?? (yield* Settings.read(Settings.maxCpuHours)) * 3600
        const problems = yield* resourceProblems(fresh, limit)
        if (problems.length > 0) return yield* new ResourceError({ pipeline: plan.pipeline.name, problems })
      }
      const outcomes = new Map<string, Deferred.Deferred<Runner.Outcome, RunError>>()
      for (const node of plan.nodes) outcomes.set(node.name, yield* Deferred.make<Runner.Outcome, RunError>())
      const reports = new Map<string, StageReport>()

      const startedAt = new Date()
      const request = options.record === undefined ? { kind: "run" as const, sets: [] } : options.record
      const baseRecord: Cache.RunRecord | undefined =
        request === false || dryRun
          ? undefined
          : {
              version: 1,
              id: newId(startedAt),
              pipeline: plan.pipeline.name,
              kind: request.kind,
              sets: [...request.sets],
              ...(request.sweep === undefined ? {} : { sweep: request.sweep }),
              ...(request.members === undefined ? {} : { members: request.members }),
              ...(request.name === undefined ? {} : { name: request.name }),
              ...(request.kind === "run" ? { params: plan.encodedParams } : {}),
              startedAt: startedAt.toISOString(),
              status: "running",
              host: hostname(),
              pid: process.pid,
              nodes: plan.nodes.map((n) => ({ name: n.name, key: n.key })),
              published: []
            }
      if (baseRecord !== undefined) yield* cache.runs.write(baseRecord)
      const finalRecord = (status: Cache.RunRecord["status"], error?: string): Cache.RunRecord | undefined =>
        baseRecord === undefined
          ? undefined
          : {
              ...baseRecord,
              status,
              finishedAt: new Date().toISOString(),
              nodes: plan.nodes.map((n) => {
                const r = reports.get(n.name)
                return {
                  name: n.name,
                  key: n.key,
                  ...(r === undefined ? {} : { status: r.status, seconds: r.seconds })
                }
              }),
              ...(error === undefined ? {} : { error: error.slice(0, 2000) })
            }

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
              const what = e.message.replace(/ Rerun: .*$/, "")
              if (dryRun) yield* progress.log(`! ${node.name}: ${what}`)
              else {
                const moved = yield* cache.quarantine(node.key)
                yield* progress.log(
                  `! ${node.name}: ${what} ${Option.match(moved, {
                    onNone: () => "Another process holds it, or replaced it; it is looked up again.",
                    onSome: (to) => `It was moved to ${to} and is recomputed.`
                  })}`
                )
              }
              return Option.none<Cache.Manifest>()
            })
          )
        )

      const runNode = (node: Plan.PlannedNode) =>
        Effect.gen(function* () {
          const upstream: Record<string, Runner.Outcome> = {}
          for (const names of Object.values(node.inputs)) {
            for (const name of typeof names === "string" ? [names] : names) {
              upstream[name] = yield* Deferred.await(outcomes.get(name)!)
            }
          }
          const t0 = performance.now()
          const seconds = () => Math.round(performance.now() - t0) / 1000
          const done = (status: Status, outcome: Runner.Outcome, outputDigest: string, took = seconds()) =>
            Effect.gen(function* () {
              reports.set(node.name, { name: node.name, key: node.key, status, seconds: took, outputDigest })
              yield* Deferred.succeed(outcomes.get(node.name)!, outcome)
            })
          const forced = rerun.has(node.name)
          if (!forced) {
            const hit = yield* lookup(node)
            if (Option.isSome(hit)) {
              // A lock left by a process killed after committing this entry: nobody else would clear it.
              if (!dryRun) yield* cache.reapLock(node.key)
              yield* progress.log(`✓ ${node.name}: cached (${short(node.key)})`)
              return yield* done("cached", yield* cachedOutcome(node), hit.value.outputDigest)
            }
          }
          if (dryRun) {
            const resumable = yield* cache.checkpoints(node.key).exists
            yield* progress.log(`○ ${node.name}: would ${resumable ? "resume" : "run"} (${short(node.key)})`)
            return yield* done(resumable ? "would-resume" : "would-run", { key: node.key, result: Effect.void }, "")
          }
          const compute = (n: Plan.PlannedNode, inputs: Record<string, Runner.Outcome>, force: boolean) =>
            runner.compute({
              plan,
              node: n,
              forced: force,
              upstream: inputs,
              lookup: lookup(n),
              checkpointIntervalMs: interval,
              ...(options.worker === undefined ? {} : { worker: options.worker })
            })
          const computed = yield* compute(node, upstream, forced).pipe(
            // An input served from the cache and found damaged while this stage read it (damage its
            // quick check could not see): it was moved aside; recompute it, then this stage, once.
            Effect.catchTag("CacheEntryCorruptError", (e) =>
              Effect.gen(function* () {
                const bad = plan.nodes.find((n) => n.key === e.key && n.name !== node.name)
                if (bad === undefined || !Object.values(upstream).some((o) => o.key === e.key)) {
                  return yield* Effect.fail(e)
                }
                yield* progress.log(
                  `! ${node.name}: its input ${bad.name} is damaged (${e.message.replace(/ Rerun: .*$/, "")}); it was moved aside: ${bad.name} is recomputed, then ${node.name}.`
                )
                const inputsOfBad: Record<string, Runner.Outcome> = {}
                for (const name of Plan.upstreamNames(bad))
                  inputsOfBad[name] = yield* Deferred.await(outcomes.get(name)!)
                const again = yield* compute(bad, inputsOfBad, false)
                yield* progress.log(
                  `✓ ${bad.name}: ${again.status === "cached" ? "computed meanwhile by another process" : `ran again in ${again.manifest.seconds.toFixed(2)} s`} (${short(bad.key)})`
                )
                const started = reports.get(bad.name)
                reports.set(bad.name, {
                  name: bad.name,
                  key: bad.key,
                  status: again.status === "cached" ? "cached" : "ran",
                  seconds: (started?.seconds ?? 0) + (again.status === "cached" ? 0 : again.manifest.seconds),
                  outputDigest: again.manifest.outputDigest
                })
                const fresh = { ...upstream }
                for (const [name, o] of Object.entries(upstream)) {
                  if (o.key === bad.key) {
                    fresh[name] = Option.match(again.result, {
                      onNone: () => ({
                        key: bad.key,
                        result: Effect.flatMap(cache.readResult(bad.key), decodeResult(bad))
                      }),
                      onSome: (result) => ({ key: bad.key, result: Effect.succeed(result) })
                    })
                  }
                }
                return yield* compute(node, fresh, forced)
              })
            )
          )
          const by = computed.worker === undefined || computed.worker === "" ? "" : ` on ${computed.worker}`
          // A computed stage's seconds are its compute time (its manifest's), not its wait for room.
          const took = computed.status === "cached" ? seconds() : computed.manifest.seconds
          yield* progress.log(
            computed.status === "cached"
              ? `✓ ${node.name}: cached, computed meanwhile by another process (${short(node.key)})`
              : `✓ ${node.name}: ${computed.status === "resumed" ? "resumed and finished" : "ran"}${by} in ${took.toFixed(2)} s (${short(node.key)})`
          )
          const outcome = Option.match(computed.result, {
            onNone: () => cachedOutcome(node),
            onSome: (result) => Effect.succeed({ key: node.key, result: Effect.succeed(result) })
          })
          yield* done(computed.status, yield* outcome, computed.manifest.outputDigest, took)
        }).pipe(Effect.onError((cause) => Deferred.failCause(outcomes.get(node.name)!, cause)))

      // The walk and the publishing; whatever ends them (a failure, Ctrl-C) is written to the run
      // record, uninterruptibly, before the run's own exit goes on.
      const recorded = { final: false }
      return yield* Effect.gen(function* () {
        // Live while it walks, whatever runner computes: gc keeps every key of the plan meanwhile.
        if (!dryRun) {
          yield* cache.live.register({
            id: baseRecord?.id ?? newId(startedAt),
            pipeline: plan.pipeline.name,
            keys: plan.nodes.map((n) => n.key)
          })
        }
        yield* Effect.forEach(plan.nodes, runNode, { concurrency: "unbounded", discard: true })
        const record = finalRecord("done")
        const published =
          dryRun || options.publishTo === undefined
            ? []
            : yield* Publish.publishRun(
                Publish.targets(plan),
                options.publishTo,
                record?.id ?? newId(startedAt),
                record
              ).pipe(Effect.provide(context))
        if (record !== undefined) {
          const report = published.find((p) => p.endsWith("report.html"))
          yield* cache.runs.write({ ...record, published, ...(report === undefined ? {} : { report }) })
          recorded.final = true
        }
        return {
          pipeline: plan.pipeline.name,
          stages: plan.nodes.map((n) => reports.get(n.name)!),
          published,
          ...(record === undefined ? {} : { record: record.id })
        } satisfies RunReport
      }).pipe(
        Effect.scoped,
        Effect.onExit((exit) => {
          if (Exit.isSuccess(exit) || recorded.final) return Effect.void
          const interrupted = Cause.isInterruptedOnly(exit.cause)
          const record = finalRecord(
            interrupted ? "interrupted" : "failed",
            interrupted ? undefined : Cause.pretty(exit.cause)
          )
          return record === undefined ? Effect.void : Effect.ignore(cache.runs.write(record))
        })
      )
    })

  return { run } satisfies Scheduler
})

/** The scheduler as a Layer (needs Cache, Progress, Runner, FileSystem and Path). */
export const layer = Layer.effect(Scheduler, make)
