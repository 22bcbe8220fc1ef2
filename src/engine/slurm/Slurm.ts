/**
 * The SLURM client: the command-line tools (`sbatch`, `squeue --json`, `sacct`) run as child
 * processes through @effect/platform's `Command` (no shell), as Snakemake's and Nextflow's SLURM
 * executors do. There is no maintained npm client, and `slurmrestd` is tied to the SLURM version
 * and refuses to run as root; the tools are the portable interface.
 *
 * What the tools print is parsed for SLURM 22.05 (Debian 12: a job's state is one string, its exit
 * code the raw wait status, and `squeue --json` ignores every filter) and for 23.02 and later (a
 * state is a list of a base state and flags, an exit code an object with `return_code` and
 * `signal`). Filters are passed anyway and applied again here.
 *
 * @module Slurm
 */
import * as Command from "@effect/platform/Command"
import type * as CommandExecutor from "@effect/platform/CommandExecutor"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** A SLURM tool could not be run, or refused what it was asked. */
export class SlurmCommandError extends Data.TaggedError("SlurmCommandError")<{
  /** The command as typed (`sbatch --parsable …`). */
  readonly command: string
  readonly detail: string
  /** The controller did not answer (a later try may); absent: judged from the detail's words. */
  readonly transient?: boolean
}> {
  override get message() {
    return `\`${this.command}\` failed: ${this.detail}`
  }
}

/** One job as `squeue` (or `sacct`) reports it. */
export interface JobInfo {
  readonly jobId: string
  readonly name: string
  /** The job's comment (this project puts the stage's node name there). */
  readonly comment: string
  /** The base state: PENDING, RUNNING, COMPLETED, CANCELLED, FAILED, TIMEOUT, … */
  readonly state: string
  /** State flags of SLURM 23.02+ (COMPLETING, REQUEUED, …). */
  readonly flags: ReadonlyArray<string>
  /** Still queued, running or being cleaned up: not to be submitted again. */
  readonly active: boolean
  /** The batch script's exit code (finished jobs). */
  readonly exitCode?: number
  /** The signal that ended it (0: none). */
  readonly signal?: number
  /** Why it pends or ended (`Resources`, `NonZeroExitCode`, …). */
  readonly reason?: string
  /** The node (list) it runs or ran on. */
  readonly nodes?: string
  readonly user?: string
}

/** States (base or flag) of a job that still exists on the cluster and may still run or write. */
export const activeStates: ReadonlySet<string> = new Set([
  "PENDING",
  "RUNNING",
  "SUSPENDED",
  "COMPLETING",
  "CONFIGURING",
  "REQUEUED",
  "REQUEUE_FED",
  "REQUEUE_HOLD",
  "RESIZING",
  "RESV_DEL_HOLD",
  "SIGNALING",
  "SPECIAL_EXIT",
  "STAGE_OUT",
  "STOPPED",
  "POWER_UP_NODE",
  "UPDATE_DB"
])

/** A number from SLURM's JSON: plain (22.05) or `{ set, infinite, number }` (23.02+). */
const numberOf = (value: unknown): number | undefined => {
  if (typeof value === "number" && Number.isFinite(value)) return value
  if (typeof value === "object" && value !== null) {
    const v = value as { set?: unknown; number?: unknown }
    if (v.set === false) return undefined
    if (typeof v.number === "number" && Number.isFinite(v.number)) return v.number
  }
  return undefined
}

const stringOf = (value: unknown): string | undefined => {
  if (typeof value === "string") return value
  if (typeof value === "number") return String(value)
  return undefined
}

/**
 * The exit code and signal of a job's `exit_code`: 22.05 gives the raw wait status (`768`: exit
 * code 3; `9`: killed by signal 9); 23.02+ an object `{ return_code, signal: { id, name } }`.
 */
export const exitStatus = (raw: unknown): { readonly exitCode?: number; readonly signal?: number } => {
  const plain = numberOf(raw)
  if (typeof raw === "number" && plain !== undefined) return { exitCode: (plain >> 8) & 0xff, signal: plain & 0x7f }
  if (typeof raw !== "object" || raw === null) return {}
  const o = raw as { return_code?: unknown; signal?: unknown }
  const exitCode = numberOf(o.return_code)
  const s = o.signal as { id?: unknown; signal_id?: unknown } | undefined
  const signal = typeof s === "object" && s !== null ? (numberOf(s.id) ?? numberOf(s.signal_id)) : numberOf(s)
  return { ...(exitCode === undefined ? {} : { exitCode }), ...(signal === undefined ? {} : { signal }) }
}

/** The base state and flags of a job's `job_state`: `"RUNNING"` (22.05) or `["RUNNING", "COMPLETING"]`. */
export const jobState = (raw: unknown): { readonly state: string; readonly flags: ReadonlyArray<string> } => {
  const list = Array.isArray(raw) ? raw.filter((s): s is string => typeof s === "string") : [String(raw ?? "")]
  const [state = "UNKNOWN", ...flags] = list.map((s) => s.toUpperCase())
  return { state: state === "" ? "UNKNOWN" : state, flags }
}

/** Whether a job in this state (with these flags) still exists on the cluster. */
export const isActive = (state: string, flags: ReadonlyArray<string> = []): boolean =>
  activeStates.has(state) || flags.some((f) => activeStates.has(f))

/** A job's comment: a string, or (some versions) an object whose `job` field is the user's comment. */
const commentOf = (raw: unknown): string => {
  if (typeof raw === "string") return raw
  if (typeof raw === "object" && raw !== null) return stringOf((raw as { job?: unknown }).job) ?? ""
  return ""
}

/** The jobs of `squeue --json`'s output (unknown or malformed entries are skipped). */
export const parseSqueue = (json: unknown): ReadonlyArray<JobInfo> => {
  const jobs = (json as { jobs?: unknown } | null)?.jobs
  if (!Array.isArray(jobs)) return []
  const out: Array<JobInfo> = []
  for (const j of jobs as ReadonlyArray<Record<string, unknown>>) {
    if (typeof j !== "object" || j === null) continue
    const jobId = stringOf(numberOf(j.job_id) ?? j.job_id)
    if (jobId === undefined) continue
    const { state, flags } = jobState(j.job_state)
    const { exitCode, signal } = exitStatus(j.exit_code)
    const reason = stringOf(j.state_reason)
    const nodes = stringOf(j.nodes) ?? stringOf(j.batch_host)
    const user = stringOf(j.user_name)
    out.push({
      jobId,
      name: stringOf(j.name) ?? "",
      comment: commentOf(j.comment),
      state,
      flags,
      active: isActive(state, flags),
      ...(exitCode === undefined ? {} : { exitCode }),
      ...(signal === undefined ? {} : { signal }),
      ...(reason === undefined || reason === "None" ? {} : { reason }),
      ...(nodes === undefined || nodes === "" ? {} : { nodes }),
      ...(user === undefined ? {} : { user })
    })
  }
  return out
}

/**
 * The job of `sacct -j ID -X -n -P -o JobID,JobName,State,ExitCode,NodeList` (one line,
 * `|`-separated; a state may read `CANCELLED by 0`; an exit code reads `code:signal`).
 */
export const parseSacct = (text: string, jobId: string): Option.Option<JobInfo> => {
  for (const line of text.split("\n")) {
    const [id, name = "", stateText = "", exit = "", nodes = ""] = line.trim().split("|")
    if (id !== jobId) continue
    const state = stateText.split(" ")[0]!.toUpperCase() || "UNKNOWN"
    const [code, signal] = exit.split(":").map(Number)
    return Option.some({
      jobId,
      name,
      comment: "",
      state,
      flags: [],
      active: isActive(state),
      ...(Number.isInteger(code) ? { exitCode: code! } : {}),
      ...(Number.isInteger(signal) ? { signal: signal! } : {}),
      ...(nodes === "" || nodes === "None assigned" ? {} : { nodes })
    })
  }
  return Option.none()
}

/** How a finished job ended, for messages: `CANCELLED (exit code 0, signal 15)`. */
export const describeEnd = (job: Pick<JobInfo, "state" | "exitCode" | "signal" | "reason">): string => {
  const parts: Array<string> = []
  const clean = job.state === "COMPLETED" && (job.exitCode ?? 0) === 0 && (job.signal ?? 0) === 0
  if (job.exitCode !== undefined && !clean) parts.push(`exit code ${job.exitCode}`)
  if (job.signal !== undefined && job.signal !== 0) parts.push(`signal ${job.signal}`)
  if (job.reason !== undefined && job.reason !== "None" && job.reason !== "NonZeroExitCode") parts.push(job.reason)
  return parts.length === 0 ? job.state : `${job.state} (${parts.join(", ")})`
}

/** What a command printed, and how it exited. */
export interface Output {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

const collect = <E>(stream: Stream.Stream<Uint8Array, E>) => stream.pipe(Stream.decodeText(), Stream.mkString)

const shown = (command: string, args: ReadonlyArray<string>) =>
  [command, ...args].map((a) => (/^[\w./:=,@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ")

/**
 * Runs a SLURM tool with `args` (and `stdin`), killed after `timeoutMs`; fails only when it cannot
 * be started or times out (a non-zero exit is the caller's to judge).
 */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly stdin?: string; readonly timeoutMs?: number } = {}
): Effect.Effect<Output, SlurmCommandError, CommandExecutor.CommandExecutor> => {
  const what = shown(command, args.length > 6 ? [...args.slice(0, 6), "…"] : args)
  const timeoutMs = options.timeoutMs ?? 60_000
  let cmd = Command.make(command, ...args)
  if (options.stdin !== undefined) cmd = Command.feed(cmd, options.stdin)
  return Effect.scoped(
    Effect.gen(function* () {
      const process = yield* Command.start(cmd)
      const [stdout, stderr, exitCode] = yield* Effect.all(
        [collect(process.stdout), collect(process.stderr), process.exitCode],
        {
          concurrency: 3
        }
      )
      return { stdout, stderr, exitCode: Number(exitCode) }
    })
  ).pipe(
    Effect.timeoutFail({
      duration: timeoutMs,
      onTimeout: () => new SlurmCommandError({ command: what, detail: `no answer in ${timeoutMs / 1000} s` })
    }),
    Effect.catchTags({
      SystemError: (e) =>
        Effect.fail(
          new SlurmCommandError({
            command: what,
            detail:
              e.reason === "NotFound"
                ? `${command} is not installed here, or not on PATH (load the cluster's SLURM module, or run this on a login node)`
                : e.message
          })
        ),
      BadArgument: (e) => Effect.fail(new SlurmCommandError({ command: what, detail: e.message }))
    })
  )
}

/** Errors of a busy or restarting controller, that a later try may not meet. */
const transientPattern =
  /timed out|try again|temporarily unavailable|unable to contact|connection refused|communications? (connection )?failure|slurm_persist_conn|no answer in/i

/** Whether a failed command may succeed if tried again (the controller was busy, not refusing). */
export const isTransient = (error: SlurmCommandError): boolean => error.transient ?? transientPattern.test(error.detail)

/**
 * Submits a batch script (given on stdin) with `sbatch --parsable ARGS`; the job's id. It fails
 * with sbatch's own words: a refusal (bad partition, account, limits), or a busy controller
 * ({@link isTransient}), after which the job may or may not exist: the caller looks before trying
 * again.
 */
export const sbatch = (args: ReadonlyArray<string>, script: string) =>
  Effect.gen(function* () {
    const full = ["--parsable", ...args]
    const out = yield* run("sbatch", full, { stdin: script })
    const id = /^(\d+)(;|$)/.exec(out.stdout.trim())
    if (out.exitCode === 0 && id !== null) return id[1]!
    const detail = (out.stderr.trim() || out.stdout.trim() || `exit code ${out.exitCode}`).replace(/\s*\n\s*/g, "; ")
    return yield* new SlurmCommandError({ command: shown("sbatch", full), detail })
  })

/**
 * The jobs of `squeue --json`'s output with the given names. A controller that does not answer
 * makes squeue exit 0 with no jobs, saying so only in `errors`: that is a failure (transient), never
 * "none of the jobs exists".
 */
export const readSqueue = (json: unknown, names: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const errors = (json as { errors?: unknown } | null)?.errors
    if (Array.isArray(errors) && errors.length > 0) {
      return yield* new SlurmCommandError({
        command: "squeue --json",
        detail: `${errors
          .map((e: { description?: unknown; source?: unknown; error?: unknown }) =>
            [e?.description, e?.source === undefined ? undefined : `${e.source}: ${e.error ?? ""}`]
              .filter((x) => x !== undefined && x !== "")
              .join(" ")
          )
          .join("; ")} (is slurmctld up? scontrol ping)`,
        transient: true
      })
    }
    const wanted = new Set(names)
    return parseSqueue(json).filter((j) => names.length === 0 || wanted.has(j.name))
  })

/**
 * The jobs `squeue` lists with the given names (all users, every state SLURM still keeps: a
 * finished job stays listed for `MinJobAge` seconds, 300 by default).
 */
export const squeue = (names: ReadonlyArray<string>, options: { readonly timeoutMs?: number } = {}) =>
  Effect.gen(function* () {
    const args = ["--json", "--states=all", ...(names.length === 0 ? [] : [`--name=${names.join(",")}`])]
    const out = yield* run("squeue", args, options)
    if (out.exitCode !== 0) {
      return yield* new SlurmCommandError({
        command: shown("squeue", ["--json", "--states=all", "--name=…"]),
        detail: (out.stderr.trim() || `exit code ${out.exitCode}`).replace(/\s*\n\s*/g, "; ")
      })
    }
    const json = yield* Effect.try({
      try: () => JSON.parse(out.stdout) as unknown,
      catch: () =>
        new SlurmCommandError({
          command: "squeue --json",
          detail: `its output is not JSON (SLURM older than 21.08 has no --json): ${out.stdout.slice(0, 200)}`
        })
    })
    return yield* readSqueue(json, names)
  })

/** A job SLURM's controller forgot, from the accounting database (`None` when accounting is off). */
export const sacct = (jobId: string) =>
  run("sacct", ["-j", jobId, "-X", "-n", "-P", "-o", "JobID,JobName,State,ExitCode,NodeList"], {
    timeoutMs: 30_000
  }).pipe(
    Effect.map((out) => (out.exitCode === 0 ? parseSacct(out.stdout, jobId) : Option.none())),
    Effect.orElseSucceed(() => Option.none<JobInfo>())
  )
