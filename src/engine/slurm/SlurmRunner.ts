/**
 * The SLURM runner (docs/slurm.md): computes a stage as one batch job on the cluster a lab already
 * has, over a cache on the cluster's shared filesystem. The scheduler walks the DAG as for a local
 * run; a stage whose inputs are not ready waits there, not in SLURM's queue. A node it hands here:
 *
 * 1. Under the key's submission lock (`Jobs.ts`), is looked up with `squeue --json`: a job named
 *    `pn-<key>` that is pending or running (submitted by this run, an earlier one that was stopped
 *    with Ctrl-C, or another submitter) is attached to; otherwise one is submitted with
 *    `sbatch --parsable`, its resources from the stage's estimate and the site's settings
 *    (`Resources.ts`), and recorded in `.slurm/<key>/jobs.json` before the lock is let go. So one
 *    key never has two jobs at once.
 * 2. Is waited for: the job's result file (`.slurm/<key>/<jobid>.result.json`, written by the job
 *    as it ends) is looked for every second, and `squeue` asked every `poll-seconds` (one call for
 *    all the stages waited for), which reports starts, progress and deaths.
 * 3. A job that ended without its entry (scancel, time limit, `kill -9`, node failure, out of
 *    memory, a failing stage) is resubmitted, up to `retries` times, with SLURM's state and exit
 *    code in the message; the new job resumes from the stage's checkpoint. A job that hit its time
 *    limit (or memory) is resubmitted with twice as much. A job whose node computes another key
 *    (other code, params or Node.js major) fails the stage at once.
 *
 * Stages the profile lists in `local-stages` are computed by the submitter itself, with the local
 * runner (Snakemake's `localrules`): for stages of a second, whose job would be mostly start-up.
 *
 * Ctrl-C on the submitter stops only the waiting: jobs keep running, and the next submit attaches
 * to them. Nothing here listens on a port; jobs run as the submitting user.
 *
 * @module SlurmRunner
 */
import { hostname } from "node:os"
import type * as CommandExecutor from "@effect/platform/CommandExecutor"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Cache from "../Cache.js"
import type { JobData } from "../distributed/Queue.js"
import { StageFailedError } from "../Errors.js"
import * as LocalRunner from "../LocalRunner.js"
import * as Progress from "../Progress.js"
import * as Runner from "../Runner.js"
import * as Settings from "../Settings.js"
import * as Jobs from "./Jobs.js"
import * as Resources from "./Resources.js"
import * as Slurm from "./Slurm.js"

/** Options of the SLURM runner. */
export interface Options {
  /** The project root: the jobs' working directory, and where `dist/` is. */
  readonly root: string
  readonly profile: Resources.Profile
  /** Where the profile came from, for messages (absent: none given). */
  readonly profileFile?: string
  readonly globals: Resources.Globals
  /** `--slurm-resources` settings, by stage or node name. */
  readonly stageSettings: Readonly<Record<string, Resources.ResourceSettings>>
  /** Resubmissions of a stage (default: the profile's, else 3). */
  readonly retries?: number
  /** Seconds between two `squeue` calls (default: the profile's, else 10). */
  readonly pollSeconds?: number
  /** URL of the compiled registry the jobs load (default: `dist/pipelines/index.js`). */
  readonly registry?: string
}

/** The default number of resubmissions of one stage. */
export const DEFAULT_RETRIES = 3
/** The default seconds between two `squeue` calls. */
export const DEFAULT_POLL_SECONDS = 10
/**
 * Seconds between tries of a controller that does not answer (`Socket timed out`, a restart):
 * about ten minutes in all, then the run stops (and can be submitted again).
 */
export const BUSY_WAITS: ReadonlyArray<number> = [1, 2, 4, 8, 15, 30, 60, 60, 60, 60, 60, 60, 60, 60, 60]

const short = (key: string) => key.slice(0, 12)

/** Single quotes for a POSIX shell. */
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** The compiled job program. */
export const jobProgram = (root: string) => `${root}/dist/src/engine/slurm/job.js`

/** What `squeue` said at one moment, about the job names asked for. */
interface Snapshot {
  /** When the call started (ms since the epoch): anything submitted before is in it. */
  readonly at: number
  readonly names: ReadonlySet<string>
  readonly byId: ReadonlyMap<string, Slurm.JobInfo>
  readonly byName: ReadonlyMap<string, ReadonlyArray<Slurm.JobInfo>>
}

/** A job being waited for. */
interface Watch {
  readonly jobId: string
  /** When the wait began: only snapshots taken later (and so asking for its name) say anything of it. */
  readonly since: number
  state?: string
  misses: number
  lastSnapshot: number
}

/** How a job's wait ended. */
interface Ended {
  readonly info: Slurm.JobInfo | undefined
  readonly result: Option.Option<Jobs.JobResult>
}

/** Builds the SLURM runner (needs Cache, Progress, WorkerPool, FileSystem, Path and CommandExecutor). */
export const make = (options: Options) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const progress = yield* Progress.Progress
    const fs = yield* FileSystem.FileSystem
    const context = yield* Effect.context<FileSystem.FileSystem | Path.Path | CommandExecutor.CommandExecutor>()
    const scope = yield* Effect.scope
    const checkpointSeconds = yield* Settings.read(Settings.checkpointSeconds)
    const lockStaleMs = yield* Settings.read(Settings.lockStaleMs)
    const retries = options.retries ?? options.profile.retries ?? DEFAULT_RETRIES
    const pollMs = 1000 * (options.pollSeconds ?? options.profile["poll-seconds"] ?? DEFAULT_POLL_SECONDS)
    const tickMs = Math.min(1000, pollMs)
    const node = options.profile.node ?? process.execPath
    const program = jobProgram(options.root)
    const submitter = `${hostname()}:${process.pid}`
    const cacheDir = cache.dir
    // Made on first use: a run whose stages are all cached writes nothing here.
    const cacheIdOnce = yield* Effect.cached(Jobs.cacheId(cacheDir).pipe(Effect.provide(context)))
    const localStages = new Set(options.profile["local-stages"] ?? [])
    const local =
      localStages.size === 0
        ? undefined
        : yield* LocalRunner.make({ memoryBudget: yield* Settings.read(Settings.memoryBudget) })

    // --- squeue snapshots, shared by every stage waited for -------------------------------------
    const watched = new Map<string, number>() // job name → stages waiting on it
    let latest: Snapshot | undefined
    let inflight:
      | {
          readonly at: number
          readonly names: ReadonlySet<string>
          readonly done: Deferred.Deferred<Snapshot, Slurm.SlurmCommandError>
        }
      | undefined

    const query = (at: number, names: ReadonlySet<string>) =>
      Slurm.squeue([...names]).pipe(
        Effect.map((jobs): Snapshot => {
          const byId = new Map(jobs.map((j) => [j.jobId, j]))
          const byName = new Map<string, Array<Slurm.JobInfo>>()
          for (const j of jobs) byName.set(j.name, [...(byName.get(j.name) ?? []), j])
          return { at, names, byId, byName }
        })
      )

    /** A snapshot taken at or after `notBefore` that covers `name` (shared with concurrent askers). */
    const snapshot = (notBefore: number, name?: string): Effect.Effect<Snapshot, Slurm.SlurmCommandError> =>
      Effect.gen(function* () {
        const fresh = yield* Deferred.make<Snapshot, Slurm.SlurmCommandError>()
        // Decided in one synchronous step, so two fibers never both start a call for the same need.
        const decision = yield* Effect.sync(() => {
          const covers = (s: { at: number; names: ReadonlySet<string> }) =>
            s.at >= notBefore && (name === undefined || s.names.has(name))
          if (latest !== undefined && covers(latest)) return { have: latest }
          if (inflight !== undefined && covers(inflight)) return { wait: inflight.done }
          const call = {
            at: Date.now(),
            names: new Set([...watched.keys(), ...(name === undefined ? [] : [name])]),
            done: fresh
          }
          inflight = call
          return { call }
        })
        if ("have" in decision) return decision.have
        if ("wait" in decision) return yield* Deferred.await(decision.wait)
        const { call } = decision
        // However the call ends (interrupted too), those waiting on it are told.
        return yield* query(call.at, call.names).pipe(
          Effect.provide(context),
          Effect.onExit((exit) =>
            Effect.sync(() => {
              if (exit._tag === "Success" && (latest === undefined || exit.value.at > latest.at)) latest = exit.value
              if (inflight === call) inflight = undefined
            }).pipe(Effect.zipRight(Deferred.done(fresh, exit)))
          )
        )
      })

    // The poller: one squeue call every poll interval while any stage waits on a job.
    let lastPollError = ""
    yield* Effect.gen(function* () {
      while (true) {
        yield* Effect.sleep(pollMs)
        if (watched.size === 0) continue
        const exit = yield* Effect.exit(snapshot(Date.now()))
        if (exit._tag === "Failure") {
          const text = exit.cause.toString().split("\n")[0] ?? ""
          if (text !== lastPollError) {
            yield* Effect.logWarning(`squeue failed (${text}); the jobs are asked about again in ${pollMs / 1000} s.`)
          }
          lastPollError = text
        } else lastPollError = ""
      }
    }).pipe(Effect.forkIn(scope))

    const watch = (name: string) =>
      Effect.acquireRelease(
        Effect.sync(() => watched.set(name, (watched.get(name) ?? 0) + 1)),
        () =>
          Effect.sync(() => {
            const n = (watched.get(name) ?? 1) - 1
            if (n <= 0) watched.delete(name)
            else watched.set(name, n)
          })
      )

    // --- job records -----------------------------------------------------------------------------
    const locked = <A, E, R>(key: string, body: Effect.Effect<A, E, R>) =>
      Jobs.withSubmitLock(cacheDir, key, lockStaleMs, body).pipe(Effect.provide(context))

    /** Records what is known of a job (its state, or its outcome) in the key's record. */
    const note = (key: string, name: string, jobId: string, change: Partial<Jobs.Submission>) =>
      locked(
        key,
        Jobs.updateRecord(cacheDir, key, name, (r) => ({
          ...r,
          submissions: r.submissions.map((s) =>
            s.jobId === jobId ? { ...s, ...change, seenAt: new Date().toISOString() } : s
          )
        }))
      ).pipe(Effect.provide(context), Effect.ignore)

    const stateOf = (info: Slurm.JobInfo): Partial<Jobs.Submission> => ({
      state: info.state,
      // A job's exit code means something once it ended.
      ...(info.exitCode === undefined || info.active ? {} : { exitCode: info.exitCode }),
      ...(info.signal === undefined || info.active ? {} : { signal: info.signal }),
      ...(info.reason === undefined ? {} : { reason: info.reason }),
      ...(info.nodes === undefined ? {} : { nodes: info.nodes })
    })

    // --- submitting ------------------------------------------------------------------------------
    const script = (data: JobData, attempt: number) => {
      const registry = options.registry === undefined ? [] : [`export PIPELINE_REGISTRY=${quote(options.registry)}`]
      return [
        "#!/bin/bash",
        `# plastic-net: stage ${data.node} (key ${data.key}), retry ${attempt}`,
        ...(options.profile.setup ?? []),
        `export PIPELINE_CACHE=${quote(cacheDir)}`,
        `export PIPELINE_CHECKPOINT_SECONDS=${checkpointSeconds}`,
        `export PIPELINE_LOCK_STALE_MS=${lockStaleMs}`,
        `export PIPELINE_SLURM_ATTEMPT=${attempt}`,
        ...registry,
        `exec ${quote(node)} ${quote(program)} ${Buffer.from(JSON.stringify(data)).toString("base64")}`,
        ""
      ].join("\n")
    }

    const sbatchArgs = (data: JobData, resources: Resources.Resources, cacheId: string) => [
      `--job-name=${Jobs.jobName(data.key)}`,
      `--comment=${Jobs.comment(data.node, cacheId)}`,
      `--output=${Jobs.keyDir(cacheDir, data.key)}/%j.log`,
      `--chdir=${options.root}`,
      "--export=ALL",
      ...Resources.sbatchArgs(resources)
    ]

    /** The alive jobs of a key that write this cache, newest first. */
    const aliveJobs = (snap: Snapshot, name: string, cacheId: string) =>
      (snap.byName.get(name) ?? [])
        .filter((j) => j.active && Jobs.writesCache(j.comment, cacheId))
        .sort((a, b) => Number(b.jobId) - Number(a.jobId))

    /** A fresh `squeue` snapshot, asked again while the controller is busy. */
    const patientSnapshot = (name: string) =>
      Effect.gen(function* () {
        for (let i = 0; ; i++) {
          const tried = yield* Effect.either(snapshot(Date.now(), name))
          if (Either.isRight(tried)) return tried.right
          if (!Slurm.isTransient(tried.left) || i >= BUSY_WAITS.length) return yield* Effect.fail(tried.left)
          yield* Effect.sleep(BUSY_WAITS[i]! * 1000)
        }
      })

    /** Records a job as the key's latest submission. */
    const record = (data: JobData, jobId: string, submittedAt: number, attempt: number, r: Resources.Resources) =>
      Jobs.updateRecord(cacheDir, data.key, data.node, (old) => ({
        ...old,
        submissions: [
          ...old.submissions,
          {
            jobId,
            submittedAt: new Date(submittedAt).toISOString(),
            by: submitter,
            attempt,
            resources: {
              cpus: r.cpus,
              memMb: r.memMb,
              minutes: r.minutes,
              ...(r.partition === undefined ? {} : { partition: r.partition }),
              ...(r.account === undefined ? {} : { account: r.account })
            },
            state: "PENDING"
          }
        ]
      })).pipe(Effect.ignore)

    /** A job to wait for: an alive job of the key, else a new one (under the key's lock). */
    const attachOrSubmit = (data: JobData, resources: Resources.Resources, attempt: number, cacheId: string) =>
      locked(
        data.key,
        Effect.gen(function* () {
          const name = Jobs.jobName(data.key)
          const recorded = yield* Jobs.readRecord(cacheDir, data.key)
          const last = Option.isSome(recorded) ? recorded.value.submissions.at(-1) : undefined
          const snap = yield* patientSnapshot(name)
          const alive = aliveJobs(snap, name, cacheId)
          // The recorded job if alive; else any alive job of the key (a submitter that died between
          // sbatch and its record); a just-recorded job squeue does not list yet counts as alive.
          const recent =
            last !== undefined &&
            Date.now() - Date.parse(last.submittedAt) < 30_000 &&
            !snap.byId.has(last.jobId) &&
            (last.state === undefined || Slurm.isActive(last.state))
          const found = alive.find((j) => j.jobId === last?.jobId) ?? alive[0]
          if (found !== undefined || recent) {
            const jobId = found?.jobId ?? last!.jobId
            const by = last?.jobId === jobId ? last : undefined
            return { jobId, attached: true as const, state: found?.state ?? "PENDING", by }
          }
          yield* fs.makeDirectory(Jobs.keyDir(cacheDir, data.key), { recursive: true })
          for (let i = 0; ; i++) {
            const submittedAt = Date.now()
            // Submitted and recorded, or neither: Ctrl-C waits for the record.
            const tried = yield* Effect.uninterruptible(
              Effect.gen(function* () {
                const jobId = yield* Slurm.sbatch(sbatchArgs(data, resources, cacheId), script(data, attempt))
                // A result of the same id from before (a cluster whose job ids started over) is not this job's.
                yield* fs.remove(Jobs.resultFile(cacheDir, data.key, jobId)).pipe(Effect.ignore)
                yield* record(data, jobId, submittedAt, attempt, resources)
                return jobId
              })
            ).pipe(Effect.either)
            if (Either.isRight(tried))
              return { jobId: tried.right, attached: false as const, state: "PENDING", by: undefined }
            if (!Slurm.isTransient(tried.left) || i >= BUSY_WAITS.length) return yield* Effect.fail(tried.left)
            // A busy controller may have made the job without sbatch hearing back: look before trying again.
            yield* Effect.sleep(BUSY_WAITS[i]! * 1000)
            const made = aliveJobs(yield* patientSnapshot(name), name, cacheId)[0]
            if (made !== undefined) {
              yield* record(data, made.jobId, submittedAt, attempt, resources)
              return { jobId: made.jobId, attached: false as const, state: made.state, by: undefined }
            }
          }
        })
      )

    // --- waiting ---------------------------------------------------------------------------------
    /** Waits until the job wrote its result or SLURM says it ended (or forgot it). */
    const waitForEnd = (nodeName: string, key: string, w: Watch) =>
      Effect.gen(function* () {
        while (true) {
          const result = yield* Jobs.readResult(cacheDir, key, w.jobId)
          if (Option.isSome(result)) return { info: latest?.byId.get(w.jobId), result } satisfies Ended
          const snap = latest
          if (snap !== undefined && snap.at > w.since && snap.at > w.lastSnapshot) {
            w.lastSnapshot = snap.at
            const info = snap.byId.get(w.jobId)
            if (info === undefined) w.misses += 1
            else {
              w.misses = 0
              if (info.state !== w.state) {
                w.state = info.state
                yield* note(key, nodeName, w.jobId, stateOf(info))
                if (info.state === "RUNNING") {
                  yield* progress.log(
                    `▶ ${nodeName}: SLURM job ${w.jobId} running on ${info.nodes ?? "a node"} (${short(key)})`
                  )
                }
              }
              if (!info.active) {
                // The job may have written its result just before it ended.
                return { info, result: yield* Jobs.readResult(cacheDir, key, w.jobId) } satisfies Ended
              }
            }
            if (w.misses >= 2) {
              // SLURM forgot it (MinJobAge passed): accounting may still know how it ended.
              const accounted = yield* Slurm.sacct(w.jobId).pipe(Effect.provide(context))
              return {
                info: Option.getOrUndefined(accounted),
                result: yield* Jobs.readResult(cacheDir, key, w.jobId)
              } satisfies Ended
            }
          }
          if (w.state === "RUNNING") {
            const p = yield* Jobs.readProgress(cacheDir, key)
            if (Option.isSome(p) && p.value.jobId === w.jobId) {
              yield* progress.update(nodeName, p.value.done, p.value.total, p.value.note)
            }
          }
          yield* Effect.sleep(tickMs)
        }
      }).pipe(Effect.provide(context))

    /** The node's entry, looked for a few times (a shared filesystem may show a new folder late). */
    const entryAfter = (key: string, tries: number) =>
      Effect.gen(function* () {
        for (let i = 0; ; i++) {
          const entry = yield* cache.verify(key, { deep: false })
          if (Option.isSome(entry) || i + 1 >= tries) return entry
          yield* Effect.sleep(1000)
        }
      })

    let warnedUnmatched = false

    const compute: Runner.Runner["compute"] = (request) =>
      Effect.gen(function* () {
        const { plan, node: planned, forced } = request
        const key = planned.key
        const name = Jobs.jobName(key)
        if (!warnedUnmatched) {
          warnedUnmatched = true
          const named = [
            ...Object.keys(options.profile["set-resources"] ?? {}),
            ...Object.keys(options.stageSettings),
            ...localStages
          ]
          const unknown = Resources.unmatched(named, plan.nodes)
          if (unknown.length > 0) {
            yield* Effect.logWarning(
              `SLURM resources are set for ${unknown.map((u) => `"${u}"`).join(", ")}, which no stage of this run is called.`
            )
          }
        }
        if (local !== undefined && (localStages.has(planned.stage.name) || localStages.has(planned.name))) {
          return yield* local.compute(request)
        }
        const failed = (detail: string) => new StageFailedError({ stage: planned.name, key, detail })
        const data: JobData = { request: plan.request, node: planned.name, key, force: forced }
        let resources = Resources.resolve(planned, options.profile, options.globals, options.stageSettings)
        yield* watch(name)

        const cacheId = yield* cacheIdOnce.pipe(
          Effect.mapError((e) => failed(`cannot read or make the cache's id in ${cacheDir}/.slurm: ${e.message}`))
        )
        const submit = (attempt: number) =>
          attachOrSubmit(data, resources, attempt, cacheId).pipe(
            Effect.catchAll((e) =>
              Effect.fail(
                failed(
                  !(e instanceof Slurm.SlurmCommandError)
                    ? `cannot submit its SLURM job: ${e.message}`
                    : Slurm.isTransient(e)
                      ? `SLURM's controller did not answer for about ${BUSY_WAITS.reduce((a, b) => a + b)} s (${e.message}). Submit again when it does: finished stages are kept, and queued jobs are attached to.`
                      : e.command.startsWith("sbatch")
                        ? `SLURM refused its job: ${e.detail}. Check --slurm-partition, --slurm-account, --slurm-extra and the profile${options.profileFile === undefined ? "" : ` (${options.profileFile})`}.`
                        : `cannot submit its SLURM job: ${e.message}`
                )
              )
            )
          )

        let job = yield* submit(0)
        yield* progress.log(
          job.attached
            ? `⇢ ${planned.name}: attached to SLURM job ${job.jobId} (${job.state}${job.by === undefined ? "" : `, submitted by ${job.by.by}`}) (${short(key)})`
            : `⇢ ${planned.name}: submitted as SLURM job ${job.jobId} (${Resources.describe(resources)}) (${short(key)})`
        )
        for (let retry = 0; ; ) {
          const w: Watch = {
            jobId: job.jobId,
            since: Date.now(),
            misses: 0,
            lastSnapshot: 0,
            ...(job.attached ? {} : { state: "PENDING" })
          }
          const ended = yield* waitForEnd(planned.name, key, w)
          const result = Option.getOrUndefined(ended.result)
          if (result !== undefined && result.status !== "failed") {
            yield* note(key, planned.name, job.jobId, {
              outcome: result.status,
              ...(ended.info === undefined ? {} : stateOf(ended.info))
            })
            const entry = yield* entryAfter(key, 10)
            if (Option.isNone(entry)) {
              return yield* failed(
                `its SLURM job ${job.jobId} finished on ${result.worker}, but ${cache.entryDir(key)} does not exist: do the jobs use this cache directory (--cache / PIPELINE_CACHE, a path on the cluster's shared filesystem)?`
              )
            }
            return {
              status: result.status,
              manifest: entry.value,
              result: Option.none(),
              worker: `${result.worker} (SLURM job ${job.jobId})`
            } satisfies Runner.Computed
          }
          const how =
            ended.info === undefined
              ? "vanished from squeue (no accounting to ask how it ended)"
              : `ended ${Slurm.describeEnd(ended.info)}`
          yield* note(key, planned.name, job.jobId, {
            ...(ended.info === undefined ? { state: "UNKNOWN" } : stateOf(ended.info)),
            ...(result === undefined ? {} : { outcome: "failed" })
          })
          if (result?.unrecoverable === true) {
            return yield* failed(`its SLURM job ${job.jobId} ${how}, and no retry can help: ${result.error ?? ""}`)
          }
          // A job killed after it committed (or a forced rerun's old entry): the entry decides.
          if (result === undefined && !forced) {
            const completed = ended.info?.state === "COMPLETED"
            const entry = yield* entryAfter(key, completed ? 10 : 1)
            if (Option.isSome(entry)) {
              return {
                status: entry.value.resumed ? "resumed" : "ran",
                manifest: entry.value,
                result: Option.none(),
                worker: `${entry.value.worker ?? "a job"} (SLURM job ${job.jobId})`
              } satisfies Runner.Computed
            }
          }
          const log = Jobs.logFile(cacheDir, key, job.jobId)
          if (retry >= retries) {
            const tail = yield* fs.readFileString(log).pipe(
              Effect.map((t) => t.trim().split("\n").slice(-8).join("\n    ")),
              Effect.orElseSucceed(() => "")
            )
            return yield* failed(
              `its SLURM job ${job.jobId} ${how}${result?.error === undefined ? "" : `: ${result.error}`}; ` +
                `it was submitted ${retry + 1} times (retries: ${retries}, from the profile or PIPELINE_SLURM_RETRIES). ` +
                `Its log: ${log}${tail === "" ? "" : `\n    ${tail}`}`
            )
          }
          retry += 1
          // A job stopped by its own limit gets twice as much of it.
          let more = ""
          if (ended.info?.state === "TIMEOUT") {
            resources = { ...resources, minutes: resources.minutes * 2 }
            more = `, with twice the time (${resources.minutes} min)`
          } else if (ended.info?.state === "OUT_OF_MEMORY") {
            resources = { ...resources, memMb: resources.memMb * 2 }
            more = `, with twice the memory (${resources.memMb} MB)`
          }
          const old = job.jobId
          const resumes = (yield* cache.checkpoints(key).exists) ? ", which resumes from its checkpoint" : ""
          job = yield* submit(retry)
          yield* progress.log(
            `! ${planned.name}: SLURM job ${old} ${how}${result?.error === undefined ? "" : ` (${result.error.split("\n")[0]!.slice(0, 200)})`}; ` +
              (job.attached
                ? `attached to job ${job.jobId}, submitted meanwhile`
                : `resubmitted as job ${job.jobId} (retry ${retry} of ${retries}${more})${resumes}`) +
              ` (${short(key)})`
          )
        }
      }).pipe(Effect.scoped, Effect.ensuring(progress.finish(request.node.name)))

    return {
      name: `slurm${options.globals.partition === undefined ? "" : ` (partition ${options.globals.partition})`}`,
      memoryBudget: undefined,
      compute
    } satisfies Runner.Runner
  })

/** The SLURM runner as a Layer (needs Cache, Progress, WorkerPool, FileSystem, Path and CommandExecutor). */
export const layer = (options: Options) => Layer.scoped(Runner.Runner, make(options))

/** Fails when the compiled job program is missing (it is what every job runs). */
export const checkBuilt = (root: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(jobProgram(root)).pipe(Effect.orElseSucceed(() => false))
    if (!exists) {
      return yield* Effect.fail(
        new Error(`The compiled job program ${jobProgram(root)} is missing; build with \`npm run build\` first.`)
      )
    }
  })
