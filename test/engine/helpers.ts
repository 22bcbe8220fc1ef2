// Shared helpers of the engine tests: run a plan in-process on a temporary cache, run the toy CLI.

import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cache from "../../src/engine/Cache.js"
import * as Engine from "../../src/engine/Engine.js"
import * as Fingerprint from "../../src/engine/Fingerprint.js"
import * as LocalRunner from "../../src/engine/LocalRunner.js"
import * as Params from "../../src/engine/Params.js"
import type * as Pipeline from "../../src/engine/Pipeline.js"
import * as Plan from "../../src/engine/Plan.js"
import * as Progress from "../../src/engine/Progress.js"
import * as Scheduler from "../../src/engine/Scheduler.js"
import * as Sweep from "../../src/engine/Sweep.js"
import * as WorkerPool from "../../src/engine/WorkerPool.js"

export const root = fileURLToPath(new URL("../..", import.meta.url))
export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `engine-${prefix}-`))

/**
 * The engine's layers on a cache directory (silent progress, the local runner, and a pool of 2
 * workers, or `pool`: one pool shared by many runs starts its worker threads once).
 */
export const engineLayer = (cacheDir: string, pool?: WorkerPool.WorkerPool) =>
  Engine.layer({
    runner: LocalRunner.layer({ memoryBudget: 4 * 2 ** 30 }),
    cache: Cache.layer({ dir: cacheDir, lockStaleMs: 2000 }),
    progress: Layer.succeed(Progress.Progress, Progress.silent),
    pool:
      pool === undefined
        ? Layer.scoped(WorkerPool.WorkerPool, WorkerPool.make(2))
        : Layer.succeed(WorkerPool.WorkerPool, pool)
  }).pipe(Layer.provideMerge(NodeContext.layer))

/** Plans a pipeline with `--set`-style strings. */
export const plan = (pipeline: Pipeline.Any, sets: ReadonlyArray<string>, cacheDir: string) =>
  Effect.gen(function* () {
    const input = yield* Params.parseSets(pipeline.params, pipeline.name, sets)
    const fingerprinter = yield* Fingerprint.make({ root, memoPath: join(cacheDir, ".fingerprints.json") })
    return yield* Plan.make(pipeline, input, fingerprinter)
  }).pipe(Effect.provide(NodeContext.layer))

/** Plans a sweep of a pipeline (`--sweep key=values` strings) over `--set` strings. */
export const planSweep = (
  registry: Sweep.Registry,
  pipeline: Pipeline.Any,
  sets: ReadonlyArray<string>,
  sweeps: ReadonlyArray<string>,
  cacheDir: string
) =>
  Effect.gen(function* () {
    const axes = yield* Effect.forEach(sweeps, Sweep.parseAxis)
    const fingerprinter = yield* Fingerprint.make({ root, memoPath: join(cacheDir, ".fingerprints.json") })
    return yield* Sweep.plan(registry, pipeline, { sets, axes }, fingerprinter)
  }).pipe(Effect.provide(NodeContext.layer))

/** Plans and runs a pipeline (on `pool` when given); returns node name → status. */
export const run = (
  pipeline: Pipeline.Any,
  sets: ReadonlyArray<string>,
  cacheDir: string,
  options: Scheduler.RunOptions = {},
  pool?: WorkerPool.WorkerPool
) =>
  Effect.gen(function* () {
    const p = yield* plan(pipeline, sets, cacheDir)
    const scheduler = yield* Scheduler.Scheduler
    const report = yield* scheduler.run(p, { checkpointIntervalMs: 0, ...options })
    return { report, plan: p, status: Object.fromEntries(report.stages.map((s) => [s.name, s.status])) }
  }).pipe(Effect.provide(engineLayer(cacheDir, pool)))

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Starts `node ARGV…` in `cwd` with the tests' environment defaults (a short lock stale period, a
 * checkpoint after every save), collecting its output.
 */
export const spawnNode = (argv: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, argv, {
    cwd,
    env: { ...process.env, PIPELINE_LOCK_STALE_MS: "2000", PIPELINE_CHECKPOINT_SECONDS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (d) => (stdout += d))
  child.stderr.on("data", (d) => (stderr += d))
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  /** What the child printed so far (stderr, where progress goes, then stdout). */
  const output = () => stderr + stdout
  return { child, done, output }
}

/** Starts the toy CLI (`node --import tsx test/engine/fixtures/cli.ts …`). */
export const startCli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  spawnNode(["--import", "tsx", join(root, "test/engine/fixtures/cli.ts"), ...args], root, env)

/** Runs the toy CLI to completion. */
export const cli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => startCli(args, env).done
