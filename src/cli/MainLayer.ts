/**
 * Everything the `pipeline` commands use, built once at the edge (`main.ts`) from the command
 * line's global options and the environment (`engine/Settings.ts`): the cache, progress, the
 * worker pool, the runner (local; BullMQ for `--executor bullmq`, SLURM for `--executor slurm`,
 * each loaded only then), the scheduler, a logger that prints warnings as `pipeline: warning: …`,
 * and {@link Cli}, the resolved settings with the lazily loaded pipeline registry.
 *
 * @module MainLayer
 */
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Cache from "../engine/Cache.js"
import * as Engine from "../engine/Engine.js"
import type { SettingError } from "../engine/Errors.js"
import * as LocalRunner from "../engine/LocalRunner.js"
import * as Progress from "../engine/Progress.js"
import * as ProjectRoot from "../engine/ProjectRoot.js"
import type * as Runner from "../engine/Runner.js"
import * as Settings from "../engine/Settings.js"
import type * as Sweep from "../engine/Sweep.js"
import * as WorkerPool from "../engine/WorkerPool.js"

/** The project root: the nearest directory above this module holding a package.json (not dist/). */
export const projectRoot = (from: string = fileURLToPath(import.meta.url)): string => ProjectRoot.projectRoot(from)

/**
 * The options every command takes (flags over environment); the runner's (`workers`, `executor`,
 * `redis`) only where the command takes them, else from the environment.
 */
export interface GlobalOptions {
  readonly cache: Option.Option<string>
  readonly out: Option.Option<string>
  readonly workers?: number
  readonly executor?: "local" | "bullmq" | "slurm"
  readonly redis?: Option.Option<string>
  /** The SLURM options (`run` only: other commands read their environment variables). */
  readonly slurmProfile?: Option.Option<string>
  readonly slurmPartition?: Option.Option<string>
  readonly slurmAccount?: Option.Option<string>
  readonly slurmExtra?: Option.Option<string>
  readonly slurmResources?: ReadonlyArray<string>
}

/** The resolved settings and the registry, for the commands. */
export interface Cli {
  readonly root: string
  readonly cacheDir: string
  readonly outDir: string
  readonly executor: "local" | "bullmq" | "slurm"
  readonly redis: Option.Option<string>
  readonly checkpointSeconds: number
  readonly warm: boolean
  /** URL of the registry module (`pipelines/index.ts`, compiled), when the CLI was given one. */
  readonly registryUrl: string | undefined
  /** The registry, imported on first use (a warm run never loads it). */
  readonly registry: Effect.Effect<Sweep.Registry>
}

/** The CLI's settings tag. */
export const Cli = Context.GenericTag<Cli>("plastic-net/cli/Cli")

/** Where the registry comes from: a module URL exporting `registry`, or the registry itself. */
export type RegistrySource = { readonly url: string } | { readonly value: Sweep.Registry }

/** Prints warnings (and errors logged by the engine) as one line each on stderr: `pipeline: warning: …`. */
const stderrLogger = Logger.make(({ logLevel, message }) => {
  const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
  // Effect's label of the Warning level is "WARN".
  const level = logLevel._tag === "Warning" ? "warning" : logLevel.label.toLowerCase()
  process.stderr.write(`pipeline: ${level}: ${text.replace(/\s*\n\s*/g, " ")}\n`)
})

/** A runner's layer, as the engine stack takes it (the platform is provided beneath). */
type RunnerLayer = Layer.Layer<
  Runner.Runner,
  SettingError,
  Cache.Cache | Progress.Progress | WorkerPool.WorkerPool | NodeContext.NodeContext
>
const runnerLayer = (layer: RunnerLayer) => layer

/** The layer of every service the commands use. */
export const make = (options: GlobalOptions, source: RegistrySource) => {
  const settings = Layer.effect(
    Cli,
    Effect.gen(function* () {
      const root = projectRoot()
      const registry = yield* Effect.cached(
        "value" in source
          ? Effect.succeed(source.value)
          : Effect.promise(() => import(source.url) as Promise<{ registry: Sweep.Registry }>).pipe(
              Effect.map((m) => m.registry)
            )
      )
      return {
        root,
        cacheDir: resolve(Option.getOrElse(options.cache, () => join(root, "cache"))),
        outDir: resolve(Option.getOrElse(options.out, () => join(root, "out"))),
        executor: options.executor ?? (yield* Settings.read(Settings.executor)),
        redis: options.redis ?? (yield* Settings.read(Config.option(Settings.redis))),
        checkpointSeconds: yield* Settings.read(Settings.checkpointSeconds),
        warm: yield* Settings.read(Settings.warm),
        registryUrl: "url" in source ? source.url : undefined,
        registry
      } satisfies Cli
    })
  )
  const cache = Layer.unwrapEffect(
    Effect.gen(function* () {
      const cli = yield* Cli
      return Cache.layer({ dir: cli.cacheDir, lockStaleMs: yield* Settings.read(Settings.lockStaleMs) })
    })
  )
  const runner = Layer.unwrapEffect(
    Effect.gen(function* () {
      const cli = yield* Cli
      if (cli.executor === "local") {
        const jobs = yield* Settings.read(Settings.jobs)
        const memoryBudget = yield* Settings.read(Settings.memoryBudget)
        return runnerLayer(
          LocalRunner.layer({
            memoryBudget,
            ...Option.match(jobs, { onNone: () => ({}), onSome: (j) => ({ jobs: j }) })
          })
        )
      }
      if (cli.executor === "slurm") {
        const slurmSettings = yield* Effect.promise(() => import("../engine/slurm/SlurmSettings.js"))
        const slurm = yield* Effect.promise(() => import("../engine/slurm/SlurmRunner.js"))
        const given =
          options.slurmProfile === undefined
            ? yield* slurmSettings.fromEnvironment
            : {
                profile: options.slurmProfile,
                partition: options.slurmPartition ?? Option.none(),
                account: options.slurmAccount ?? Option.none(),
                extra: options.slurmExtra ?? Option.none(),
                resources: options.slurmResources ?? []
              }
        yield* slurm.checkBuilt(cli.root)
        // Jobs load the compiled registry (not a TypeScript one a test may have handed the CLI).
        const registry = cli.registryUrl?.endsWith(".js") ? cli.registryUrl : undefined
        return runnerLayer(slurm.layer(yield* slurmSettings.options(given, cli.root, registry)))
      }
      const redis = yield* Option.match(cli.redis, {
        onNone: () =>
          Effect.fail(
            new Error("The bullmq executor needs a Redis server: pass --redis redis://HOST:PORT or set PIPELINE_REDIS.")
          ),
        onSome: Effect.succeed
      })
      const bull = yield* Effect.promise(() => import("../engine/distributed/BullRunner.js"))
      return runnerLayer(bull.layer({ redis }))
    })
  )
  return Engine.layer({
    runner,
    cache,
    progress: Layer.scoped(Progress.Progress, Progress.make({ stream: process.stderr })),
    pool: Layer.unwrapScoped(
      Effect.map(
        options.workers === undefined ? Settings.read(Settings.workers) : Effect.succeed(options.workers),
        (workers) => Layer.scoped(WorkerPool.WorkerPool, WorkerPool.make(workers))
      )
    )
  }).pipe(
    Layer.provideMerge(settings),
    Layer.provideMerge(NodeContext.layer),
    Layer.provideMerge(Logger.replace(Logger.defaultLogger, stderrLogger)),
    Layer.provideMerge(Logger.minimumLogLevel(LogLevel.Warning))
  )
}
