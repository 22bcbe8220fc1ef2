/**
 * Where each stage's SLURM job is (`pipeline status NAME`): the key's last job from its record
 * (`.slurm/<key>/jobs.json`), its state asked of `squeue` when the record's is not final (one call
 * for all the stages), and the jobs before it when it was resubmitted. Without the SLURM tools (a
 * laptop reading a copied cache), the recorded states are shown as such.
 *
 * @module SlurmStatus
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Jobs from "./Jobs.js"
import * as Slurm from "./Slurm.js"

/** A stage's SLURM job, as `status` shows it. */
export interface JobView {
  readonly jobId: string
  /** SLURM's state (PENDING, RUNNING, COMPLETED, CANCELLED, FAILED, TIMEOUT, …). */
  readonly state: string
  /** The state is `squeue`'s now (false: as the submitter last recorded it). */
  readonly live: boolean
  readonly exitCode?: number
  readonly signal?: number
  readonly reason?: string
  readonly nodes?: string
  /** How its stage ended (ran, resumed, cached, failed), when it wrote its result. */
  readonly outcome?: string
  /** Progress of a running job. */
  readonly done?: number
  readonly total?: number
  /** The key's earlier jobs (resubmitted after they ended), oldest first. */
  readonly earlier: ReadonlyArray<{ readonly jobId: string; readonly state: string }>
}

/** The SLURM job of each key that has one. */
export const jobStates = (cacheDir: string, keys: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const records = new Map<string, Jobs.JobRecord>()
    for (const key of new Set(keys)) {
      const record = yield* Jobs.readRecord(cacheDir, key)
      if (Option.isSome(record) && record.value.submissions.length > 0) records.set(key, record.value)
    }
    const open = [...records.values()].filter((r) => {
      const last = r.submissions.at(-1)!
      return last.state === undefined || Slurm.isActive(last.state)
    })
    const listed =
      open.length === 0
        ? new Map<string, Slurm.JobInfo>()
        : yield* Slurm.squeue(
            open.map((r) => Jobs.jobName(r.key)),
            { timeoutMs: 15_000 }
          ).pipe(
            Effect.map((jobs) => new Map(jobs.map((j) => [j.jobId, j]))),
            Effect.orElseSucceed(() => undefined)
          )
    const out: Record<string, JobView> = {}
    for (const [key, record] of records) {
      const last = record.submissions.at(-1)!
      const now = listed?.get(last.jobId)
      const running = (now?.state ?? last.state) === "RUNNING"
      const progress = running ? yield* Jobs.readProgress(cacheDir, key) : Option.none()
      const p = Option.filter(progress, (x) => x.jobId === last.jobId)
      const source = now ?? last
      // A job squeue no longer lists, recorded running, that wrote its result: it has ended so.
      const inferred =
        now === undefined && (last.state === undefined || Slurm.isActive(last.state)) && last.outcome !== undefined
      out[key] = {
        jobId: last.jobId,
        state: inferred ? (last.outcome === "failed" ? "FAILED" : "COMPLETED") : (source.state ?? "UNKNOWN"),
        live: now !== undefined,
        ...(source.exitCode === undefined ? {} : { exitCode: source.exitCode }),
        ...(source.signal === undefined ? {} : { signal: source.signal }),
        ...(source.reason === undefined ? {} : { reason: source.reason }),
        ...(source.nodes === undefined ? {} : { nodes: source.nodes }),
        ...(last.outcome === undefined ? {} : { outcome: last.outcome }),
        ...(Option.isSome(p) ? { done: p.value.done, total: p.value.total } : {}),
        earlier: record.submissions.slice(0, -1).map((s) => ({ jobId: s.jobId, state: s.state ?? "UNKNOWN" }))
      }
    }
    return out
  })

/** One line about a stage's job: `job 17 RUNNING on node3 4/8`, `job 23 COMPLETED (after job 17 CANCELLED)`. */
export const describe = (job: JobView): string => {
  const ended = !Slurm.isActive(job.state)
  const state = ended ? Slurm.describeEnd(job) : `${job.state}${job.reason === undefined ? "" : ` (${job.reason})`}`
  return [
    `job ${job.jobId} ${state}`,
    job.state === "RUNNING" && job.nodes !== undefined ? ` on ${job.nodes}` : "",
    job.done === undefined ? "" : ` ${job.done}/${job.total}`,
    job.live || ended ? "" : " (as last recorded; squeue does not list it)",
    job.earlier.length === 0 ? "" : ` (after ${job.earlier.map((e) => `job ${e.jobId} ${e.state}`).join(", ")})`
  ].join("")
}
