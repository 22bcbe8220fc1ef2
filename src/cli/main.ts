/**
 * The `pipeline` command line (built with @effect/cli): list, run, status, dag, show, gc, worker.
 * `bin/pipeline.mjs` calls {@link main} with the registry from `pipelines/index.ts`.
 *
 * Environment: PIPELINE_CACHE (cache dir), PIPELINE_OUT (published artifacts), PIPELINE_WORKERS
 * (pool size), PIPELINE_CHECKPOINT_SECONDS (minimum interval between checkpoint writes),
 * PIPELINE_LOCK_STALE_MS (age after which a lock of a dead process is taken over),
 * PIPELINE_EXECUTOR (local | bullmq), PIPELINE_REDIS (the Redis URL of the bullmq executor).
 *
 * @module main
 */

import { existsSync } from "node:fs"
import { availableParallelism } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Cache from "../engine/Cache.js"
import { UnknownPipelineError, UnknownStageError } from "../engine/Errors.js"
import * as Executor from "../engine/Executor.js"
import * as Fingerprint from "../engine/Fingerprint.js"
import * as Params from "../engine/Params.js"
import * as Pipeline from "../engine/Pipeline.js"
import * as Plan from "../engine/Plan.js"
import * as Progress from "../engine/Progress.js"
import * as Status from "../engine/Status.js"
import * as WarmRun from "../engine/WarmRun.js"
import * as WorkerPool from "../engine/WorkerPool.js"
import * as Dag from "./Dag.js"
import { formatRun } from "./format.js"

/** The project root: the nearest directory above this module holding a package.json. */
export const projectRoot = (from: string = fileURLToPath(import.meta.url)): string => {
  let dir = dirname(from)
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir)
    if (up === dir) return process.cwd()
    dir = up
  }
  return dir
}

const env = (name: string) => {
  const v = process.env[name]
  return v === undefined || v === "" ? undefined : v
}

// ---------------------------------------------------------------------------------------------
// Options shared by the subcommands

const pipelineArg = Args.text({ name: "pipeline" }).pipe(
  Args.withDescription("The pipeline's name (see `pipeline list`).")
)
const setOption = Options.text("set").pipe(
  Options.repeated,
  Options.withDescription("Override a pipeline param: key=value (dotted keys reach nested params). Repeatable.")
)
const jsonOption = Options.boolean("json").pipe(Options.withDescription("Print one JSON object."))
const cacheOption = Options.text("cache").pipe(
  Options.optional,
  Options.withDescription("Cache directory (default: $PIPELINE_CACHE, else <project>/cache).")
)

const redisOption = Options.text("redis").pipe(
  Options.optional,
  Options.withDescription("Redis URL of the distributed queue, redis://HOST:PORT (default: $PIPELINE_REDIS).")
)

/** The Redis URL of the distributed executor (option, else PIPELINE_REDIS). */
const redisUrl = (redis: Option.Option<string>) =>
  Effect.suspend(() => {
    const url = Option.getOrUndefined(redis) ?? env("PIPELINE_REDIS")
    return url === undefined
      ? Effect.fail(
          new Error("The bullmq executor needs a Redis server: pass --redis redis://HOST:PORT or set PIPELINE_REDIS.")
        )
      : Effect.succeed(url)
  })

/** The executor a run uses: local (in-process), or bullmq (loaded only then). */
const executorLayer = (executor: Option.Option<string>, redis: Option.Option<string>) => {
  const choice = Option.getOrUndefined(executor) ?? env("PIPELINE_EXECUTOR") ?? "local"
  if (choice === "local") return Executor.layerLocal
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      if (choice !== "bullmq") {
        return yield* Effect.fail(new Error(`PIPELINE_EXECUTOR must be local or bullmq, not "${choice}".`))
      }
      const url = yield* redisUrl(redis)
      const bull = yield* Effect.promise(() => import("../engine/distributed/BullExecutor.js"))
      return bull.layer({ redis: url })
    })
  )
}

interface Settings {
  readonly root: string
  readonly cacheDir: string
}

const settings = (cache: Option.Option<string>): Settings => {
  const root = projectRoot()
  return { root, cacheDir: resolve(Option.getOrUndefined(cache) ?? env("PIPELINE_CACHE") ?? join(root, "cache")) }
}

const cacheLayer = (s: Settings) =>
  Cache.layer({
    dir: s.cacheDir,
    ...(env("PIPELINE_LOCK_STALE_MS") === undefined ? {} : { lockStaleMs: Number(env("PIPELINE_LOCK_STALE_MS")) })
  })

const findPipeline = (pipelines: ReadonlyArray<Pipeline.Any>, name: string) => {
  const found = pipelines.find((p) => p.name === name)
  return found === undefined
    ? Effect.fail(new UnknownPipelineError({ name, valid: pipelines.map((p) => p.name) }))
    : Effect.succeed(found)
}

const planWith = (pipeline: Pipeline.Any, sets: ReadonlyArray<string>, s: Settings) =>
  Effect.gen(function* () {
    const input = yield* Params.parseSets(pipeline.params, `pipeline "${pipeline.name}"`, sets)
    const fingerprinter = yield* Fingerprint.make({ root: s.root, memoPath: join(s.cacheDir, ".fingerprints.json") })
    return { plan: yield* Plan.make(pipeline, input, fingerprinter), fingerprinter }
  })

const planFor = (pipeline: Pipeline.Any, sets: ReadonlyArray<string>, s: Settings) =>
  Effect.map(planWith(pipeline, sets, s), ({ plan }) => plan)

const print = (text: string) => Effect.sync(() => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`))

// ---------------------------------------------------------------------------------------------
// Subcommands

const makeCommands = (pipelines: ReadonlyArray<Pipeline.Any>, registry: string | undefined) => {
  const list = Command.make("list", { json: jsonOption }, ({ json }) =>
    Effect.gen(function* () {
      const rows = []
      for (const p of pipelines) {
        const params = yield* Plan.decodeParams(p, {})
        const graph = Pipeline.nodes(p, params)
        rows.push({ name: p.name, description: p.description, stages: graph.nodes.map((n) => n.name) })
      }
      if (json) return yield* print(JSON.stringify({ pipelines: rows }))
      if (rows.length === 0) return yield* print("No pipelines are registered (pipelines/index.ts).")
      yield* print(rows.map((r) => `${r.name}\n  ${r.description}\n  stages: ${r.stages.join(", ")}`).join("\n\n"))
    })
  ).pipe(Command.withDescription("List the pipelines and their stages."))

  const run = Command.make(
    "run",
    {
      pipeline: pipelineArg,
      set: setOption,
      force: Options.text("force").pipe(
        Options.repeated,
        Options.withDescription("Recompute this stage even if cached (repeatable).")
      ),
      dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Show what would run; run and write nothing.")),
      verify: Options.boolean("verify").pipe(
        Options.withDescription(
          "Hash every artifact of cached stages (default: artifacts not read are checked by size and mtime)."
        )
      ),
      json: jsonOption,
      cache: cacheOption,
      executor: Options.choice("executor", ["local", "bullmq"]).pipe(
        Options.optional,
        Options.withDescription("Where stages run (default: $PIPELINE_EXECUTOR, else local).")
      ),
      redis: redisOption,
      workers: Options.integer("workers").pipe(
        Options.optional,
        Options.withDescription("Worker threads (default: $PIPELINE_WORKERS, else os.availableParallelism()).")
      ),
      out: Options.text("out").pipe(
        Options.optional,
        Options.withDescription("Folder for published artifacts (default: $PIPELINE_OUT, else <project>/out).")
      )
    },
    (opts) =>
      Effect.gen(function* () {
        const s = settings(opts.cache)
        const pipeline = yield* findPipeline(pipelines, opts.pipeline)
        const { plan, fingerprinter } = yield* planWith(pipeline, opts.set, s)
        const names = plan.nodes.map((n) => n.name)
        for (const f of opts.force) {
          if (!names.includes(f))
            return yield* new UnknownStageError({ pipeline: pipeline.name, name: f, valid: names })
        }
        const outDir = resolve(Option.getOrUndefined(opts.out) ?? env("PIPELINE_OUT") ?? join(s.root, "out"))
        const checkpointSeconds = Number(env("PIPELINE_CHECKPOINT_SECONDS") ?? 3)
        const memorable = registry !== undefined && !opts.dryRun && opts.force.length === 0
        // The sources the plan's keys were computed from, for the warm-run memo.
        const files = memorable ? yield* WarmRun.snapshot({ root: s.root, registry, plan, fingerprinter }) : undefined
        const executor = yield* Executor.Executor
        const report = yield* executor.run(plan, {
          force: opts.force,
          dryRun: opts.dryRun,
          verify: opts.verify,
          checkpointIntervalMs: checkpointSeconds * 1000,
          outDir
        })
        if (files !== undefined) {
          yield* WarmRun.record({
            cacheDir: s.cacheDir,
            root: s.root,
            sets: opts.set,
            plan,
            files,
            stages: report.stages,
            publish: Executor.publishTargets(plan)
          })
        }
        yield* print(formatRun(report, { json: opts.json, dryRun: opts.dryRun }))
      }).pipe(
        Effect.provide(
          executorLayer(opts.executor, opts.redis).pipe(
            Layer.provide(
              Layer.mergeAll(
                cacheLayer(settings(opts.cache)),
                Layer.scoped(Progress.Progress, Progress.make({ stream: process.stderr })),
                Layer.scoped(
                  WorkerPool.WorkerPool,
                  WorkerPool.make(
                    Math.max(
                      1,
                      Option.getOrUndefined(opts.workers) ?? Number(env("PIPELINE_WORKERS") ?? availableParallelism())
                    )
                  )
                )
              )
            )
          )
        )
      )
  ).pipe(Command.withDescription("Run a pipeline, recomputing only the stages whose key changed."))

  const status = Command.make(
    "status",
    { pipeline: pipelineArg, set: setOption, json: jsonOption, cache: cacheOption, redis: redisOption },
    (opts) =>
      Effect.gen(function* () {
        const s = settings(opts.cache)
        const pipeline = yield* findPipeline(pipelines, opts.pipeline)
        const plan = yield* planFor(pipeline, opts.set, s)
        const explained = yield* Status.explain(plan)
        // With --redis (or PIPELINE_REDIS): where each stage's job is in the distributed queue.
        const url = Option.getOrUndefined(opts.redis) ?? env("PIPELINE_REDIS")
        const jobs =
          url === undefined
            ? undefined
            : yield* (yield* Effect.promise(() => import("../engine/distributed/BullStatus.js"))).jobStates(
                url,
                explained.map((st) => st.key)
              )
        const states = explained.map((st) => (jobs === undefined ? st : { ...st, queue: jobs[st.key] }))
        if (opts.json) return yield* print(JSON.stringify({ pipeline: pipeline.name, stages: states }))
        const width = Math.max(...states.map((r) => r.name.length), 5)
        const lines = [`pipeline ${pipeline.name} (cache ${s.cacheDir})`]
        for (const st of states) {
          const job = jobs?.[st.key]
          const queue =
            job === undefined
              ? ""
              : `  ${job.state === "none" ? "not queued" : job.state}${job.done === undefined ? "" : ` ${job.done}/${job.total}`}${job.worker === undefined ? "" : ` on ${job.worker}`}${job.failedReason === undefined ? "" : `: ${job.failedReason}`}`
          lines.push(`  ${st.name.padEnd(width)}  ${st.state.padEnd(5)}  ${st.key.slice(0, 12)}${queue}`)
          for (const r of st.reasons) lines.push(`  ${" ".repeat(width)}    - ${r}`)
        }
        yield* print(lines.join("\n"))
      }).pipe(Effect.provide(cacheLayer(settings(opts.cache))))
  ).pipe(Command.withDescription("Show each stage as fresh or stale, and why."))

  const dag = Command.make(
    "dag",
    {
      pipeline: pipelineArg,
      set: setOption,
      format: Options.choice("format", ["text", "mermaid", "dot"]).pipe(
        Options.withDefault("text" as const),
        Options.withDescription("Output format.")
      )
    },
    (opts) =>
      Effect.gen(function* () {
        const pipeline = yield* findPipeline(pipelines, opts.pipeline)
        const input = yield* Params.parseSets(pipeline.params, `pipeline "${pipeline.name}"`, opts.set)
        const params = yield* Plan.decodeParams(pipeline, input)
        const graph = Pipeline.nodes(pipeline, params)
        yield* print(Dag.render(pipeline.name, graph.nodes, opts.format))
      })
  ).pipe(Command.withDescription("Print the pipeline's DAG (text, mermaid or dot)."))

  const show = Command.make(
    "show",
    {
      pipeline: pipelineArg,
      stage: Args.text({ name: "stage" }).pipe(Args.withDescription("The stage (node) name.")),
      set: setOption,
      json: jsonOption,
      cache: cacheOption
    },
    (opts) =>
      Effect.gen(function* () {
        const s = settings(opts.cache)
        const cache = yield* Cache.Cache
        const pipeline = yield* findPipeline(pipelines, opts.pipeline)
        const plan = yield* planFor(pipeline, opts.set, s)
        const node = plan.nodes.find((n) => n.name === opts.stage)
        if (node === undefined) {
          return yield* new UnknownStageError({
            pipeline: pipeline.name,
            name: opts.stage,
            valid: plan.nodes.map((n) => n.name)
          })
        }
        const manifest = yield* cache.verify(node.key)
        if (Option.isNone(manifest)) {
          return yield* Effect.fail(new NotCachedError({ pipeline: pipeline.name, stage: node.name, key: node.key }))
        }
        const result = yield* cache.readResult(node.key)
        const artifacts = Object.fromEntries(
          Object.keys(manifest.value.artifacts).map((a) => [a, cache.artifactPath(node.key, a)])
        )
        if (opts.json) return yield* print(JSON.stringify({ manifest: manifest.value, result, artifacts }))
        const m = manifest.value
        yield* print(
          [
            `${node.name} (stage ${m.stage}) of pipeline ${pipeline.name}`,
            `key:      ${m.key}`,
            `entry:    ${cache.entryDir(node.key)}`,
            `computed: ${m.startedAt} → ${m.finishedAt} (${m.seconds.toFixed(2)} s${m.resumed ? ", resumed" : ""}) on ${m.host.hostname}`,
            `seed:     ${m.seed}`,
            `params:   ${JSON.stringify(m.params)}`,
            `upstream: ${
              Object.entries(m.upstream)
                .map(([k, v]) => `${k}=${v.slice(0, 12)}`)
                .join(", ") || "(none)"
            }`,
            `code:     ${m.fingerprint.digest.slice(0, 12)} over ${m.fingerprint.files.length} files`,
            `manifest: ${join(cache.entryDir(node.key), "manifest.json")}`,
            "result:",
            JSON.stringify(result, null, 2).replace(/^/gm, "  "),
            "artifacts:",
            ...Object.entries(artifacts).map(([k, v]) => `  ${k}  ${v}`)
          ].join("\n")
        )
      }).pipe(Effect.provide(cacheLayer(settings(opts.cache))))
  ).pipe(Command.withDescription("Show a stage's manifest, JSON result and artifact paths."))

  const gc = Command.make(
    "gc",
    {
      dryRun: Options.boolean("dry-run").pipe(Options.withDescription("List what would be removed.")),
      json: jsonOption,
      cache: cacheOption
    },
    (opts) =>
      Effect.gen(function* () {
        const s = settings(opts.cache)
        const cache = yield* Cache.Cache
        const keep = new Set<string>()
        for (const p of pipelines) {
          const plan = yield* planFor(p, [], s)
          for (const n of plan.nodes) keep.add(n.key)
          const last = yield* cache.readRun(p.name)
          if (Option.isSome(last)) for (const k of Object.values(last.value.nodes)) keep.add(k)
        }
        const removed: Array<string> = []
        for (const key of yield* cache.keys) {
          if (keep.has(key)) continue
          removed.push(cache.entryDir(key))
          if (!opts.dryRun) yield* cache.remove(key)
        }
        const swept = yield* cache.sweep({ keep, dryRun: opts.dryRun })
        if (opts.json) {
          return yield* print(JSON.stringify({ dryRun: opts.dryRun, kept: keep.size, removed: [...removed, ...swept] }))
        }
        const verb = opts.dryRun ? "would remove" : "removed"
        yield* print(
          [
            `${verb} ${removed.length} entries no current pipeline reaches, and ${swept.length} leftovers; kept ${keep.size} keys`,
            ...[...removed, ...swept].map((r) => `  ${r}`)
          ].join("\n")
        )
      }).pipe(Effect.provide(cacheLayer(settings(opts.cache))))
  ).pipe(Command.withDescription("Remove cache entries no current pipeline reaches (keeps each pipeline's last run)."))

  const worker = Command.make(
    "worker",
    {
      redis: redisOption,
      concurrency: Options.integer("concurrency").pipe(
        Options.withDefault(1),
        Options.withDescription("Stages computed at once, each on its own worker thread.")
      ),
      cache: cacheOption
    },
    (opts) =>
      Effect.gen(function* () {
        const url = yield* redisUrl(opts.redis)
        const bull = yield* Effect.promise(() => import("../engine/distributed/BullWorker.js"))
        yield* bull.run({
          redis: url,
          concurrency: Math.max(1, opts.concurrency),
          cacheDir: settings(opts.cache).cacheDir,
          ...(registry === undefined ? {} : { registry }),
          log: (line) => void process.stderr.write(`${line}\n`)
        })
      })
  ).pipe(Command.withDescription("Compute stages of distributed runs (`run --executor bullmq`) until stopped."))

  return Command.make("pipeline").pipe(
    Command.withDescription("Run the experiment pipelines with a content-addressed cache."),
    Command.withSubcommands([list, run, status, dag, show, gc, worker])
  )
}

/** The stage has no cache entry for its current key. */
export class NotCachedError extends Error {
  readonly _tag = "NotCachedError"
  constructor(readonly fields: { readonly pipeline: string; readonly stage: string; readonly key: string }) {
    super(
      `Stage "${fields.stage}" of pipeline "${fields.pipeline}" has no cache entry for its current key ${fields.key.slice(0, 12)}; run \`pipeline run ${fields.pipeline}\` first (see \`pipeline status ${fields.pipeline}\`).`
    )
  }
}

/** Prints a failure as its message (no stack for the errors we know). */
const report = (cause: Cause.Cause<unknown>) =>
  Effect.sync(() => {
    if (Cause.isInterruptedOnly(cause)) {
      process.stderr.write("pipeline: interrupted; checkpoints were saved, rerun to resume.\n")
      return
    }
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure)) {
      const e = failure.value as { _tag?: string; message?: string }
      // @effect/cli has already printed its own validation errors.
      if (
        e?._tag === "ValidationError" ||
        (typeof e?._tag === "string" &&
          /^(MissingValue|InvalidValue|CommandMismatch|CorrectedFlag|HelpRequested|InvalidArgument|MissingFlag|MissingSubcommand|NoBuiltInMatch|UnclusteredFlag|MultipleValuesDetected)$/.test(
            e._tag
          ))
      )
        return
      process.stderr.write(`pipeline: ${e?.message ?? String(e)}\n`)
      return
    }
    process.stderr.write(`pipeline: internal error\n${Cause.pretty(cause)}\n`)
  })

/** Options of {@link main}. */
export interface MainOptions {
  /**
   * URL of the module exporting the registry. When given, `run` records a warm-run memo so the
   * next identical run can be served by `tryWarmRun` without loading the registry.
   */
  readonly registry?: string
}

/** Runs the CLI on `argv` (process.argv form: node, script, args…) and exits. */
export const main = (
  pipelines: ReadonlyArray<Pipeline.Any>,
  argv: ReadonlyArray<string>,
  options: MainOptions = {}
): void => {
  const cli = Command.run(makeCommands(pipelines, options.registry), { name: "pipeline", version: "0.1.0" })
  const program = cli(argv).pipe(
    Effect.onExit((exit) => (Exit.isFailure(exit) ? report(exit.cause) : Effect.void)),
    Effect.provide(NodeContext.layer)
  )
  // runMain interrupts the run on the first SIGINT/SIGTERM (finalizers flush checkpoints and
  // release locks). This listener keeps proper-lockfile's signal-exit from re-raising the signal
  // and killing the process before those finalizers ran; a second signal forces the exit.
  let signals = 0
  const onSignal = () => {
    signals += 1
    if (signals > 1) {
      process.stderr.write("pipeline: second signal; exiting without waiting for cleanup.\n")
      process.exit(130)
    }
  }
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  NodeRuntime.runMain(program, {
    disableErrorReporting: true,
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? 0 : Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
  })
}
