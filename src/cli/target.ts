/**
 * What a command is about: one run of a pipeline (`--set`), a sweep of it (`--sweep`,
 * `--sweep-file`), or the pipeline's most recent run or sweep (`--last`), planned.
 *
 * @module target
 */
import * as Args from "@effect/cli/Args"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "../engine/Cache.js"
import { NoRunError, SweepError, UnknownPipelineError } from "../engine/Errors.js"
import * as Fingerprint from "../engine/Fingerprint.js"
import * as Params from "../engine/Params.js"
import type * as Pipeline from "../engine/Pipeline.js"
import * as Plan from "../engine/Plan.js"
import * as Settings from "../engine/Settings.js"
import * as Sweep from "../engine/Sweep.js"
import { Cli } from "./MainLayer.js"

/** Refuses an integer below 1, naming the flag and its variable. */
const positive = (flag: string, variable: string) =>
  Options.mapEffect((n: number) =>
    Number.isInteger(n) && n >= 1
      ? Effect.succeed(n)
      : Effect.fail(
          ValidationError.invalidValue(HelpDoc.p(`${flag} (or ${variable}): expected an integer ≥ 1, got ${n}`))
        )
  )

/** The options every command takes, with their environment fallbacks. */
export const commonOptions = {
  cache: Options.text("cache").pipe(
    Options.withFallbackConfig(Settings.cacheDir),
    Options.optional,
    Options.withDescription("Cache directory (default: $PIPELINE_CACHE, else <project>/cache).")
  ),
  out: Options.text("out").pipe(
    Options.withFallbackConfig(Settings.outDir),
    Options.optional,
    Options.withDescription("Folder for published artifacts (default: $PIPELINE_OUT, else <project>/out).")
  )
}

/** Where the queue of distributed runs is. */
export const redisOption = {
  redis: Options.text("redis").pipe(
    Options.withFallbackConfig(Settings.redis),
    Options.optional,
    Options.withDescription("Redis URL of the distributed queue, redis://HOST:PORT (default: $PIPELINE_REDIS).")
  )
}

/** The options of the commands that compute stages (`run`). */
export const runnerOptions = {
  ...redisOption,
  workers: Options.integer("workers").pipe(
    Options.withFallbackConfig(Settings.workers),
    positive("--workers", "PIPELINE_WORKERS"),
    Options.withDescription("Worker threads (default: $PIPELINE_WORKERS, else the available cores).")
  ),
  executor: Options.choice("executor", ["local", "bullmq", "slurm"]).pipe(
    Options.withFallbackConfig(Settings.executor),
    Options.withDescription(
      "Where stages run: local, bullmq (pipeline workers) or slurm (batch jobs) (default: $PIPELINE_EXECUTOR, else local)."
    )
  )
}

export const pipelineArg = Args.text({ name: "pipeline" }).pipe(
  Args.withDescription("The pipeline's name (see `pipeline list`).")
)
export const jsonOption = Options.boolean("json").pipe(Options.withDescription("Print one JSON object."))

/** The options that say which run a command is about. */
export const targetOptions = {
  set: Options.text("set").pipe(
    Options.repeated,
    Options.withDescription("Fix a pipeline param: key=value (dotted keys reach nested params). Repeatable.")
  ),
  sweep: Options.text("sweep").pipe(
    Options.repeated,
    Options.withDescription(
      "Sweep a param: key=a,b,c or key=1..8 (repeatable; the grid is their product; seed is the replicate axis)."
    )
  ),
  sweepFile: Options.file("sweep-file", { exists: "yes" }).pipe(
    Options.optional,
    Options.withDescription("A sweep file (JSON or YAML: `set:` and `sweep:`; see docs/sweeps.md).")
  ),
  last: Options.boolean("last").pipe(
    Options.withDescription("The pipeline's most recent run or sweep (its --set and --sweep), instead of the defaults.")
  ),
  yes: Options.boolean("yes").pipe(Options.withDescription("Run a sweep of more than 10 000 members."))
}

export interface TargetArgs {
  readonly pipeline: string
  readonly set: ReadonlyArray<string>
  readonly sweep: ReadonlyArray<string>
  readonly sweepFile: Option.Option<string>
  readonly last: boolean
  readonly yes: boolean
}

/** A planned target. */
export interface Target {
  readonly pipeline: Pipeline.Any
  readonly kind: "run" | "sweep"
  readonly sets: ReadonlyArray<string>
  readonly grid: Sweep.Grid | undefined
  readonly plan: Plan.Plan
  readonly fingerprinter: Fingerprint.Fingerprinter
  /** The base folder the run publishes under (its own folder is `<publishTo>/<run id>/`). */
  readonly publishTo: string
  /** The named sweep it is (`compare-rules`), filed under that name. */
  readonly name?: string
}

/**
 * The base folder of a run or a sweep of `pipeline` (a named sweep: its own name); each run
 * publishes to its own folder in it, `latest` pointing at the newest (`engine/Publish.ts`).
 */
export const publishFolder = (outDir: string, pipeline: string, grid: Sweep.Grid | undefined, named?: string) =>
  named !== undefined
    ? `${outDir}/${named}`
    : grid === undefined
      ? `${outDir}/${pipeline}`
      : `${outDir}/${pipeline}/sweeps/${Sweep.gridId(pipeline, grid)}`

/** The folder of the committed sweep files: `pipeline run NAME` runs `sweeps/NAME.yaml`. */
export const sweepsFolder = (root: string) => `${root}/sweeps`

/** The committed sweep files (`sweeps/*.yaml`, `*.yml`, `*.json`), by name. */
export const namedSweeps = Effect.gen(function* () {
  const cli = yield* Cli
  const fs = yield* FileSystem.FileSystem
  const names = yield* fs.readDirectory(sweepsFolder(cli.root)).pipe(Effect.orElseSucceed((): Array<string> => []))
  return new Map(
    names
      .filter((n) => /\.(ya?ml|json)$/.test(n))
      .sort()
      .map((n) => [n.replace(/\.(ya?ml|json)$/, ""), `${sweepsFolder(cli.root)}/${n}`] as const)
  )
})

/** The sets and grid a command names (from its options, a sweep file, or the last run filed as `filedAs`). */
const request = (args: TargetArgs & { readonly pipeline: string }, filedAs: string) =>
  Effect.gen(function* () {
    const cli = yield* Cli
    if (args.last) {
      if (args.set.length > 0 || args.sweep.length > 0 || Option.isSome(args.sweepFile)) {
        return yield* new SweepError({
          problem: "--last names the last run itself: drop --set, --sweep and --sweep-file"
        })
      }
      const cache = yield* Cache.Cache
      const latest = yield* cache.runs.latest({ filedAs })
      if (Option.isNone(latest)) {
        return yield* Effect.fail(
          new NoRunError({
            name: filedAs,
            detail: `No run of "${filedAs}" is recorded in ${cli.cacheDir}; run it first (\`pipeline runs\` lists them).`
          })
        )
      }
      const r = latest.value
      return {
        sets: r.sets,
        grid: r.kind === "sweep" ? ({ sets: r.sets, axes: r.sweep ?? [] } satisfies Sweep.Grid) : undefined
      }
    }
    const axes: Array<Sweep.Axis> = []
    let sets = [...args.set]
    if (Option.isSome(args.sweepFile)) {
      const fs = yield* FileSystem.FileSystem
      const file = args.sweepFile.value
      const text = yield* fs
        .readFileString(file)
        .pipe(Effect.mapError((e) => new SweepError({ problem: `${file}: ${e.message}` })))
      const parsed = yield* Sweep.parseFile(text, file)
      if (parsed.pipeline !== undefined && parsed.pipeline !== args.pipeline) {
        return yield* new SweepError({
          problem: `${file} is a sweep of pipeline "${parsed.pipeline}", not "${args.pipeline}"`
        })
      }
      // The command line's --set wins over the file's for the same key.
      const given = new Set(sets.map((s) => s.slice(0, s.indexOf("="))))
      sets = [...parsed.grid.sets.filter((s) => !given.has(s.slice(0, s.indexOf("=")))), ...sets]
      axes.push(...parsed.grid.axes)
    }
    for (const arg of args.sweep) axes.push(yield* Sweep.parseAxis(arg))
    return { sets, grid: axes.length === 0 ? undefined : ({ sets, axes } satisfies Sweep.Grid) }
  })

/**
 * What a command's NAME is: a pipeline of the registry, or a committed sweep file
 * (`sweeps/NAME.yaml`, naming its pipeline), whose grid then comes from that file.
 */
const named = (args: TargetArgs) =>
  Effect.gen(function* () {
    const cli = yield* Cli
    const registry = yield* cli.registry
    if (registry.pipelines.some((p) => p.name === args.pipeline)) {
      return { pipeline: yield* Sweep.findPipeline(registry, args.pipeline), args, sweep: undefined }
    }
    const sweeps = yield* namedSweeps
    const file = sweeps.get(args.pipeline)
    if (file === undefined) {
      return yield* new UnknownPipelineError({
        name: args.pipeline,
        valid: [...registry.pipelines.map((p) => p.name), ...[...sweeps.keys()].map((n) => `${n} (sweep)`)]
      })
    }
    if (Option.isSome(args.sweepFile)) {
      return yield* new SweepError({ problem: `${args.pipeline} is a sweep file already (${file}); drop --sweep-file` })
    }
    // `--last` of a named sweep is its last recorded run, filed under the sweep's name.
    const sweepFile = args.last ? Option.none<string>() : Option.some(file)
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(file)
      .pipe(Effect.mapError((e) => new SweepError({ problem: `${file}: ${e.message}` })))
    const parsed = yield* Sweep.parseFile(text, file)
    if (parsed.pipeline === undefined) {
      return yield* new SweepError({ problem: `${file} names no pipeline (add \`pipeline: NAME\`)` })
    }
    return {
      pipeline: yield* Sweep.findPipeline(registry, parsed.pipeline),
      args: { ...args, pipeline: parsed.pipeline, sweepFile },
      sweep: args.pipeline
    }
  })

/** Plans what a command names. */
export const resolve = (given: TargetArgs) =>
  Effect.gen(function* () {
    const cli = yield* Cli
    const registry = yield* cli.registry
    const { pipeline, args, sweep } = yield* named(given)
    const { sets, grid } = yield* request(args, sweep ?? pipeline.name)
    const fingerprinter = yield* Fingerprint.make({ root: cli.root, memoPath: `${cli.cacheDir}/.fingerprints.json` })
    let plan: Plan.Plan
    if (grid === undefined) {
      const input = yield* Params.parseSets(pipeline.params, `pipeline "${pipeline.name}"`, sets)
      plan = yield* Plan.make(pipeline, input, fingerprinter)
    } else {
      yield* Sweep.check(grid, { yes: args.yes })
      plan = yield* Sweep.plan(registry, pipeline, grid, fingerprinter)
    }
    return {
      pipeline,
      kind: grid === undefined ? "run" : "sweep",
      sets,
      grid,
      plan,
      fingerprinter,
      publishTo: publishFolder(cli.outDir, pipeline.name, grid, sweep),
      ...(sweep === undefined ? {} : { name: sweep })
    } satisfies Target
  })
