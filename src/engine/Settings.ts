/**
 * The engine's settings from the environment, read through `effect/Config`: each is validated, has
 * its default, and a bad value fails with a message naming the variable (`PIPELINE_WORKERS: expected
 * an integer ≥ 1, got "abc"`) instead of being used silently. The CLI's flags (`--cache`,
 * `--workers`, …) fall back to these.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `PIPELINE_CACHE` | `<project>/cache` | the cache folder |
 * | `PIPELINE_OUT` | `<project>/out` | where published artifacts go |
 * | `PIPELINE_WORKERS` | available cores | worker threads of the pool |
 * | `PIPELINE_JOBS` | the pool's size | stages computing at once (local runner) |
 * | `PIPELINE_MEMORY_MB` | 80% of free memory | the memory the running stages' estimates may add up to |
 * | `PIPELINE_CHECKPOINT_SECONDS` | 3 | minimum interval between checkpoint writes (≤ 3600) |
 * | `PIPELINE_LOCK_STALE_MS` | 10000 | when the lock of a dead process is taken over (2000 … 3 600 000) |
 * | `PIPELINE_MAX_CPU_HOURS` | 4 | estimated CPU hours above which a run needs `--force` |
 * | `PIPELINE_WARM` | true | serve unchanged runs from the warm-run memo |
 * | `PIPELINE_EXECUTOR` | `local` | `bullmq`: stages run on `pipeline worker`s; `slurm`: as SLURM batch jobs |
 * | `PIPELINE_REDIS` | — | the Redis URL of the bullmq executor |
 * | `PIPELINE_QUEUE` | `plastic-net-stages` | the BullMQ queue name |
 * | `PIPELINE_LOCK_DURATION_MS` | 60000 | a BullMQ job's lock |
 * | `PIPELINE_STALLED_INTERVAL_MS` | 30000 | how often workers look for stalled jobs |
 * | `PIPELINE_MAX_STALLED` | 2 | requeues of a job after worker deaths |
 * | `PIPELINE_JOB_ATTEMPTS` | 3 | runs of a stage that throws before its job fails |
 *
 * @module Settings
 */
import { availableParallelism, freemem } from "node:os"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import { SettingError } from "./Errors.js"

/** An upper bound of a setting and why (the message says both). */
interface Max {
  readonly max: number
  readonly reason: string
}

const expected = (kind: string, min: number, max: Max | undefined) =>
  max === undefined ? `expected ${kind} ≥ ${min}` : `expected ${kind} from ${min} to ${max.max} (${max.reason})`

const integer = (name: string, min: number, fallback: number, max?: Max) =>
  Config.integer(name).pipe(
    Config.validate({
      message: expected("an integer", min, max),
      validation: (n) => Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max.max)
    }),
    Config.withDefault(fallback)
  )

const number = (name: string, min: number, fallback: number, max?: Max) =>
  Config.number(name).pipe(
    Config.validate({
      message: expected("a number", min, max),
      validation: (n) => Number.isFinite(n) && n >= min && (max === undefined || n <= max.max)
    }),
    Config.withDefault(fallback)
  )

/** `PIPELINE_CACHE` (absent: `<project>/cache`). */
export const cacheDir = Config.nonEmptyString("PIPELINE_CACHE")
/** `PIPELINE_OUT` (absent: `<project>/out`). */
export const outDir = Config.nonEmptyString("PIPELINE_OUT")
/** `PIPELINE_WORKERS`: worker threads. */
export const workers = integer("PIPELINE_WORKERS", 1, availableParallelism())
/** `PIPELINE_JOBS`: stages computing at once (none: the pool's size). */
export const jobs = Config.option(
  Config.integer("PIPELINE_JOBS").pipe(
    Config.validate({ message: "expected an integer ≥ 1", validation: (n) => n >= 1 })
  )
)
/** `PIPELINE_MEMORY_MB`: the memory budget of the running stages, in MiB (none: 80% of free memory). */
export const memoryBudget = Config.integer("PIPELINE_MEMORY_MB").pipe(
  Config.validate({ message: "expected an integer ≥ 64 (MiB)", validation: (n) => n >= 64 }),
  Config.map((mb) => mb * 2 ** 20),
  Config.withDefault(Math.max(512 * 2 ** 20, Math.floor(0.8 * freemem())))
)
/** `PIPELINE_CHECKPOINT_SECONDS`: minimum interval between two checkpoint writes of a stage. */
export const checkpointSeconds = number("PIPELINE_CHECKPOINT_SECONDS", 0, 3, {
  max: 3600,
  reason: "a longer interval loses more than an hour of an interrupted training"
})
/** `PIPELINE_LOCK_STALE_MS`: age after which a dead process's lock is taken over. */
export const lockStaleMs = integer("PIPELINE_LOCK_STALE_MS", 2000, 10_000, {
  max: 3_600_000,
  reason: "a killed process's lock on another host would block its key for more than an hour"
})
/**
 * `PIPELINE_MAX_CPU_HOURS`: the estimated CPU time (hours on one core) above which a run is refused
 * without `--force` (a full default experiment takes about 2 minutes; 100 000 training trials, 9 h).
 */
export const maxCpuHours = number("PIPELINE_MAX_CPU_HOURS", 0, 4, {
  max: 1e6,
  reason: "a bound beyond any machine's reach"
})
/** `PIPELINE_WARM`: serve unchanged runs from the warm-run memo (`0`/`false` disables). */
export const warm = Config.boolean("PIPELINE_WARM").pipe(Config.withDefault(true))
/** `PIPELINE_EXECUTOR`: `local`, `bullmq` or `slurm`. */
export const executor = Config.literal(
  "local",
  "bullmq",
  "slurm"
)("PIPELINE_EXECUTOR").pipe(Config.withDefault("local" as const))
/** `PIPELINE_REDIS`: the Redis URL of the bullmq executor and of `pipeline worker`. */
export const redis = Config.nonEmptyString("PIPELINE_REDIS")
/** `PIPELINE_QUEUE`: the BullMQ queue's name. */
export const queue = Config.nonEmptyString("PIPELINE_QUEUE").pipe(Config.withDefault("plastic-net-stages"))
/** `PIPELINE_LOCK_DURATION_MS`: a BullMQ job's lock. */
export const jobLockMs = integer("PIPELINE_LOCK_DURATION_MS", 1000, 60_000)
/** `PIPELINE_STALLED_INTERVAL_MS`: how often workers look for jobs whose lock lapsed. */
export const stalledIntervalMs = integer("PIPELINE_STALLED_INTERVAL_MS", 500, 30_000)
/** `PIPELINE_MAX_STALLED`: requeues of a job after worker deaths before it fails. */
export const maxStalled = integer("PIPELINE_MAX_STALLED", 0, 2)
/** `PIPELINE_JOB_ATTEMPTS`: runs of a stage that throws before its job fails. */
export const jobAttempts = integer("PIPELINE_JOB_ATTEMPTS", 1, 3)

/** The first variable a config error is about, and what was wrong, as a {@link SettingError}. */
export const settingError = (error: ConfigError.ConfigError): SettingError => {
  const found: Array<{ path: string; message: string }> = []
  const visit = (e: ConfigError.ConfigError) => {
    switch (e._op) {
      case "And":
      case "Or":
        visit(e.left)
        visit(e.right)
        return
      case "InvalidData":
      case "MissingData":
      case "SourceUnavailable":
      case "Unsupported":
        found.push({ path: e.path.join("."), message: e.message })
    }
  }
  visit(error)
  const first = found[0] ?? { path: "(environment)", message: String(error) }
  return new SettingError({ variable: first.path, detail: first.message })
}

/** Reads a setting, failing with a {@link SettingError} that names the variable. */
export const read = <A>(config: Config.Config<A>) => Effect.mapError(config, settingError)
