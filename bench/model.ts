/**
 * Model benchmark (issue #2): µs per simulated step, single thread, median of ≥ 5 runs of
 * 200 000 steps each (one trial of 2000 s at dt = 0.01, records on, noise drawn from its alea
 * stream as in a real run; the angles are sampled beforehand, as the pipeline's sample stage
 * does), train and test for every task (estimation, classification, mixed, bci), with the speed-up
 * over the Python reference's figures on this machine (137 µs per training step, 60 µs per test
 * step; measured for estimation, N = 40).
 *
 *   npm run bench              a table
 *   npm run bench -- --tasks estimation,classification   only those tasks
 *   npm run bench -- --json    one JSON object
 *   npm run bench -- --runs 7 --steps 300000
 *   npm run bench -- --kernels js     the plain-TypeScript kernels instead of WebAssembly SIMD
 *   npm run bench -- --set decoderFixed=true --set nonlinearity=sigmoid
 *                              model params over the defaults (the reference's switches, README §9;
 *                              with inputNoise > 0 the input noise is drawn as in a real run)
 */
import { loadavg } from "node:os"
import { sampleTestSchedule, sampleTrainingAngles, scheduleToAngles } from "../src/model/inputs.js"
import type { KernelKind } from "../src/model/kernels/index.js"
import { cloneNetwork, initNetwork } from "../src/model/network.js"
import { type ModelParams, parseModelParams } from "../src/model/params.js"
import { paths, stream } from "../src/model/random.js"
import { threeFactor } from "../src/model/rules/threeFactor.js"
import { defaultParams, type TaskId, taskModels } from "../src/model/tasks/index.js"
import { allocateRecords, runTestTrial, runTrainTrial } from "../src/model/trial.js"
import { streamNoise, streamNormals, Workspace } from "../src/model/workspace.js"

const REFERENCE_US = { train: 137, test: 60 } as const
const TARGET_US = { train: 5, test: 3 } as const

const argv = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(name)
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback
}
const json = argv.includes("--json")
const runs = Math.max(5, option("--runs", 5))
const stepsPerRun = Math.max(200_000, option("--steps", 200_000))
const kernelsArg = argv.includes("--kernels") ? argv[argv.indexOf("--kernels") + 1] : "simd"
if (kernelsArg !== "simd" && kernelsArg !== "js") {
  process.stderr.write(`bench: --kernels must be simd or js, got ${kernelsArg}\n`)
  process.exit(2)
}
const kernels: KernelKind = kernelsArg
/** `--set key=value` model params over the defaults: numbers and booleans as JSON, anything else a string. */
const overrides: Record<string, unknown> = {}
argv.forEach((a, i) => {
  if (a !== "--set") return
  const [key, ...rest] = (argv[i + 1] ?? "").split("=")
  const value = rest.join("=")
  if (key === undefined || key === "" || rest.length === 0) {
    process.stderr.write(`bench: --set needs key=value, got ${argv[i + 1]}\n`)
    process.exit(2)
  }
  try {
    overrides[key] = JSON.parse(value)
  } catch {
    overrides[key] = value
  }
})

interface Case {
  readonly task: TaskId
  readonly mode: "train" | "test"
}
/** `--tasks estimation,bci` limits the cases to those tasks (default: every task). */
const taskList = argv.includes("--tasks")
  ? (argv[argv.indexOf("--tasks") + 1] ?? "").split(",")
  : Object.keys(taskModels)
for (const id of taskList) {
  if (!(id in taskModels)) {
    process.stderr.write(`bench: unknown task "${id}" in --tasks; tasks: ${Object.keys(taskModels).join(", ")}\n`)
    process.exit(2)
  }
}
const cases: ReadonlyArray<Case> = (taskList as ReadonlyArray<TaskId>).flatMap((task) => [
  { task, mode: "train" as const },
  { task, mode: "test" as const }
])

function median(xs: ReadonlyArray<number>): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

function measure(c: Case): { usPerStep: number; runsUs: Array<number>; N: number } {
  const seed = 120994
  const task = taskModels[c.task]
  const params: ModelParams = parseModelParams(
    {
      ...defaultParams(c.task),
      trialSeconds: (stepsPerRun + 1) * 0.01,
      switchSeconds: ((stepsPerRun + 1) * 0.01) / 5,
      ...overrides
    },
    task
  )
  const initRng = stream(seed, paths.initWeights)
  const initial = initNetwork(params, () => initRng.uniformDouble())
  // A feedback task (BCI) has no stimulus: θ = 0 throughout.
  const angles =
    task.input === "feedback"
      ? new Float64Array(Math.trunc(params.trialSeconds / params.dt))
      : c.mode === "train"
        ? sampleTrainingAngles(params, seed, 0)
        : scheduleToAngles(params, sampleTestSchedule(params, seed, 1))
  const runOnce = (k: number): number => {
    const ws = new Workspace(params, cloneNetwork(initial), threeFactor, task, undefined, kernels)
    const records = allocateRecords(params, { rates: c.mode === "test" })
    const noise = streamNoise(stream(seed, c.mode === "train" ? paths.trainNoise(k) : paths.testNoise(k)), params.dt)
    const inputPath = c.mode === "train" ? paths.trainInputNoise(k) : paths.testInputNoise(k)
    const inputNoise = params.inputNoise > 0 ? streamNormals(stream(seed, inputPath), params.inputNoise) : undefined
    const start = process.hrtime.bigint()
    const options = { angles, noise, inputNoise, trial: k, records }
    if (c.mode === "train") runTrainTrial(ws, params, options)
    else runTestTrial(ws, params, options)
    const ns = Number(process.hrtime.bigint() - start)
    return ns / 1000 / (angles.length - 1)
  }
  runOnce(99) // warm-up (JIT)
  const runsUs = Array.from({ length: runs }, (_, k) => runOnce(k))
  return { usPerStep: median(runsUs), runsUs, N: params.N }
}

// The machine is shared: the 1-minute load average before and after says how busy it was.
const loadBefore = loadavg()[0]!
const results = cases.map((c) => {
  const m = measure(c)
  const reference = REFERENCE_US[c.mode]
  return {
    case: `${c.task} ${c.mode}`,
    task: c.task,
    mode: c.mode,
    N: m.N,
    usPerStep: m.usPerStep,
    minUs: Math.min(...m.runsUs),
    maxUs: Math.max(...m.runsUs),
    speedup: reference / m.usPerStep,
    referenceUs: reference,
    // The targets and the reference's figures are for the estimation task (the paper's default path).
    targetUs: c.task === "estimation" ? TARGET_US[c.mode] : null,
    meetsTarget: c.task === "estimation" ? m.usPerStep <= TARGET_US[c.mode] : null
  }
})

const loadAfter = loadavg()[0]!
const load = { before: loadBefore, after: loadAfter }

if (json) {
  process.stdout.write(
    `${JSON.stringify({ runs, stepsPerRun, node: process.version, kernels, params: overrides, load, results, note: "reference: Python, N = 40, this machine" })}\n`
  )
} else {
  const fmt = (x: number, d = 2) => x.toFixed(d).padStart(7)
  process.stdout.write(
    `model benchmark: median of ${runs} runs × ${stepsPerRun} steps, ${process.version}, ${kernels} kernels${
      Object.keys(overrides).length > 0 ? `, ${JSON.stringify(overrides)}` : ""
    }\n`
  )
  process.stdout.write("case                     N   µs/step   (min …   max)  speed-up  target\n")
  for (const r of results) {
    const target = r.targetUs === null ? "" : `≤ ${r.targetUs} ${r.meetsTarget ? "ok" : "MISSED"}`
    process.stdout.write(
      `${r.case.padEnd(22)} ${String(r.N).padStart(3)} ${fmt(r.usPerStep)}  (${fmt(r.minUs)} … ${fmt(r.maxUs)}) ${fmt(r.speedup, 1)}×  ${target}\n`
    )
  }
  process.stdout.write("speed-up against the Python reference on this machine: 137 µs/train step, 60 µs/test step\n")
  process.stdout.write(
    `1-minute load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (shared machine)\n`
  )
}
