/**
 * The command line's front door, loaded before anything else and importing no Effect, d3, jsdom,
 * mathjs or ts-morph, so that `pipeline --help`, `pipeline VERB --help`, `pipeline --version` and
 * a mistyped verb or flag answer at once. It holds every verb's help (arguments, options,
 * examples: the one source of the help texts), checks a command line's verb and flags against it
 * with a did-you-mean, and states the exit codes. Parsing proper is @effect/cli's (`main.ts`);
 * `test/cli/Usage.test.ts` checks that both know the same flags.
 *
 * @module Usage
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { stripVTControlCharacters } from "node:util"
import { didYouMean } from "../engine/Suggest.js"

/** An option of a verb. */
export interface Flag {
  readonly name: string
  /** The value's placeholder (`KEY=VALUE`); absent for a switch. */
  readonly value?: string
  readonly summary: string
}

/** A positional argument of a verb. */
export interface Arg {
  readonly name: string
  readonly summary: string
  readonly optional?: boolean
  /** Takes one or more values (`NAME…`). */
  readonly variadic?: boolean
}

/** A verb (`pipeline run`). */
export interface Verb {
  readonly name: string
  readonly summary: string
  /** More than the summary, when it needs saying. */
  readonly details?: string
  readonly args: ReadonlyArray<Arg>
  readonly flags: ReadonlyArray<Flag>
  readonly examples: ReadonlyArray<string>
}

/** The exit codes, as every command uses them. */
export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** The command line was right but the work failed (a stage, the cache, the disk, a refusal). */
  failed: 1,
  /** The command line is wrong (unknown verb, option, pipeline, stage or param; a bad value); nothing ran. */
  usage: 2,
  /** Interrupted (SIGINT, SIGTERM); checkpoints were saved. */
  interrupted: 130
} as const

const cache: Flag = { name: "cache", value: "DIR", summary: "Cache folder (default: $PIPELINE_CACHE, else ./cache)." }
const out: Flag = { name: "out", value: "DIR", summary: "Output folder (default: $PIPELINE_OUT, else ./out)." }
const json: Flag = { name: "json", summary: "Print one JSON object instead of text." }
const redis: Flag = {
  name: "redis",
  value: "URL",
  summary: "Redis of the distributed queue, redis://HOST:PORT (default: $PIPELINE_REDIS)."
}
const runner: ReadonlyArray<Flag> = [
  { name: "workers", value: "N", summary: "Worker threads (default: $PIPELINE_WORKERS, else the cores)." },
  {
    name: "executor",
    value: "local|bullmq|slurm",
    summary:
      "Where stages run: this machine, BullMQ workers, or SLURM batch jobs (default: $PIPELINE_EXECUTOR, else local)."
  },
  redis,
  {
    name: "slurm-profile",
    value: "FILE",
    summary: "A SLURM profile (YAML; docs/slurm.md) (default: $PIPELINE_SLURM_PROFILE)."
  },
  { name: "slurm-partition", value: "NAME", summary: "The partition of every SLURM job." },
  { name: "slurm-account", value: "NAME", summary: "The account SLURM jobs are charged to." },
  { name: "slurm-extra", value: "ARGS", summary: 'Further sbatch arguments, e.g. "--qos=short".' },
  {
    name: "slurm-resources",
    value: "STAGE:KEY=VALUE",
    summary: "A stage's SLURM resources (mem_mb, runtime, cpus_per_task, …). Repeatable."
  }
]
/** The options that say which run a command is about. */
const target: ReadonlyArray<Flag> = [
  { name: "set", value: "KEY=VALUE", summary: "Fix a param (`pipeline params NAME` lists them). Repeatable." },
  {
    name: "sweep",
    value: "KEY=VALUES",
    summary: "Sweep a param: key=a,b,c or key=1..8. Repeatable; the grid is their product."
  },
  { name: "sweep-file", value: "FILE", summary: "A sweep file (YAML or JSON; docs/sweeps.md)." },
  { name: "last", summary: "The most recent run or sweep of NAME, with its params." },
  { name: "yes", summary: "Allow a sweep of more than 10 000 members." }
]
const name: Arg = { name: "NAME", summary: "A pipeline (`pipeline list`) or a committed sweep (sweeps/NAME.yaml)." }

/** Every verb, in the order `pipeline --help` lists them. */
export const verbs: ReadonlyArray<Verb> = [
  {
    name: "list",
    summary: "List the pipelines, their stages, and the committed sweeps.",
    args: [],
    flags: [json, cache, out],
    examples: ["pipeline list"]
  },
  {
    name: "params",
    summary: "List a pipeline's params: name, type, default, bounds and meaning.",
    args: [{ name: "NAME", summary: "A pipeline (`pipeline list`); several: one table.", variadic: true }],
    flags: [json, { name: "markdown", summary: "Print the table as Markdown (the README's)." }, cache, out],
    examples: ["pipeline params estimation", "pipeline params estimation classification --markdown"]
  },
  {
    name: "run",
    summary: "Run a pipeline (or sweep it), recomputing only the stages whose key changed.",
    details:
      "Each run publishes to its own folder, out/NAME/<run id>/; out/NAME/latest points at the newest (so out/estimation/latest/report.html is the last report).",
    args: [name],
    flags: [
      ...target,
      { name: "rerun", value: "STAGE", summary: "Recompute this stage even if cached. Repeatable." },
      { name: "dry-run", summary: "Show what would run; run and write nothing." },
      { name: "verify", summary: "Hash every artifact of the cached stages (default: size and mtime)." },
      { name: "force", summary: "Run even when the plan needs more disk or memory than there is." },
      json,
      ...runner,
      cache,
      out
    ],
    examples: [
      "pipeline run estimation",
      "pipeline run estimation --set trainTrials=20 --set sigma=0.3",
      "pipeline run estimation --sweep rule=three-factor,decoder-only --sweep seed=1..4",
      "pipeline run compare-rules"
    ]
  },
  {
    name: "status",
    summary: "Show each stage of a run as fresh or stale, and why.",
    args: [name],
    flags: [...target, json, redis, cache, out],
    examples: ["pipeline status estimation --set sigma=0.3", "pipeline status compare-rules --last"]
  },
  {
    name: "dag",
    summary: "Print a pipeline's DAG as text, Mermaid or Graphviz dot.",
    args: [name],
    flags: [
      ...target,
      { name: "format", value: "text|mermaid|dot", summary: "Output format (default text)." },
      cache,
      out
    ],
    examples: ["pipeline dag estimation --format mermaid"]
  },
  {
    name: "show",
    summary: "Show a stage's manifest, result and artifact paths (long arrays summarized).",
    args: [name, { name: "STAGE", summary: "A stage (node) of the pipeline (`pipeline list`)." }],
    flags: [...target, json, { name: "full", summary: "Print every number of long arrays." }, cache, out],
    examples: ["pipeline show estimation analyze", "pipeline show compare-rules aggregate --last"]
  },
  {
    name: "runs",
    summary: "List the recorded runs and sweeps, newest first: the params that differ and the key metrics.",
    args: [{ name: "NAME", summary: "Only the runs of this pipeline or sweep.", optional: true }],
    flags: [
      { name: "where", value: "KEY=VALUE", summary: "Only the runs with this param value. Repeatable." },
      { name: "limit", value: "N", summary: "How many to list (default 20)." },
      json,
      { name: "csv", summary: "Print a CSV table (one row per run, params and metrics as columns)." },
      cache,
      out
    ],
    examples: ["pipeline runs", "pipeline runs estimation --where sigma=0.3", "pipeline runs --csv > runs.csv"]
  },
  {
    name: "diff",
    summary: "Compare two runs: the params that differ, the stages that differ and why, the metrics side by side.",
    details:
      "A and B are run ids (`pipeline runs`; a unique prefix will do), or NAME with --set (run A) and --vs (run B), or --last 2.",
    args: [
      { name: "A", summary: "A run id, or a pipeline's NAME (with --set and --vs).", optional: true },
      { name: "B", summary: "A run id.", optional: true }
    ],
    flags: [
      { name: "last", value: "2", summary: "The two most recent runs (of NAME, when given)." },
      { name: "set", value: "KEY=VALUE", summary: "A param of run A (with NAME). Repeatable." },
      { name: "vs", value: "KEY=VALUE", summary: "A param of run B (with NAME). Repeatable." },
      json,
      cache,
      out
    ],
    examples: [
      "pipeline diff --last 2",
      "pipeline diff estimation --set sigma=0.2 --vs sigma=0.3",
      "pipeline diff 20250107-101500123Z-4242-k3j2h1 20250107-103000456Z-4343-a9b8c7"
    ]
  },
  {
    name: "export",
    summary: "Export a run's data for Python, R or MATLAB: networks, recordings, learning curves, tables.",
    details:
      "Writes into out/NAME/<run id>/export/: networks as .npy (npz: one .npz file), the test recordings with their time axis and units, learning curves and per-angle tables as tidy CSV; nwb writes the test recordings as an NWB (HDF5) file.",
    args: [{ name: "RUN", summary: "A run id (`pipeline runs`), or a pipeline's NAME for its latest run." }],
    flags: [
      { name: "format", value: "npy|npz|csv|nwb", summary: "What to write. Repeatable (default: npy and csv)." },
      { name: "to", value: "DIR", summary: "Write here instead of the run's export/ folder." },
      json,
      cache,
      out
    ],
    examples: ["pipeline export estimation", "pipeline export estimation --format nwb --format npz"]
  },
  {
    name: "gc",
    summary: "Remove cache entries no pipeline's defaults or recent run reaches, and leftovers.",
    args: [],
    flags: [
      { name: "dry-run", summary: "List what would be removed; remove nothing." },
      { name: "keep-runs", value: "N", summary: "Keep what the N most recent runs and sweeps used (default 20)." },
      {
        name: "outputs",
        summary: "Also remove the published folders (out/…/<run id>/) of the runs gc drops; never the latest."
      },
      { name: "yes", summary: "Remove without asking (needed when stdin is not a terminal)." },
      json,
      cache,
      out
    ],
    examples: ["pipeline gc --dry-run", "pipeline gc --keep-runs 5 --outputs --yes"]
  },
  {
    name: "worker",
    summary: "Compute stages of distributed runs (`run --executor bullmq`) until stopped.",
    args: [],
    flags: [
      { name: "concurrency", value: "N", summary: "Stages computed at once, each on its own thread (default 1)." },
      redis,
      cache,
      out
    ],
    examples: ["pipeline worker --redis redis://queue.lab:6379 --cache /shared/cache"]
  }
]

/** Options every verb accepts that @effect/cli adds itself. */
const builtIns: ReadonlyArray<Flag> = [
  { name: "help", summary: "Show this help." },
  { name: "completions", value: "sh|bash|fish|zsh", summary: "Print a shell completion script." },
  { name: "log-level", value: "LEVEL", summary: "Minimum log level (default warning)." },
  { name: "wizard", summary: "Build the command interactively." },
  { name: "version", summary: "Print the version." }
]

/** The version, from package.json (the one source). */
export const version = (root: string): string =>
  (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version

/** Whether to colour `stream`: only on a terminal, and never with NO_COLOR set (no-color.org) or TERM=dumb. */
export const useColour = (stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean =>
  stream.isTTY === true && (env.NO_COLOR ?? "") === "" && env.TERM !== "dumb"

/** Removes ANSI escape sequences (node's own `stripVTControlCharacters`). */
export const stripAnsi = (text: string): string => stripVTControlCharacters(text)

const bold = (text: string, colour: boolean) => (colour ? `\u001b[1m${text}\u001b[0m` : text)

const flagLabel = (f: Flag) => `--${f.name}${f.value === undefined ? "" : ` ${f.value}`}`

/** Two aligned columns, wrapped to `width`. */
const columns = (rows: ReadonlyArray<readonly [string, string]>, width = 100) => {
  const left = Math.min(28, Math.max(...rows.map(([l]) => l.length)))
  return rows
    .map(([l, r]) => {
      const words = r.split(" ")
      const lines: Array<string> = []
      let line = ""
      for (const w of words) {
        if (line !== "" && left + 4 + line.length + 1 + w.length > width) {
          lines.push(line)
          line = w
        } else line = line === "" ? w : `${line} ${w}`
      }
      lines.push(line)
      const head = l.length > left ? [`  ${l}`, ...lines.map((x) => `  ${" ".repeat(left)}  ${x}`)] : undefined
      return (
        head ?? lines.map((x, i) => (i === 0 ? `  ${l.padEnd(left)}  ${x}` : `  ${" ".repeat(left)}  ${x}`))
      ).join("\n")
    })
    .join("\n")
}

/** The usage line of a verb. */
export const usageLine = (v: Verb) =>
  `pipeline ${v.name}${v.args.map((a) => (a.optional ? ` [${a.name}]` : ` ${a.name}${a.variadic ? "…" : ""}`)).join("")}${v.flags.length > 0 ? " [options]" : ""}`

/** `pipeline VERB --help`. */
export const verbHelp = (v: Verb, colour = false): string =>
  [
    `${bold(`pipeline ${v.name}`, colour)}: ${v.summary}`,
    ...(v.details === undefined ? [] : ["", v.details]),
    "",
    `${bold("Usage:", colour)} ${usageLine(v)}`,
    ...(v.args.length === 0 ? [] : ["", bold("Arguments:", colour), columns(v.args.map((a) => [a.name, a.summary]))]),
    "",
    bold("Options:", colour),
    columns([...v.flags, builtIns[0]!].map((f) => [flagLabel(f), f.summary])),
    "",
    bold("Examples:", colour),
    ...v.examples.map((e) => `  ${e}`),
    ""
  ].join("\n")

/** `pipeline --help`. */
export const mainHelp = (root: string, colour = false): string =>
  [
    `${bold("pipeline", colour)} ${version(root)}: the paper's experiments as cached, typed pipelines.`,
    "",
    `${bold("Usage:", colour)} pipeline COMMAND [ARGS] [options]       pipeline COMMAND --help for its options`,
    "",
    bold("Commands:", colour),
    columns(verbs.map((v) => [v.name, v.summary])),
    "",
    bold("Options of every command:", colour),
    columns([cache, out, ...builtIns].map((f) => [flagLabel(f), f.summary])),
    "",
    bold("Exit codes:", colour),
    columns([
      ["0", "done"],
      ["1", "the work failed (a stage, the cache, the disk, a refused run); the message says what to do"],
      ["2", "the command line is wrong (unknown command, option, pipeline, stage or param; a bad value); nothing ran"],
      ["130", "interrupted; checkpoints were saved, rerun to resume"]
    ]),
    "",
    bold("Start here:", colour),
    "  pipeline list                  the pipelines and sweeps",
    "  pipeline params estimation     what --set can change",
    "  pipeline run estimation --set trainTrials=4 --set testTrials=2 --set trialSeconds=60 --set transientSeconds=5",
    "  pipeline runs                  what ran, with its params and metrics",
    ""
  ].join("\n")

/** What the front door decided. */
export type Decision =
  | { readonly _tag: "Print"; readonly text: string; readonly exit: number; readonly stderr?: boolean }
  | { readonly _tag: "Pass"; readonly verb: string | undefined }

const print = (text: string, exit: number = EXIT.ok): Decision => ({ _tag: "Print", text, exit })
const usageError = (text: string): Decision => ({
  _tag: "Print",
  text: `pipeline: ${text}\n`,
  exit: EXIT.usage,
  stderr: true
})

/**
 * Reads a command line (`args`: after `node pipeline.mjs`): help, the version, or a mistyped verb
 * or flag are answered here; anything else passes to the full CLI, with its verb.
 */
export const decide = (args: ReadonlyArray<string>, options: { readonly root: string; readonly colour: boolean }) => {
  const [first, ...rest] = args
  if (first === undefined) return print(mainHelp(options.root, options.colour))
  if (first === "--help" || first === "-h" || first === "help") {
    const verb = verbs.find((v) => v.name === rest[0])
    return print(verb === undefined ? mainHelp(options.root, options.colour) : verbHelp(verb, options.colour))
  }
  if (first === "--version" || first === "-v") return print(`${version(options.root)}\n`)
  if (first.startsWith("-")) {
    const flag = first.replace(/^-+/, "").split("=")[0]!
    if (builtIns.some((b) => b.name === flag)) return { _tag: "Pass", verb: undefined } satisfies Decision
    return usageError(
      `unknown option ${first}.${didYouMean(
        flag,
        builtIns.map((b) => b.name),
        (n) => `--${n}`
      )} Commands come first: \`pipeline COMMAND --help\`.`
    )
  }
  const verb = verbs.find((v) => v.name === first)
  if (verb === undefined) {
    return usageError(
      `unknown command "${first}".${didYouMean(
        first,
        verbs.map((v) => v.name),
        (n) => `"${n}"`
      )} Commands: ${verbs.map((v) => v.name).join(", ")} (\`pipeline --help\`).`
    )
  }
  if (rest.includes("--help") || rest.includes("-h")) return print(verbHelp(verb, options.colour))
  const known = new Map([...verb.flags, ...builtIns].map((f) => [f.name, f]))
  const positionals: Array<string> = []
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (arg === "--") {
      positionals.push(...rest.slice(i + 1))
      break
    }
    if (arg.startsWith("--")) {
      const [flagName, inline] = [arg.slice(2).split("=")[0]!, arg.includes("=")]
      const flag = known.get(flagName)
      if (flag === undefined) {
        return usageError(
          `\`pipeline ${verb.name}\` has no option --${flagName}.${didYouMean(flagName, known.keys(), (n) => `--${n}`)} Its options: \`pipeline ${verb.name} --help\`.`
        )
      }
      if (flag.value !== undefined && !inline) i += 1
    } else if (/^-[^\d.]/.test(arg)) {
      return usageError(
        `\`pipeline ${verb.name}\` has no option ${arg}; options are spelled --name (\`pipeline ${verb.name} --help\`).`
      )
    } else positionals.push(arg)
  }
  const required = verb.args.filter((a) => !a.optional)
  if (positionals.length < required.length) {
    return usageError(
      `\`pipeline ${verb.name}\` needs ${required
        .slice(positionals.length)
        .map((a) => a.name)
        .join(" and ")}: ${usageLine(verb)} (\`pipeline ${verb.name} --help\`).`
    )
  }
  if (positionals.length > verb.args.length && !verb.args.some((a) => a.variadic)) {
    const extra = positionals.slice(verb.args.length)
    return usageError(
      `\`pipeline ${verb.name}\` takes ${verb.args.length === 0 ? "no arguments" : verb.args.map((a) => a.name).join(" ")}; got also ${extra.map((e) => `"${e}"`).join(" ")}. Options are spelled --name=value or --name value: ${usageLine(verb)}.`
    )
  }
  return { _tag: "Pass", verb: verb.name } satisfies Decision
}
