/**
 * What each stage's batch job asks SLURM for, and the profile file a site writes its settings in.
 *
 * A stage's CPUs, memory and time limit come from its own estimate (`Stage.make`'s `estimate`):
 * memory from its peak bytes, with a margin and the Node.js runtime on top; CPUs from its compute
 * seconds and how many of its tasks can run at once; a time limit from its compute seconds with a
 * margin of three (a cluster core may be slower than the one the per-step costs were measured on,
 * and a shared node slower still). Each of these can be overridden, as Snakemake's SLURM executor
 * does, with its resource names:
 *
 * ```yaml
 * # profile.yaml (`--slurm-profile FILE`, or PIPELINE_SLURM_PROFILE)
 * retries: 3                  # resubmissions of a job killed or failed, per stage
 * poll-seconds: 10            # seconds between two `squeue` calls
 * setup:                      # shell lines each job runs before the stage
 *   - module load nodejs/20
 * local-stages: [metrics]     # computed by the submitter itself, not as jobs
 * default-resources:          # every stage
 *   slurm_partition: compute
 *   slurm_account: lab42
 *   slurm_extra: "--qos=normal"
 * set-resources:              # one stage (by stage name, or by node name)
 *   train:
 *     runtime: 120            # minutes (or "2h", "1-00:00:00")
 *     mem_mb: 4000            # or mem: 4G
 *     cpus_per_task: 1
 * ```
 *
 * Later wins: the estimate, the profile's `default-resources`, the command line's
 * `--slurm-partition`, `--slurm-account` and `--slurm-extra`, the profile's `set-resources` of the
 * stage, then of the node, then the command line's `--slurm-resources STAGE:KEY=VALUE`.
 *
 * @module Resources
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as Stage from "../Stage.js"

/** What a stage's job asks SLURM for. */
export interface Resources {
  readonly cpus: number
  readonly memMb: number
  /** The time limit, in whole minutes (SLURM rounds up to minutes anyway). */
  readonly minutes: number
  readonly partition?: string
  readonly account?: string
  /** Further `sbatch` arguments, verbatim. */
  readonly extra: ReadonlyArray<string>
}

/** The profile, or a resource setting, is wrong. */
export class SlurmSettingsError extends Data.TaggedError("SlurmSettingsError")<{
  /** Where: the profile file, or the command-line flag. */
  readonly source: string
  readonly problems: ReadonlyArray<string>
}> {
  override get message() {
    return `The SLURM settings in ${this.source} are invalid; nothing was submitted.\n${this.problems.map((p) => `  ${p}`).join("\n")}`
  }
}

/**
 * Bytes of a job's Node.js runtime and loaded code beside what its stage holds (measured: a job of
 * a small `analyze-initial` peaks at about 155 MB RSS, of which the stage's estimate is 64 MB).
 */
export const RUNTIME_BYTES = 256 * 2 ** 20
/** Bytes of each extra worker thread of a job on several CPUs. */
export const THREAD_BYTES = 64 * 2 ** 20
/** The factor on a stage's own memory estimate. */
export const MEMORY_MARGIN = 1.5
/** The factor on a stage's compute seconds for its time limit. */
export const TIME_MARGIN = 3
/** Seconds every job spends starting Node.js, loading the code and planning, in the time limit. */
export const START_SECONDS = 120
/** The shortest time limit given (minutes): a limit is checked only about every 30 s. */
export const MIN_MINUTES = 10
/** The time limit of a stage that estimates no compute (minutes). */
export const DEFAULT_MINUTES = 15
/** One more CPU per this many seconds of parallel compute. */
export const SECONDS_PER_CPU = 120
/** The most CPUs a job asks for by itself. */
export const MAX_CPUS = 4

const MiB = 2 ** 20

/** A stage's resources from its own estimate (no partition or account: the site's). */
export const fromEstimate = (estimate: Stage.Estimate): Resources => {
  const parallel = Math.max(1, Math.floor(estimate.parallelism ?? 1))
  const seconds = estimate.cpuSeconds
  const cpus =
    seconds === undefined ? 1 : Math.max(1, Math.min(Math.ceil(seconds / SECONDS_PER_CPU), parallel, MAX_CPUS))
  const bytes = estimate.memoryBytes * MEMORY_MARGIN + RUNTIME_BYTES + (cpus - 1) * THREAD_BYTES
  const memMb = Math.max(512, Math.ceil(bytes / MiB / 64) * 64)
  const minutes =
    seconds === undefined
      ? DEFAULT_MINUTES
      : Math.max(MIN_MINUTES, Math.ceil(((TIME_MARGIN * seconds) / cpus + START_SECONDS) / 60))
  return { cpus, memMb, minutes, extra: [] }
}

/**
 * Splits an argument string as a POSIX shell would (whitespace; single and double quotes; a
 * backslash escapes the next character), with no expansion; undefined when a quote is not closed.
 */
export const splitArgs = (text: string): Array<string> | undefined => {
  const out: Array<string> = []
  let current: string | undefined
  let quote: "'" | '"' | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote === "'") {
      if (c === "'") quote = undefined
      else current += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === "\\" && i + 1 < text.length && /["\\$`]/.test(text[i + 1]!)) current += text[++i]
      else current += c
    } else if (/\s/.test(c)) {
      if (current !== undefined) out.push(current)
      current = undefined
    } else if (c === "'" || c === '"') {
      quote = c
      current ??= ""
    } else if (c === "\\" && i + 1 < text.length) {
      current = (current ?? "") + text[++i]
    } else {
      current = (current ?? "") + c
    }
  }
  if (quote !== undefined) return undefined
  if (current !== undefined) out.push(current)
  return out
}

/**
 * Minutes of a time limit: a number of minutes, SLURM's `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`,
 * `D-HH:MM`, `D-HH:MM:SS`, or `90m`, `2h`, `1d`, `1h30m`; undefined when it is none of these.
 */
export const parseMinutes = (value: string | number): number | undefined => {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return parseMinutes(Number(text))
  const units = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?\s*(?:(\d+)s)?$/i.exec(text)
  if (units !== null && text !== "") {
    const [, d = "0", h = "0", m = "0", s = "0"] = units
    const total = Number(d) * 1440 + Number(h) * 60 + Number(m) + Number(s) / 60
    return total > 0 ? Math.ceil(total) : undefined
  }
  const slurm = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text)
  if (slurm === null) return undefined
  const [, days, a, b, c] = slurm
  const n = (x: string | undefined) => Number(x ?? 0)
  // With days: D-HH[:MM[:SS]]; without: MM, MM:SS or HH:MM:SS.
  const seconds =
    days !== undefined
      ? n(days) * 86400 + n(a) * 3600 + n(b) * 60 + n(c)
      : c !== undefined
        ? n(a) * 3600 + n(b) * 60 + n(c)
        : n(a) * 60 + n(b)
  return seconds > 0 ? Math.ceil(seconds / 60) : undefined
}

/** Megabytes of a memory size: a number of MB, or `500M`, `4G`, `4GB`, `1T`; undefined when it is none. */
export const parseMegabytes = (value: string | number): number | undefined => {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(value.trim())
  if (m === null) return undefined
  const scale = { "": 1, K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 }[m[2]!.toUpperCase() as "" | "K" | "M" | "G" | "T"]
  const mb = Math.ceil(Number(m[1]) * scale)
  return mb > 0 ? mb : undefined
}

const PositiveInt = Schema.Number.pipe(Schema.int(), Schema.positive())
const NonEmpty = Schema.String.pipe(Schema.minLength(1))
const Minutes = Schema.Union(Schema.Number, Schema.String).pipe(
  Schema.filter(
    (v) => parseMinutes(v) !== undefined || `a time limit (minutes, "2h", "1-00:00:00"), not ${JSON.stringify(v)}`
  )
)
const Megabytes = Schema.Union(Schema.Number, Schema.String).pipe(
  Schema.filter(
    (v) => parseMegabytes(v) !== undefined || `a memory size ("4G", "500M", or MB), not ${JSON.stringify(v)}`
  )
)
const Extra = Schema.String.pipe(
  Schema.filter((v) => splitArgs(v) !== undefined || `sbatch arguments with balanced quotes, not ${JSON.stringify(v)}`)
)

/** Resource settings, with Snakemake's SLURM executor's names. */
export const ResourceSettings = Schema.Struct({
  cpus_per_task: Schema.optional(PositiveInt),
  mem_mb: Schema.optional(Megabytes),
  mem: Schema.optional(Megabytes),
  runtime: Schema.optional(Minutes),
  slurm_partition: Schema.optional(NonEmpty),
  slurm_account: Schema.optional(NonEmpty),
  slurm_extra: Schema.optional(Extra)
})
export type ResourceSettings = typeof ResourceSettings.Type

/** A profile file. */
export const Profile = Schema.Struct({
  /** Allowed for Snakemake-style profiles; only `slurm` makes sense. */
  executor: Schema.optional(Schema.Literal("slurm")),
  /** Resubmissions of a stage whose job was killed or failed. */
  retries: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.nonNegative())),
  /** Seconds between two `squeue` calls. */
  "poll-seconds": Schema.optional(Schema.Number.pipe(Schema.finite(), Schema.greaterThanOrEqualTo(0.2))),
  /** Shell lines each job runs before the stage (`module load nodejs/20`). */
  setup: Schema.optional(Schema.Array(Schema.String)),
  /** The `node` each job runs (default: the submitter's own `process.execPath`). */
  node: Schema.optional(NonEmpty),
  /**
   * Stages (by stage or node name) computed by the submitter itself, not as jobs: for stages of
   * a second whose job would mostly be start-up and queue wait (Snakemake's `localrules`).
   */
  "local-stages": Schema.optional(Schema.Array(NonEmpty)),
  "default-resources": Schema.optional(ResourceSettings),
  "set-resources": Schema.optional(Schema.Record({ key: Schema.String, value: ResourceSettings }))
})
export type Profile = typeof Profile.Type

/** The issues of a failed decode, one `path: message` line each. */
const issues = (error: ParseResult.ParseError): ReadonlyArray<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map(
    (i) => `${i.path.length === 0 ? "(top level)" : i.path.join(".")}: ${i.message}`
  )

/** Decodes a profile's parsed YAML; unknown keys are refused (a typo would be silently ignored). */
export const decodeProfile = (raw: unknown, source: string) =>
  Schema.decodeUnknown(Profile)(raw ?? {}, { errors: "all", onExcessProperty: "error" }).pipe(
    Effect.mapError((e) => new SlurmSettingsError({ source, problems: issues(e) }))
  )

/** Reads and decodes a profile file (YAML or JSON). */
export const loadProfile = (file: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(file)
      .pipe(
        Effect.mapError((e) => new SlurmSettingsError({ source: file, problems: [`cannot read it: ${e.message}`] }))
      )
    const yaml = yield* Effect.promise(() => import("yaml"))
    const raw = yield* Effect.try({
      try: () => yaml.parse(text) as unknown,
      catch: (e) =>
        new SlurmSettingsError({ source: file, problems: [`not valid YAML: ${String((e as Error).message ?? e)}`] })
    })
    return yield* decodeProfile(raw, file)
  })

/**
 * The per-stage settings of `--slurm-resources STAGE:KEY=VALUE` arguments (a STAGE is a stage name
 * or a node name; `train:runtime=120`, `train[seed=2]:mem=8G`).
 */
export const parseStageSettings = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const raw: Record<string, Record<string, string | number>> = {}
    const problems: Array<string> = []
    for (const arg of args) {
      const m = /^(.+?):([a-z_]+)=(.*)$/.exec(arg)
      if (m === null) {
        problems.push(`"${arg}": expected STAGE:KEY=VALUE, e.g. train:runtime=120`)
        continue
      }
      const [, stage, key, value] = m as unknown as [string, string, string, string]
      const entry = (raw[stage] ??= {})
      entry[key] = key === "cpus_per_task" && /^\d+$/.test(value) ? Number(value) : value
    }
    if (problems.length > 0) return yield* new SlurmSettingsError({ source: "--slurm-resources", problems })
    return yield* Schema.decodeUnknown(Schema.Record({ key: Schema.String, value: ResourceSettings }))(raw, {
      errors: "all",
      onExcessProperty: "error"
    }).pipe(Effect.mapError((e) => new SlurmSettingsError({ source: "--slurm-resources", problems: issues(e) })))
  })

/** The command line's site-wide settings. */
export interface Globals {
  readonly partition?: string
  readonly account?: string
  /** `--slurm-extra`, split like a shell would. */
  readonly extra?: ReadonlyArray<string>
}

/** Applies one layer of settings over resources. */
const apply = (base: Resources, s: ResourceSettings | undefined): Resources => {
  if (s === undefined) return base
  const mem = s.mem_mb ?? s.mem
  return {
    cpus: s.cpus_per_task ?? base.cpus,
    memMb: mem === undefined ? base.memMb : parseMegabytes(mem)!,
    minutes: s.runtime === undefined ? base.minutes : parseMinutes(s.runtime)!,
    ...((s.slurm_partition ?? base.partition) === undefined ? {} : { partition: s.slurm_partition ?? base.partition! }),
    ...((s.slurm_account ?? base.account) === undefined ? {} : { account: s.slurm_account ?? base.account! }),
    extra: s.slurm_extra === undefined ? base.extra : [...base.extra, ...splitArgs(s.slurm_extra)!]
  }
}

/** A node's resources: its estimate's, then the profile's and the command line's settings (later wins). */
export const resolve = (
  node: { readonly name: string; readonly stage: { readonly name: string }; readonly estimate: Stage.Estimate },
  profile: Profile,
  globals: Globals,
  stageSettings: Readonly<Record<string, ResourceSettings>>
): Resources => {
  let r = apply(fromEstimate(node.estimate), profile["default-resources"])
  r = {
    ...r,
    ...(globals.partition === undefined ? {} : { partition: globals.partition }),
    ...(globals.account === undefined ? {} : { account: globals.account }),
    extra: [...r.extra, ...(globals.extra ?? [])]
  }
  const set = profile["set-resources"] ?? {}
  // A node named as its stage (`init`) has one entry for both: it applies once.
  const layers = new Set([
    set[node.stage.name],
    set[node.name],
    stageSettings[node.stage.name],
    stageSettings[node.name]
  ])
  for (const settings of layers) r = apply(r, settings)
  return r
}

/** The `sbatch` arguments of resources. */
export const sbatchArgs = (r: Resources): ReadonlyArray<string> => [
  `--cpus-per-task=${r.cpus}`,
  `--mem=${r.memMb}M`,
  `--time=${r.minutes}`,
  ...(r.partition === undefined ? [] : [`--partition=${r.partition}`]),
  ...(r.account === undefined ? [] : [`--account=${r.account}`]),
  ...r.extra
]

/** Resources for messages: `1 CPU, 512 MB, 10 min, partition debug`. */
export const describe = (r: Resources): string =>
  [
    `${r.cpus} CPU${r.cpus === 1 ? "" : "s"}`,
    r.memMb >= 1024 ? `${(r.memMb / 1024).toFixed(1)} GB` : `${r.memMb} MB`,
    r.minutes >= 120 ? `${(r.minutes / 60).toFixed(1)} h` : `${r.minutes} min`,
    ...(r.partition === undefined ? [] : [`partition ${r.partition}`]),
    ...(r.account === undefined ? [] : [`account ${r.account}`])
  ].join(", ")

/** The stage and node names settings are given for that match no node of the plan (likely typos). */
export const unmatched = (
  names: ReadonlyArray<string>,
  nodes: ReadonlyArray<{ readonly name: string; readonly stage: { readonly name: string } }>
): ReadonlyArray<string> => {
  const known = new Set(nodes.flatMap((n) => [n.name, n.stage.name]))
  return names.filter((n) => !known.has(n))
}
