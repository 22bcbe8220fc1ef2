/**
 * Runs the real `pipeline` command (bin/pipeline.mjs, compiled dist/) in a subprocess with its own
 * cache and output folders, as a user would.
 */
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const repoRoot = resolve(import.meta.dirname, "../..")
export const bin = join(repoRoot, "bin", "pipeline.mjs")

export interface CliRun {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  /** Wall milliseconds from spawn to exit. */
  readonly ms: number
  /** True when the run was killed for exceeding its `timeoutMs`. */
  readonly timedOut: boolean
}

/** A fresh temporary directory. */
export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `${prefix}-`))

/** Environment for a run against `cache`: no TTY bars, published files under `out`. */
export const cliEnv = (cache: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  PIPELINE_CACHE: cache,
  PIPELINE_OUT: join(cache, "..", `${cache.split("/").pop()}-out`),
  CI: "true",
  ...extra
})

/**
 * Runs `pipeline ARGS…` to completion. Asynchronous: a synchronous spawn would block the test
 * worker's event loop for the whole run and starve vitest's RPC. With `timeoutMs`, a run that takes
 * longer is killed (SIGKILL) and reported `timedOut`.
 */
export function pipeline(
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
  options: { readonly timeoutMs?: number } = {}
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    let timedOut = false
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            child.kill("SIGKILL")
          }, options.timeoutMs)
    child.stdout.on("data", (d) => (stdout += String(d)))
    child.stderr.on("data", (d) => (stderr += String(d)))
    child.on("error", reject)
    child.on("close", (status) => {
      if (timer !== undefined) clearTimeout(timer)
      resolve({ status, stdout, stderr, ms: performance.now() - started, timedOut })
    })
  })
}

/** Starts `pipeline ARGS…`; `waitFor` resolves when `predicate(stderr+stdout so far)` holds. */
export function startPipeline(args: ReadonlyArray<string>, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  let stdout = ""
  child.stdout.on("data", (d) => {
    output += String(d)
    stdout += String(d)
  })
  child.stderr.on("data", (d) => (output += String(d)))
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)))
  const waitFor = (predicate: (text: string) => boolean, timeoutMs = 120_000) =>
    new Promise<void>((res, rej) => {
      const started = Date.now()
      const poll = setInterval(() => {
        if (predicate(output)) {
          clearInterval(poll)
          res()
        } else if (Date.now() - started > timeoutMs || child.exitCode !== null) {
          clearInterval(poll)
          rej(new Error(`gave up waiting; output so far:\n${output}`))
        }
      }, 50)
    })
  return { child, exited, waitFor, output: () => output, stdout: () => stdout }
}

/** The `--json` report of a run. */
export interface RunJson {
  readonly pipeline: string
  readonly stages: ReadonlyArray<{ name: string; key: string; status: string; seconds: number; outputDigest: string }>
}

/** Parses the JSON object a `--json` run prints on stdout. */
export const runJson = (r: CliRun): RunJson => JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as RunJson

/** stage name → output digest. */
/** `--set key=value` arguments, in the order given: `setArgs({ trainTrials: 3 })` → ["--set", "trainTrials=3"]. */
export const setArgs = (params: Readonly<Record<string, string | number | boolean>>): Array<string> =>
  Object.entries(params).flatMap(([key, value]) => ["--set", `${key}=${value}`])

export const digests = (r: RunJson) => Object.fromEntries(r.stages.map((s) => [s.name, s.outputDigest]))

/** `pipeline show PIPELINE NODE ARGS… --json`: the node's result and its artifacts' paths. */
export async function show(
  name: string,
  node: string,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv
): Promise<{ result: Record<string, unknown>; artifacts: Record<string, string> }> {
  const shown = await pipeline(["show", name, node, ...args, "--json"], env)
  if (shown.status !== 0) throw new Error(`pipeline show ${name} ${node} failed:\n${shown.stderr}`)
  return JSON.parse(shown.stdout) as { result: Record<string, unknown>; artifacts: Record<string, string> }
}

/** A TCP port free on 127.0.0.1 now (for a test's Redis or SLURM daemons). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
