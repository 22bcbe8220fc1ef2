/**
 * `npm run replay`: whole trainings of the reference, replayed through our model on the
 * reference's own random streams (src/replay/), and compared.
 *
 *   npm run replay -- --task estimation|classification [--trials K] [--file PATH] [--kernels simd|js] [--json]
 *
 * replays the protocol of `../shared/reference/full-runs/<task>-from-scratch.json` (or `--file`):
 * the first K training trials (default all 260), and prints per snapshot of the file the largest
 * deviation of W, C, b, D and of the trial's learning-curve fields (obj_mean, …), then the largest
 * learning-curve deviation over all replayed trials and the wall time. Exits 1 above 1e-9.
 *
 *   npm run replay -- --pretrained [--skip-test-call] [--trials K] [--out FILE] [--reference PATH] [--kernels simd|js] [--json]
 *
 * replays the reference main script's documented protocol (seed 120994, a first test call of
 * 100 trials unless `--skip-test-call`, 260 training trials) and compares the result with the
 * paper's pickled network (`../shared/reference/pretrained-estimation.json`); `--out` writes the
 * replayed network in the network file format (`pipeline run estimation --set pretrainedPath=FILE`
 * tests it). Progress goes to stderr, one line per trial.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { basename, resolve } from "node:path"
import { parseArgs } from "node:util"
import type { KernelKind } from "../src/model/kernels/index.js"
import type { ModelParams } from "../src/model/params.js"
import {
  compareFullRun,
  FULL_RUN_TOLERANCE,
  type FullRunComparison,
  fullRunParams,
  parseFullRun,
  protocolOf,
  snapshotsOf
} from "../src/replay/fullRun.js"
import { comparePretrained, mainScriptProtocol, parsePretrained, pretrainedParams } from "../src/replay/pretrained.js"
import {
  type NetworkDeviation,
  type ReplayProtocol,
  replayTraining,
  type TrialStatistics
} from "../src/replay/training.js"
import { toJson } from "../stages/networkFile.js"

const referenceDir = resolve(import.meta.dirname, "../../shared/reference")
const usage = `usage: npm run replay -- --task estimation|classification [--trials K] [--file PATH] [--kernels simd|js] [--json]
       npm run replay -- --pretrained [--skip-test-call] [--trials K] [--out FILE] [--reference PATH] [--kernels simd|js] [--json]
`

const readJson = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, "utf8"))
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`)
  }
}

const e = (x: number) => (x === 0 ? "0" : x.toExponential(1))
const parameters = (d: NetworkDeviation) =>
  `W ${e(d.weights)}, C ${e(d.inputWeights)}, b ${e(d.biases)}, D ${e(d.decoder)}`
const describeProtocol = (p: ReplayProtocol) =>
  `seed ${p.seed}, ${p.testCallTrials === 0 ? "no test call" : `a ${p.testCallTrials}-trial test call`}, ${p.trainTrials} training trials`

function trialsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const trials = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(trials))
    throw new Error(`--trials must be a whole number, got "${value}"`)
  return trials
}

function kernelsOption(value: string): KernelKind {
  if (value !== "simd" && value !== "js") throw new Error(`--kernels must be simd or js, got "${value}"`)
  return value
}

/** One progress line per trial on stderr. */
function progress(total: number, started: number, reference?: (trial: number) => number | undefined) {
  return (s: TrialStatistics) => {
    const theirs = reference?.(s.trial)
    const ref = theirs === undefined ? "" : ` (reference ${theirs.toFixed(9)})`
    const seconds = ((Date.now() - started) / 1000).toFixed(0)
    process.stderr.write(`trial ${s.trial}/${total}  obj_mean ${s.objMean.toFixed(9)}${ref}  ${seconds} s\n`)
  }
}

function printComparison(c: FullRunComparison, file: string, protocol: ReplayProtocol, seconds: number): void {
  const fields = Object.keys(c.learningCurve)
  const lines = [
    `${basename(file)}: ${c.trials} training trials replayed in ${seconds.toFixed(0)} s (${describeProtocol(protocol)})`,
    `initial network: ${parameters(c.initial)}`,
    "largest |ours − reference| per snapshot:",
    ["trial", "W", "C", "b", "D", ...fields]
      .map((h, k) => (k === 0 ? h.padStart(5) : h.padStart(k < 5 ? 8 : 12)))
      .join(" ")
  ]
  for (const s of c.snapshots) {
    const p = s.parameters
    const cells = [p.weights, p.inputWeights, p.biases, p.decoder].map((x) => e(x).padStart(8))
    const curve = fields.map((f) => e(s.learningCurve[f] ?? Number.NaN).padStart(12))
    lines.push([String(s.trial).padStart(5), ...cells, ...curve].join(" "))
  }
  lines.push(
    `largest over all ${c.trials} trials' learning curve: ${fields.map((f) => `${f} ${e(c.learningCurve[f]!)}`).join(", ")}`,
    `worst deviation (a norm's divided by √entries) ${e(c.worst)} ` +
      (c.worst <= FULL_RUN_TOLERANCE
        ? `≤ ${FULL_RUN_TOLERANCE}: the replay reproduces the reference's training`
        : `> ${FULL_RUN_TOLERANCE}: the replay does NOT reproduce the reference's training`)
  )
  process.stdout.write(`${lines.join("\n")}\n`)
}

function fullRun(task: string, values: Record<string, string | boolean | undefined>): number {
  if (task !== "estimation" && task !== "classification") {
    throw new Error(`--task must be estimation or classification, got "${task}"`)
  }
  const path = (values.file as string | undefined) ?? resolve(referenceDir, "full-runs", `${task}-from-scratch.json`)
  const file = parseFullRun(readJson(path), path)
  if (file.task !== task) throw new Error(`${path} is a ${file.task} run, not ${task}`)
  const params = fullRunParams(file, path)
  const protocol = protocolOf(file, path)
  const started = Date.now()
  const trials = trialsOption(values.trials as string | undefined) ?? protocol.trainTrials
  const replay = replayTraining(params, protocol, {
    trials,
    kernels: kernelsOption(values.kernels as string),
    keep: snapshotsOf(file).keys(),
    onTrial: progress(trials, started, (trial) => file.learning_curve[trial - 1]?.obj_mean)
  })
  const comparison = compareFullRun(file, replay)
  const seconds = (Date.now() - started) / 1000
  if (values.json === true) {
    process.stdout.write(
      `${JSON.stringify({ file: path, protocol, seconds, tolerance: FULL_RUN_TOLERANCE, ...comparison })}\n`
    )
  } else {
    printComparison(comparison, path, protocol, seconds)
  }
  return comparison.worst <= FULL_RUN_TOLERANCE ? 0 : 1
}

function pretrained(values: Record<string, string | boolean | undefined>): number {
  const path = (values.reference as string | undefined) ?? resolve(referenceDir, "pretrained-estimation.json")
  const reference = parsePretrained(readJson(path), path)
  const params: ModelParams = pretrainedParams(reference, path)
  const protocol = mainScriptProtocol(params, { skipTestCall: values["skip-test-call"] === true })
  const started = Date.now()
  const trials = trialsOption(values.trials as string | undefined) ?? protocol.trainTrials
  const replay = replayTraining(params, protocol, {
    trials,
    kernels: kernelsOption(values.kernels as string),
    onTrial: progress(trials, started)
  })
  const comparison = comparePretrained(reference, replay, protocol.trainTrials)
  const seconds = (Date.now() - started) / 1000
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ reference: path, protocol, trials, seconds, ...comparison })}\n`)
  } else {
    const lines = [
      `${basename(path)}: ${trials} training trials replayed in ${seconds.toFixed(0)} s (${describeProtocol(protocol)})`,
      `initial network against the paper's: ${parameters(comparison.initial)}`
    ]
    if (comparison.trained !== undefined && comparison.distanceFromPaper !== undefined) {
      const d = comparison.distanceFromPaper
      const m = comparison.paperDisplacement
      lines.push(
        `trained network against the paper's, largest |ours − paper|: ${parameters(comparison.trained)}`,
        `‖ours − paper‖ against ‖paper − initial‖: W ${d.weights.toFixed(3)} / ${m.weights.toFixed(3)}, ` +
          `C ${d.inputWeights.toFixed(3)} / ${m.inputWeights.toFixed(3)}, b ${d.biases.toFixed(3)} / ${m.biases.toFixed(3)}, ` +
          `D ${d.decoder.toFixed(3)} / ${m.decoder.toFixed(3)}`
      )
    } else {
      lines.push(`(the paper's trained network is compared after all ${protocol.trainTrials} trials only)`)
    }
    process.stdout.write(`${lines.join("\n")}\n`)
  }
  const out = values.out as string | undefined
  if (out !== undefined) {
    const json = {
      ...toJson(replay.final),
      params: { ...params, trainTrials: trials },
      provenance: {
        source:
          "npm run replay -- --pretrained: our model trained on numpy's streams of the reference's main script (comparison only)",
        reference: path,
        protocol,
        date: new Date().toISOString(),
        seconds,
        ...comparison
      }
    }
    const tmp = `${out}.tmp-${process.pid}`
    writeFileSync(tmp, JSON.stringify(json))
    renameSync(tmp, out)
  }
  return 0
}

function main(argv: ReadonlyArray<string>): number {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: {
      task: { type: "string" },
      trials: { type: "string" },
      file: { type: "string" },
      kernels: { type: "string", default: "simd" },
      json: { type: "boolean", default: false },
      pretrained: { type: "boolean", default: false },
      "skip-test-call": { type: "boolean", default: false },
      out: { type: "string" },
      reference: { type: "string" },
      help: { type: "boolean", short: "h", default: false }
    }
  })
  if (values.help) {
    process.stdout.write(usage)
    return 0
  }
  if (values.pretrained) {
    if (values.task !== undefined || values.file !== undefined)
      throw new Error("--pretrained takes no --task or --file")
    return pretrained(values)
  }
  if (values.out !== undefined || values.reference !== undefined || values["skip-test-call"]) {
    throw new Error("--out, --reference and --skip-test-call belong to --pretrained")
  }
  if (values.task === undefined)
    throw new Error(`name a task (--task estimation|classification) or --pretrained\n${usage}`)
  return fullRun(values.task, values)
}

try {
  process.exitCode = main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`replay: ${(error as Error).message}\n`)
  process.exitCode = 1
}
