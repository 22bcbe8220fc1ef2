/**
 * The program a SLURM batch job runs (`node dist/src/engine/slurm/job.js DATA`, DATA the job's
 * data as base64 JSON): it computes one stage through the BullMQ job processor
 * (`distributed/processor.ts`), the same code path as a `pipeline worker`'s job: decode the data,
 * plan the run again, check the stage key, run the scheduler with the local runner under the key's
 * lock, resume from the last checkpoint, commit atomically, log to `.computations/<key>.jsonl`.
 *
 * It writes how the stage ended to `.slurm/<key>/<jobid>.result.json` and its progress to
 * `.slurm/<key>/progress.json` (at most once a second), and exits 0 when the entry exists, 3 when
 * retrying cannot help (the node computes another key: other code, params or Node.js major), 1 on
 * any other failure. SIGTERM (scancel, the time limit, preemption) stops the stage at a clean point:
 * its checkpoint is flushed and its lock released before the process exits (143), so the
 * resubmitted job resumes from there.
 *
 * With more than one CPU (`SLURM_CPUS_PER_TASK`) the stage's tasks run on that many worker
 * threads; with one, inline on the main thread, as in a BullMQ worker's sandbox.
 *
 * @module job
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import processStage, { type StageJob } from "../distributed/processor.js"
import { JobData, workerId } from "../distributed/Queue.js"
import * as SideFile from "../SideFile.js"
import * as WorkerPool from "../WorkerPool.js"
import * as Jobs from "./Jobs.js"

/** Exit code of a failure no retry can mend. */
export const UNRECOVERABLE_EXIT = 3

const fail = (message: string, code: number): never => {
  process.stderr.write(`plastic-net job: ${message}\n`)
  process.exit(code)
}

const main = async () => {
  const encoded = process.argv[2]
  if (encoded === undefined) fail("usage: job.js DATA (the stage job's data, base64 JSON)", UNRECOVERABLE_EXIT)
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(encoded!, "base64").toString("utf8"))
  } catch {
    fail("the job's data is not base64 JSON", UNRECOVERABLE_EXIT)
  }
  const data = Option.getOrElse(Schema.decodeUnknownOption(JobData)(raw), () =>
    fail("the job's data is not a stage job of this project", UNRECOVERABLE_EXIT)
  )
  const cacheDir = process.env.PIPELINE_CACHE
  if (cacheDir === undefined || cacheDir === "") fail("PIPELINE_CACHE is not set", UNRECOVERABLE_EXIT)
  const jobId = process.env.SLURM_JOB_ID ?? `local-${process.pid}`
  const cpus = Math.max(1, Number.parseInt(process.env.SLURM_CPUS_PER_TASK ?? "1", 10) || 1)
  const attempt = Math.max(0, Number.parseInt(process.env.PIPELINE_SLURM_ATTEMPT ?? "0", 10) || 0)
  const worker = workerId()
  process.stderr.write(
    `plastic-net job ${jobId}: ${data.node} (${data.key.slice(0, 12)}) on ${worker}, ${cpus} CPU${cpus === 1 ? "" : "s"}, retry ${attempt}\n`
  )

  // SIGTERM (scancel, time limit, preemption) and SIGINT stop the stage at a clean point.
  const stop = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`plastic-net job ${jobId}: ${signal}; saving the checkpoint and stopping\n`)
    stop.abort()
  }
  process.on("SIGTERM", onSignal)
  process.on("SIGINT", onSignal)

  // At most one progress write a second (and the last one); a write is a rename, never half a file.
  const progressPath = Jobs.progressFile(cacheDir!, data.key)
  let lastWrite = 0
  const writeProgress = (p: { done: number; total: number; note?: string }) => {
    const now = Date.now()
    if (now - lastWrite < 1000 && p.done < p.total) return
    lastWrite = now
    try {
      mkdirSync(dirname(progressPath), { recursive: true })
      const tmp = `${progressPath}.${process.pid}.tmp`
      writeFileSync(
        tmp,
        JSON.stringify({ jobId, done: p.done, total: p.total, ...(p.note === undefined ? {} : { note: p.note }) })
      )
      renameSync(tmp, progressPath)
    } catch {
      // Progress is only shown; a failed write is no failure of the stage.
    }
  }
  const job: StageJob = {
    data,
    attemptsMade: attempt,
    updateProgress: async (p) => {
      if (typeof p === "object" && p !== null && typeof (p as { done?: unknown }).done === "number") {
        writeProgress(p as { done: number; total: number; note?: string })
      }
    },
    moveToWait: async () => undefined
  }
  const pool = cpus > 1 ? Layer.scoped(WorkerPool.WorkerPool, WorkerPool.make(cpus)) : undefined

  const writeResult = (result: Jobs.JobResult) =>
    Effect.runPromise(
      SideFile.write(Jobs.resultFile(cacheDir!, data.key, jobId), Jobs.JobResult, result).pipe(
        Effect.provide(NodeContext.layer),
        Effect.ignore
      )
    )

  const t0 = performance.now()
  try {
    const result = await processStage(job, undefined, stop.signal, pool)
    await writeResult({ jobId, status: result.status, seconds: result.seconds, worker })
    process.stderr.write(`plastic-net job ${jobId}: ${result.status} in ${result.seconds.toFixed(2)} s\n`)
    process.exit(0)
  } catch (e) {
    if (stop.signal.aborted) {
      process.stderr.write(`plastic-net job ${jobId}: stopped; the checkpoint is saved\n`)
      process.exit(143)
    }
    const error = e as Error
    const unrecoverable = error?.name === "UnrecoverableError"
    const message = String(error?.message ?? e)
    await writeResult({
      jobId,
      status: "failed",
      seconds: Math.round(performance.now() - t0) / 1000,
      worker,
      error: message.slice(0, 4000),
      ...(unrecoverable ? { unrecoverable: true } : {})
    })
    fail(message, unrecoverable ? UNRECOVERABLE_EXIT : 1)
  }
}

await main()
