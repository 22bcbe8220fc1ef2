/**
 * The BullMQ sandboxed processor of a stage job. It runs on a worker thread of `pipeline worker`
 * (loaded from the compiled `dist/` tree: Node 20 cannot load `.ts` in a worker thread), never
 * on the worker's main event loop, which stays free to renew the job's lock.
 *
 * It loads the pipeline registry, plans the job's pipeline with the job's params, checks that the
 * node's key is the job id (otherwise the two machines run different code or params: the job
 * fails without retries), then runs the scheduler with the local runner on the node and its ancestors. The
 * ancestors are in the shared cache, so only the node computes, with everything the local
 * executor gives: the key's cross-process lock, resume from the last checkpoint (also a
 * checkpoint another worker left when it died), atomic commit. Tasks run inline on this thread.
 *
 * Settings (set by `pipeline worker`, read through Settings.ts): PIPELINE_CACHE, PIPELINE_REGISTRY
 * (URL of the compiled registry module), PIPELINE_CHECKPOINT_SECONDS, PIPELINE_LOCK_STALE_MS.
 *
 * A job's data is decoded before use (a malformed job fails at once, without retries). The code
 * this thread loaded must be the code its keys describe: the fingerprints check the sources
 * against dist/'s build record, and a dist/ rebuilt since this thread loaded its modules fails the
 * job ("restart the worker"), so a worker never computes old code under a new key.
 *
 * @module processor
 */
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import * as NodeContext from "@effect/platform-node/NodeContext"
import type { SandboxedJob } from "bullmq"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Cache from "../Cache.js"
import * as Canonical from "../Canonical.js"
import * as Engine from "../Engine.js"
import * as Fingerprint from "../Fingerprint.js"
import * as LocalRunner from "../LocalRunner.js"
import * as Plan from "../Plan.js"
import type * as Progress from "../Progress.js"
import * as ProgressModule from "../Progress.js"
import * as ProjectRoot from "../ProjectRoot.js"
import * as Scheduler from "../Scheduler.js"
import * as Settings from "../Settings.js"
import * as Sweep from "../Sweep.js"
import * as WorkerPool from "../WorkerPool.js"
import { inlinePool } from "./InlinePool.js"
import { appendComputation, JobData, type JobProgress, type JobResult, workerId } from "./Queue.js"

/** `dist/` when compiled (this file is `dist/src/engine/distributed/processor.js`). */
const here = dirname(fileURLToPath(import.meta.url))
const compiledRoot = join(here, "..", "..", "..")
/** The project root: above `dist/` when compiled. */
const projectRoot = ProjectRoot.projectRoot(fileURLToPath(import.meta.url))

/** The build record as it was when this thread loaded its code ("" when there is none). */
const buildRecord = () => {
  try {
    return Canonical.sha256(readFileSync(Fingerprint.buildRecordPath(projectRoot)))
  } catch {
    return ""
  }
}
const loadedBuild = buildRecord()

let registry: Promise<Sweep.Registry> | undefined
const loadRegistry = () => {
  registry ??= import(
    process.env.PIPELINE_REGISTRY || pathToFileURL(join(compiledRoot, "pipelines", "index.js")).href
  ).then((m: { registry: Sweep.Registry }) => m.registry)
  return registry
}

/**
 * Plans of this thread by request. The thread's code is loaded once, so the plan (its keys and
 * code fingerprints) made at its first job describes the code it runs for all of them; re-planning
 * the whole DAG for every job would cost more than a short stage.
 */
const plans = new Map<string, Plan.Plan>()

/** A job that cannot succeed on any retry (BullMQ recognises it by name, also across the sandbox). */
const unrecoverable = (message: string) => {
  const e = new Error(message)
  e.name = "UnrecoverableError"
  return e
}

/**
 * Forwards the stage's progress to the job (at most 4 updates a second) and the scheduler's lines
 * about the job's own node to stderr (the worker prints the outcome; "cached" ancestors are noise).
 */
const jobProgress = (job: StageJob, node: string, worker: string): Progress.Progress => {
  let last = 0
  return {
    update: (name, done, total, note) =>
      Effect.sync(() => {
        const now = Date.now()
        if (now - last < 250 && done < total) return
        last = now
        const data: JobProgress = { node: name, done, total, worker, ...(note === undefined ? {} : { note }) }
        job.updateProgress(data as never).catch(() => undefined)
      }),
    finish: () => Effect.void,
    log: (line) =>
      Effect.sync(() => {
        if (line.includes(` ${node}: `) && !line.startsWith("✓")) process.stderr.write(`[${worker}] ${line}\n`)
      })
  }
}

/** What the processor uses of a job: a BullMQ sandboxed job, or the stand-in of a SLURM batch job (`slurm/job.ts`). */
export type StageJob = Pick<SandboxedJob<JobData, JobResult>, "data" | "attemptsMade" | "updateProgress" | "moveToWait">

/**
 * Processes one stage job. Its tasks run inline on this thread, or on `pool` (a SLURM job given
 * several CPUs runs them on that many worker threads).
 */
export default async function processStage(
  job: StageJob,
  token?: string,
  signal?: AbortSignal,
  pool?: Layer.Layer<WorkerPool.WorkerPool>
): Promise<JobResult> {
  const worker = workerId()
  const decoded = Schema.decodeUnknownOption(JobData)(job.data)
  if (Option.isNone(decoded)) throw unrecoverable("The job's data is malformed (not a stage job of this project).")
  const data = decoded.value
  const settings = await Effect.runPromise(
    Effect.all({
      cacheDir: Settings.read(Config.option(Settings.cacheDir)),
      checkpointSeconds: Settings.read(Settings.checkpointSeconds),
      lockStaleMs: Settings.read(Settings.lockStaleMs)
    })
  ).catch((e) => {
    throw unrecoverable(String((e as Error).message ?? e))
  })
  const cacheDir = Option.getOrElse(settings.cacheDir, () => join(projectRoot, "cache"))
  const event = (e: "start" | "end" | "error", extra: { status?: JobResult["status"]; detail?: string } = {}) =>
    appendComputation(cacheDir, {
      event: e,
      key: data.key,
      node: data.node,
      worker,
      attempt: job.attemptsMade,
      at: new Date().toISOString(),
      ...extra
    })

  const program = Effect.gen(function* () {
    yield* event("start")
    if (buildRecord() !== loadedBuild) {
      return yield* Effect.die(
        unrecoverable(`dist/ was rebuilt since worker ${worker} loaded its code; restart the worker.`)
      )
    }
    const reg = yield* Effect.promise(loadRegistry)
    const planKey = Canonical.stringify(data.request)
    const planAfresh = Effect.gen(function* () {
      const fingerprinter = yield* Fingerprint.make({
        root: projectRoot,
        memoPath: join(cacheDir, ".fingerprints.json")
      })
      const fresh = yield* Sweep.planRequest(reg, data.request, fingerprinter).pipe(
        Effect.catchAll((e) => Effect.die(unrecoverable(`Worker ${worker} cannot plan the job: ${e.message}`)))
      )
      if (plans.size >= 16) plans.delete(plans.keys().next().value!)
      plans.set(planKey, fresh)
      return fresh
    })
    let plan = plans.get(planKey) ?? (yield* planAfresh)
    let node = plan.nodes.find((n) => n.name === data.node)
    // A plan made for an earlier job may be out of date (a network file a param names was edited
    // since): plan once more before calling the two machines different.
    if ((node === undefined || node.key !== data.key) && plans.get(planKey) === plan) {
      plan = yield* planAfresh
      node = plan.nodes.find((n) => n.name === data.node)
    }
    if (node === undefined || node.key !== data.key) {
      return yield* Effect.die(
        unrecoverable(
          `Code, params or runtime differ between submitter and worker ${worker}: the submitter's key of "${data.node}" is ` +
            `${data.key.slice(0, 12)}, this worker's is ${node?.key.slice(0, 12) ?? "(no such stage)"}. ` +
            `Run every machine on the same commit, package-lock.json and Node.js major (this one: ${Plan.runtime}).`
        )
      )
    }
    const scheduler = yield* Scheduler.Scheduler
    const report = yield* scheduler.run(Plan.restrict(plan, node.name), {
      rerun: data.force ? [node.name] : [],
      checkpointIntervalMs: settings.checkpointSeconds * 1000,
      worker,
      record: false,
      force: true
    })
    const stage = report.stages.find((s) => s.name === node.name)!
    const status = stage.status === "ran" || stage.status === "resumed" ? stage.status : "cached"
    yield* event("end", { status })
    return { status, seconds: stage.seconds, outputDigest: stage.outputDigest, worker } satisfies JobResult
  })

  const layer = Engine.layer({
    runner: LocalRunner.layer({ jobs: 1, memoryBudget: Number.MAX_SAFE_INTEGER }),
    cache: Cache.layer({ dir: cacheDir, lockStaleMs: settings.lockStaleMs }),
    progress: Layer.succeed(ProgressModule.Progress, jobProgress(job, data.node, worker)),
    pool: pool ?? Layer.succeed(WorkerPool.WorkerPool, inlinePool)
  }).pipe(Layer.provideMerge(NodeContext.layer))
  // An abort (the worker is stopping) interrupts the stage: its checkpoint is flushed, its lock
  // released; the job goes back to wait for another worker, without using up an attempt.
  const exit = await Effect.runPromiseExit(
    program.pipe(
      Effect.tapErrorCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.void : event("error", { detail: Cause.pretty(cause).slice(0, 2000) })
      ),
      Effect.provide(layer)
    ),
    signal === undefined ? {} : { signal }
  )
  if (Exit.isSuccess(exit)) return exit.value
  if (Cause.isInterruptedOnly(exit.cause) && token !== undefined) {
    await job.moveToWait(token)
    const e = new Error("the worker is stopping; the job went back to the queue")
    e.name = "WaitingError"
    throw e
  }
  const defect = Cause.dieOption(exit.cause)
  if (defect._tag === "Some" && defect.value instanceof Error && defect.value.name === "UnrecoverableError") {
    throw defect.value
  }
  const failure = Cause.failureOption(exit.cause)
  throw new Error(
    failure._tag === "Some" ? String((failure.value as Error).message ?? failure.value) : Cause.pretty(exit.cause)
  )
}
