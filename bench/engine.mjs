#!/usr/bin/env node
// Engine benchmark (issue #3).
//
// 1. Warm `pipeline run NAME` through the real CLI (bin/pipeline.mjs, Node start included): the
//    median wall time of several runs once everything is cached, and how much of it is module
//    loading of the CLI and of the pipeline registry.
// 2. The engine's own overhead per stage, in-process, on a chain of trivial toy stages: planning
//    (fingerprints, keys), then a cold run (lock, temp dir, manifest, checksums, rename) and a
//    warm run (verification of every entry).
//
// Usage: node bench/engine.mjs [NAME] [--runs N] [--stages K] [--set key=value]...
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const argv = process.argv.slice(2)
const option = (name, fallback) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv.splice(i, 2)[1] : fallback
}
const runs = Number(option("--runs", "5"))
const chain = Number(option("--stages", "40"))
const sets = []
for (let i = argv.indexOf("--set"); i >= 0; i = argv.indexOf("--set")) sets.push(...argv.splice(i, 2))
const name = argv[0] ?? "estimation"
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (x) => `${x.toFixed(0)} ms`

// ---------------------------------------------------------------------------------------------
// 1. Warm CLI run
const cli = (args, env = {}) => {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [join(root, "bin/pipeline.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env }
  })
  return { seconds: (performance.now() - t0) / 1000, ...r }
}
console.log(
  `# warm \`pipeline run ${name}${sets.length ? ` ${sets.join(" ")}` : ""}\` (bin/pipeline.mjs, Node start included)`
)
const first = cli(["run", name, ...sets, "--json"])
if (first.status !== 0) {
  console.error(first.stderr)
  process.exit(1)
}
const ran = JSON.parse(first.stdout).stages.filter((s) => s.status !== "cached").length
console.log(`first run: ${first.seconds.toFixed(2)} s (${ran} stages computed, build included if sources changed)`)
const warmTimes = (env) => {
  const times = []
  for (let i = 0; i < runs; i++) {
    const r = cli(["run", name, ...sets, "--json"], env)
    const stages = JSON.parse(r.stdout).stages
    if (stages.some((s) => s.status !== "cached")) throw new Error("a warm run computed a stage")
    times.push(r.seconds * 1000)
  }
  return times
}
const times = warmTimes({})
const fullTimes = warmTimes({ PIPELINE_WARM: "0" })
const nodeStart = median(
  Array.from({ length: 3 }, () => {
    const t0 = performance.now()
    spawnSync(process.execPath, ["-e", "0"])
    return performance.now() - t0
  })
)
const imports = spawnSync(
  process.execPath,
  [
    "--input-type=module",
    "-e",
    `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(join(root, "dist/src/cli/main.js")).href)});
     const t1 = performance.now(); await import(${JSON.stringify(pathToFileURL(join(root, "dist/pipelines/index.js")).href)});
     console.log(JSON.stringify({ cli: t1 - t0, pipelines: performance.now() - t1 }))`
  ],
  { encoding: "utf8" }
)
const loaded = JSON.parse(imports.stdout)
const range = (xs) =>
  `median ${ms(median(xs))} over ${runs} runs (min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))})`
console.log(`warm run (served from the warm-run memo): ${range(times)}; target ≤ 1000 ms (issue #13)`)
console.log(`warm run without the memo (PIPELINE_WARM=0: load registry, plan, verify): ${range(fullTimes)}`)
console.log(
  `  node start ${ms(nodeStart)}; the full path also loads the CLI (${ms(loaded.cli)}) and the pipeline registry with stages, model, analysis, figures (${ms(loaded.pipelines)})`
)

// ---------------------------------------------------------------------------------------------
// 2. Engine overhead per stage, in-process
const { register } = await import("tsx/esm/api")
register()
const Effect = await import("effect/Effect")
const Schema = await import("effect/Schema")
const Layer = await import("effect/Layer")
const NodeContext = await import("@effect/platform-node/NodeContext")
const engine = (m) => import(pathToFileURL(join(root, "src/engine", `${m}.ts`)).href)
const [Stage, Pipeline, Plan, Fingerprint, Scheduler, Engine, LocalRunner, Cache, Progress, WorkerPool, NdArray] =
  await Promise.all(
    [
      "Stage",
      "Pipeline",
      "Plan",
      "Fingerprint",
      "Scheduler",
      "Engine",
      "LocalRunner",
      "Cache",
      "Progress",
      "WorkerPool",
      "NdArray"
    ].map(engine)
  )
const link = Stage.make({
  name: "link",
  module: import.meta.url,
  description: "A trivial stage: one small array and a JSON result.",
  params: Schema.Struct({ i: Schema.Int }),
  random: true,
  inputs: {},
  output: Schema.Struct({ i: Schema.Int }),
  run: (ctx) =>
    Effect.gen(function* () {
      yield* ctx.writeArray("x.npy", NdArray.fromNumbers([ctx.params.i, ctx.seed]))
      return { i: ctx.params.i }
    })
})
const chained = Stage.make({ ...link, name: "chained", inputs: { previous: link } })
const pipeline = Pipeline.make({
  name: "bench-chain",
  description: "",
  params: Schema.Struct({}),
  seed: () => 1,
  build: (_, use) => {
    let node = use(link, { name: "n0", params: { i: 0 } })
    for (let i = 1; i < chain; i++) node = use(chained, { name: `n${i}`, params: { i }, inputs: { previous: node } })
    return [node]
  }
})
const cacheDir = mkdtempSync(join(tmpdir(), "bench-engine-"))
const layer = Engine.layer({
  runner: LocalRunner.layer({ memoryBudget: 2 ** 32 }),
  cache: Cache.layer({ dir: cacheDir }),
  progress: Layer.succeed(Progress.Progress, Progress.silent),
  pool: Layer.scoped(WorkerPool.WorkerPool, WorkerPool.make(1))
}).pipe(Layer.provideMerge(NodeContext.layer))
const timed = async (effect) => {
  const t0 = performance.now()
  const value = await Effect.runPromise(Effect.provide(effect, layer))
  return { value, ms: performance.now() - t0 }
}
const planOnce = Effect.gen(function* () {
  const fingerprinter = yield* Fingerprint.make({ root, memoPath: join(cacheDir, ".fingerprints.json") })
  return yield* Plan.make(pipeline, {}, fingerprinter)
})
await timed(planOnce) // fills the fingerprint memo (loads the compiler once)
const plan = await timed(planOnce)
const runOnce = (p) => Effect.flatMap(Scheduler.Scheduler, (s) => s.run(p, { checkpointIntervalMs: 0 }))
const cold = await timed(runOnce(plan.value))
const warm = await timed(runOnce(plan.value))
if (warm.value.stages.some((s) => s.status !== "cached")) throw new Error("the warm chain computed a stage")
console.log(`\n# engine overhead per stage (in-process, a chain of ${chain} trivial stages)`)
console.log(`plan (fingerprints from the memo, keys): ${(plan.ms / chain).toFixed(2)} ms/stage`)
console.log(
  `cold run (lock, temp dir, .npy + manifest + checksums, fsyncs, rename): ${(cold.ms / chain).toFixed(2)} ms/stage`
)
console.log(`warm run (verify every entry, skip): ${(warm.ms / chain).toFixed(2)} ms/stage`)
rmSync(cacheDir, { recursive: true, force: true })
