/**
 * The per-key computation log the distributed job processor appends to
 * (`<cache>/.computations/<key>.jsonl`: one event per job start, end or error), read by the tests
 * of the distributed runners (BullMQ, SLURM) to count who computed what.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { assert } from "vitest"
import { cliEnv, pipeline, type RunJson, runJson } from "./cli.js"

/** One event of the log. */
export interface ComputationEvent {
  readonly event: "start" | "end" | "error"
  readonly key: string
  readonly node: string
  /** `host:pid` of the process that ran the job. */
  readonly worker: string
  readonly status?: string
  readonly at: string
  readonly detail?: string
}

/** Every key's computation log. */
export const computations = (cache: string): Map<string, Array<ComputationEvent>> => {
  const dir = join(cache, ".computations")
  const out = new Map<string, Array<ComputationEvent>>()
  if (!existsSync(dir)) return out
  for (const file of readdirSync(dir)) {
    const lines = readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean)
    out.set(
      file.replace(/\.jsonl$/, ""),
      lines.map((l) => JSON.parse(l) as ComputationEvent)
    )
  }
  return out
}

/** A complete checkpoint of the key exists (`ckpt-N` is renamed into place when complete). */
export const hasCheckpoint = (cache: string, key: string) => {
  const dir = join(cache, ".checkpoints", key)
  return existsSync(dir) && readdirSync(dir).some((name) => /^ckpt-\d+$/.test(name))
}

/** The event of a job that computed and committed the key (not one served from the cache). */
export const computed = (e: ComputationEvent) => e.event === "end" && (e.status === "ran" || e.status === "resumed")

/**
 * Asserts what a distributed run (BullMQ, SLURM) must leave for every stage of its report: one
 * job computed it, no job erred on it, and its manifest names the worker the log names. Returns
 * each stage's computing event by key, and how many computations beyond one the log holds (0, or
 * an assertion failed first; reported in the tests' summaries).
 */
export const assertComputedOnce = (
  cache: string,
  stages: ReadonlyArray<{ readonly name: string; readonly key: string }>
) => {
  const logs = computations(cache)
  const ends = new Map<string, ComputationEvent>()
  let duplicates = 0
  for (const stage of stages) {
    const events = logs.get(stage.key) ?? []
    const done = events.filter(computed)
    duplicates += Math.max(0, done.length - 1)
    assert.strictEqual(done.length, 1, `${stage.name} was computed ${done.length} times: ${JSON.stringify(events)}`)
    assert.deepStrictEqual(
      events.filter((e) => e.event === "error"),
      [],
      `${stage.name} had errors`
    )
    const manifest = JSON.parse(readFileSync(join(cache, stage.key, "manifest.json"), "utf8")) as { worker?: string }
    assert.strictEqual(manifest.worker, done[0]!.worker, `${stage.name}: manifest and log disagree`)
    ends.set(stage.key, done[0]!)
  }
  return { ends, duplicates }
}

/**
 * Runs the same sweep locally (cache `localCache`, published to `<root>/local-out`) and asserts it
 * gives what the distributed run gave: every stage's key and output digest, and the sweep's
 * `results.csv` (published under `<root>/out`) byte for byte. Returns the local run's wall time and
 * the size of the csv, for the test's summary line.
 */
export const assertSameAsLocalRun = async (options: {
  readonly root: string
  readonly localCache: string
  readonly sets: ReadonlyArray<string>
  readonly report: RunJson
  readonly executor: string
}) => {
  const t0 = performance.now()
  const local = await pipeline(["run", "estimation", "--json", ...options.sets], {
    ...cliEnv(options.localCache),
    PIPELINE_OUT: join(options.root, "local-out")
  })
  const localSeconds = (performance.now() - t0) / 1000
  assert.strictEqual(local.status, 0, local.stderr.slice(-3000))
  const localReport = runJson(local)
  for (const stage of options.report.stages) {
    const other = localReport.stages.find((s) => s.name === stage.name)!
    assert.strictEqual(stage.key, other.key, stage.name)
    assert.strictEqual(stage.outputDigest, other.outputDigest, stage.name)
  }
  const csv = (out: string) => {
    const dir = join(options.root, out, "estimation", "sweeps")
    // out/estimation/sweeps/<axes>-<hash>/latest: the sweep's newest run (each run its own folder).
    return readFileSync(join(dir, readdirSync(dir)[0]!, "latest", "results.csv"))
  }
  const bytes = csv("out")
  assert.isTrue(bytes.equals(csv("local-out")), `results.csv differs between the ${options.executor} and the local run`)
  return { localSeconds, csvBytes: bytes.length }
}
