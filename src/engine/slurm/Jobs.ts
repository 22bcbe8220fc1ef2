/**
 * The SLURM runner's files, next to the entries in the shared cache, one folder per stage key:
 *
 *     .slurm/cache-id                 the cache's id, in every job's comment
 *     .slurm/<key>/jobs.json          the key's submissions: job ids, resources, last seen states
 *     .slurm/<key>/submit.lock        held while a submitter looks the key's job up and submits
 *     .slurm/<key>/<jobid>.log        the job's stdout and stderr (sbatch --output)
 *     .slurm/<key>/<jobid>.result.json  how the job's stage ended, written by the job
 *     .slurm/<key>/progress.json      the running job's progress (trials done of total)
 *
 * `jobs.json` and the results are side files (`SideFile.ts`): written atomically with a checksum,
 * decoded on read, moved aside with a warning when damaged. The progress file is only shown, so a
 * damaged one is ignored. The submission lock (proper-lockfile: an atomic `mkdir`, safe on NFS) is
 * what makes "one job per key" hold across submitters on several login nodes: under it a submitter
 * reads `jobs.json`, asks `squeue` whether the last job is alive, and either attaches to it or
 * submits and records the new job before letting go.
 *
 * @module Jobs
 */
import { randomBytes } from "node:crypto"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { isKey } from "../cache/Layout.js"
import * as SideFile from "../SideFile.js"

/** The runner's folder of a key. */
export const keyDir = (cacheDir: string, key: string): string => {
  if (!isKey(key)) throw new Error(`"${key}" is not a stage key`)
  return `${cacheDir}/.slurm/${key}`
}

export const jobsFile = (cacheDir: string, key: string) => `${keyDir(cacheDir, key)}/jobs.json`
export const lockFile = (cacheDir: string, key: string) => `${keyDir(cacheDir, key)}/submit.lock`
export const logFile = (cacheDir: string, key: string, jobId: string) => `${keyDir(cacheDir, key)}/${jobId}.log`
export const resultFile = (cacheDir: string, key: string, jobId: string) =>
  `${keyDir(cacheDir, key)}/${jobId}.result.json`
export const progressFile = (cacheDir: string, key: string) => `${keyDir(cacheDir, key)}/progress.json`

/** The job name of a key's jobs: what `squeue` finds them by. */
export const jobName = (key: string) => `pn-${key}`

/**
 * A job's comment: its node's name, and the id of the cache it writes (`.slurm/cache-id`), so a
 * submitter attaches only to jobs of its own cache (two caches may compute the same key).
 */
export const comment = (node: string, cacheId: string) => `${node.slice(0, 200)} @${cacheId}`

/** Whether a job's comment says it writes the cache of this id. */
export const writesCache = (jobComment: string, cacheId: string) => jobComment.endsWith(` @${cacheId}`)

/**
 * The id of a cache (12 hex digits in `.slurm/cache-id`, made by the first submitter): the same
 * for every machine that mounts the cache, whatever path it mounts it at.
 */
export const cacheId = (cacheDir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const file = `${cacheDir}/.slurm/cache-id`
    const valid = (text: string) => /^[0-9a-f]{12}$/.test(text.trim())
    const existing = yield* fs.readFileString(file).pipe(Effect.option)
    if (Option.isSome(existing) && valid(existing.value)) return existing.value.trim()
    yield* fs.makeDirectory(`${cacheDir}/.slurm`, { recursive: true })
    const fresh = randomBytes(6).toString("hex")
    // Exclusive create: of two submitters making it at once, one writes and both read its id.
    const tmp = `${file}.${process.pid}.tmp`
    yield* fs.writeFileString(tmp, `${fresh}\n`)
    yield* fs.link(tmp, file).pipe(Effect.ignore)
    yield* fs.remove(tmp).pipe(Effect.ignore)
    const id = yield* fs.readFileString(file)
    if (valid(id)) return id.trim()
    // A damaged id (not ours to repair while others may read it): this run uses its own.
    yield* Effect.logWarning(`${file} does not hold a cache id; this run uses ${fresh}.`)
    return fresh
  })

const JobId = Schema.String.pipe(Schema.pattern(/^\d+(_\d+)?$/))

/** One submitted job of a key. */
export const Submission = Schema.Struct({
  jobId: JobId,
  submittedAt: Schema.String,
  /** `host:pid` of the submitter. */
  by: Schema.String,
  /** 0 for the first job of a submitter's wait, then 1, 2, … for its resubmissions. */
  attempt: Schema.Number,
  resources: Schema.Struct({
    cpus: Schema.Number,
    memMb: Schema.Number,
    minutes: Schema.Number,
    partition: Schema.optional(Schema.String),
    account: Schema.optional(Schema.String)
  }),
  /** The state SLURM last reported (PENDING, RUNNING, COMPLETED, CANCELLED, …). */
  state: Schema.optional(Schema.String),
  exitCode: Schema.optional(Schema.Number),
  signal: Schema.optional(Schema.Number),
  reason: Schema.optional(Schema.String),
  nodes: Schema.optional(Schema.String),
  /** When the state was seen. */
  seenAt: Schema.optional(Schema.String),
  /** How its stage ended, from its result file (ran, resumed, cached, failed). */
  outcome: Schema.optional(Schema.String)
})
export type Submission = typeof Submission.Type

/** A key's submissions, oldest first. */
export const JobRecord = Schema.Struct({
  version: Schema.Literal(1),
  key: Schema.String,
  /** The node name of the stage (as the submitter that first submitted it named it). */
  node: Schema.String,
  submissions: Schema.Array(Submission)
})
export type JobRecord = typeof JobRecord.Type

/** How a job's stage ended, written by the job before it exits. */
export const JobResult = Schema.Struct({
  jobId: Schema.String,
  status: Schema.Literal("ran", "resumed", "cached", "failed"),
  seconds: Schema.Number,
  /** `host:pid` of the job's process. */
  worker: Schema.String,
  /** Why it failed. */
  error: Schema.optional(Schema.String),
  /** The failure cannot go away on a retry (another code, params or Node.js major on the node). */
  unrecoverable: Schema.optional(Schema.Boolean)
})
export type JobResult = typeof JobResult.Type

/** A running job's progress. */
export const JobProgress = Schema.Struct({
  jobId: Schema.String,
  done: Schema.Number,
  total: Schema.Number,
  note: Schema.optional(Schema.String)
})
export type JobProgress = typeof JobProgress.Type

const corruptDir = (cacheDir: string) => `${cacheDir}/.corrupt`

/** A key's job record (None when there is none, or it is damaged: then with a warning, moved aside). */
export const readRecord = (cacheDir: string, key: string) =>
  SideFile.read(jobsFile(cacheDir, key), JobRecord, {
    corruptDir: corruptDir(cacheDir),
    what: "The SLURM job record"
  })

/** Writes a key's job record. */
export const writeRecord = (cacheDir: string, record: JobRecord) =>
  SideFile.write(jobsFile(cacheDir, record.key), JobRecord, record)

/** A job's result (None when it wrote none, or it is damaged). */
export const readResult = (cacheDir: string, key: string, jobId: string) =>
  SideFile.read(resultFile(cacheDir, key, jobId), JobResult, {
    corruptDir: corruptDir(cacheDir),
    what: "The SLURM job result"
  })

/** A running job's progress (None when absent or unreadable: it is only shown). */
export const readProgress = (cacheDir: string, key: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(progressFile(cacheDir, key))
    return yield* Schema.decodeUnknown(Schema.parseJson(JobProgress))(text)
  }).pipe(Effect.option)

/** The lock library, loaded on first use. */
const lockfile = Effect.promise(() => import("proper-lockfile"))

/**
 * Runs `body` holding the key's submission lock (waiting up to about a minute for another
 * submitter; a lock whose holder died goes stale after `staleMs`).
 */
export const withSubmitLock = <A, E, R>(
  cacheDir: string,
  key: string,
  staleMs: number,
  body: Effect.Effect<A, E, R>
): Effect.Effect<A, E | Error, R | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const lib = yield* lockfile
    yield* fs
      .makeDirectory(keyDir(cacheDir, key), { recursive: true })
      .pipe(Effect.mapError((e) => new Error(e.message)))
    const stale = Math.max(2000, staleMs)
    return yield* Effect.acquireUseRelease(
      Effect.tryPromise({
        try: () =>
          lib.lock(lockFile(cacheDir, key), {
            realpath: false,
            stale,
            update: Math.floor(stale / 4),
            retries: { retries: 600, minTimeout: 50, maxTimeout: 200, factor: 1.2 },
            onCompromised: () => undefined
          }),
        catch: (e) =>
          new Error(
            `Cannot take the SLURM submission lock of ${key.slice(0, 12)}: ${String((e as Error).message ?? e)}`
          )
      }),
      () => body,
      (release) => Effect.promise(() => release().catch(() => undefined))
    )
  })

/** Reads a record, changes it, and writes it back (call under the submission lock). */
export const updateRecord = (cacheDir: string, key: string, node: string, change: (record: JobRecord) => JobRecord) =>
  Effect.gen(function* () {
    const old = yield* readRecord(cacheDir, key)
    const base = Option.getOrElse(old, (): JobRecord => ({ version: 1, key, node, submissions: [] }))
    const next = change(base)
    yield* writeRecord(cacheDir, next)
    return next
  })
