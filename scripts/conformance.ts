/**
 * Conformance runner (issue #2): replays reference vector files (the format of
 * `../shared/reference/vectors/`, documented in `../shared/reference/README.md` §1.2) through the
 * TypeScript model, with the file's own random draws, and prints one JSON line per file:
 *
 *   {"file": …, "steps": S, "trials": n, "maxAbs": {"r": …, "o": …, "target": …, "inputs": …,
 *    "weights": …, "inputWeights": …, "biases": …, "decoder": …, "objective": …, …}, "ok": true|false}
 *
 * Usage: `npm run conformance -- PATH...` (files, or folders whose *.json files are all replayed;
 * default: `<repo>/../shared/reference/vectors`, `vectors-toolbox` and `vectors-tasks`).
 * Exits 1 when any deviation exceeds 1e-11 (1e-9 for the objective and the learning modulator) or
 * a file cannot be replayed.
 *
 * Everything is read from each file: task (`objective`), mode (`test_inputs` present → test),
 * N, T, dt, steps, transient, every parameter, r_0, the initial network, the noise, the
 * Langevin draws (θ_0, η) or the test schedule (`choice`), and the checkpoint steps; for the
 * toolbox files (reference README §9) also the switches (`toolbox`, `param_fns.inv_nl`) and the
 * input-noise draws (`role: "input_noise"`). Parameters are compared after every trial and, where
 * the file has checkpoints, before the checkpoint's step (`*_before`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { langevinAngles, scheduleToAngles } from "../src/model/inputs.js"
import { flatten, type Network, networkFromNested } from "../src/model/network.js"
import { defaultModelParams, type ModelParams, type Nonlinearity, parseModelParams } from "../src/model/params.js"
import { threeFactor } from "../src/model/rules/threeFactor.js"
import { type TaskId, taskModels } from "../src/model/tasks/index.js"
import { parameterPenalty } from "../src/model/tasks/mixed.js"
import { allocateRecords, runTestTrial, runTrainTrial } from "../src/model/trial.js"
import { matrixNoise, Workspace } from "../src/model/workspace.js"

/**
 * Tolerances (issues #2, #12): 1e-11 for rates, outputs, targets, inputs, weights and every other
 * quantity; 1e-9 for the objective and the learning modulator. The four shared vector files agree
 * to 3e-14, their objectives to 1.6e-13.
 */
export const TOLERANCE = 1e-11
export const OBJECTIVE_TOLERANCE = 1e-9
const objectiveKeys = new Set(["objective", "modulator", "penalty"])

type Matrix = ReadonlyArray<ReadonlyArray<number>>
interface Draw {
  readonly fn: string
  readonly shape: ReadonlyArray<number>
  readonly values: unknown
  readonly trial?: number
  readonly phase?: string
  /** `input_noise` for the ν draws of §9.3. */
  readonly role?: string
}
interface Checkpoint {
  readonly step: number
  readonly avg_rr?: Matrix
  readonly avg_r?: ReadonlyArray<number>
  readonly avg_rs?: Matrix
  readonly weights_before?: Matrix
  readonly i_weights_before?: Matrix
  readonly biases_before?: ReadonlyArray<number>
  readonly decoder_before?: Matrix
}
interface VectorTrial {
  /** mixed (§10.3 (f)): Λ_t, the parameter penalty at the start of step t (index 0 a placeholder). */
  readonly param_l2?: ReadonlyArray<number>
  readonly r: Matrix
  readonly r_unclamped?: Matrix
  readonly o: Matrix
  readonly target: Matrix
  readonly weights_after: Matrix
  readonly i_weights_after: Matrix
  readonly biases_after: ReadonlyArray<number>
  readonly decoder_after: Matrix
  readonly inputs?: Matrix
  readonly theta?: ReadonlyArray<number>
  readonly obj_rule?: ReadonlyArray<number | null>
  readonly checkpoints?: ReadonlyArray<Checkpoint>
}
interface VectorFile {
  readonly objective: string
  readonly T: number
  readonly dt: number
  readonly steps: number
  readonly N: number
  readonly input_dim: number
  readonly target_dim: number
  readonly n_trials: number
  readonly r_0: ReadonlyArray<number>
  readonly params: Record<string, number>
  readonly input_params: Record<string, number>
  /** The objective's settings (`vectors-tasks/`, README §10.1): A, the reward window, the λ's. */
  readonly task?: Record<string, unknown>
  readonly harness_checks?: Record<string, unknown>
  readonly initial: { weights: Matrix; i_weights: Matrix; biases: ReadonlyArray<number>; decoder: Matrix }
  readonly random_draws: ReadonlyArray<Draw>
  readonly trials: ReadonlyArray<VectorTrial>
  readonly obj_record: Matrix
  readonly returned_records?: Record<string, unknown>
  readonly test_inputs?: ReadonlyArray<Matrix>
  readonly test_theta?: Matrix
  /** The names of the functions the network was configured with; `inv_nl` picks the nonlinearity. */
  readonly param_fns?: Record<string, string>
  /** The reference's switches (README §9.1), toolbox files only. */
  readonly toolbox?: {
    readonly annealed: boolean
    readonly input_noise: boolean
    readonly input_noise_sigma: number | null
    readonly normalize_output: boolean
    readonly decoder_fixed: boolean
  }
}

/** The reference's inverse nonlinearities (`param_fns.inv_nl`) and our names for their pairs (§9.6). */
const inverseNames: Readonly<Record<string, Nonlinearity>> = {
  inv_relu_diff: "softplus",
  inv_nl: "sigmoid",
  inv_linear: "linear"
}

/** The switches of a file (README §9): its `toolbox` block and `param_fns.inv_nl`; all off if absent. */
export function switchesFromFile(
  v: Pick<VectorFile, "toolbox" | "param_fns">
): Pick<ModelParams, "annealed" | "inputNoise" | "normalizeOutput" | "decoderFixed" | "nonlinearity"> {
  const inverse = v.param_fns?.inv_nl ?? "inv_relu_diff"
  const nonlinearity = inverseNames[inverse]
  if (nonlinearity === undefined) {
    throw new Error(`param_fns.inv_nl "${inverse}" is none of ${Object.keys(inverseNames).join(", ")}`)
  }
  const t = v.toolbox
  if (t?.input_noise === true && !(typeof t.input_noise_sigma === "number" && t.input_noise_sigma > 0)) {
    throw new Error(`toolbox.input_noise is true but input_noise_sigma is ${t.input_noise_sigma}`)
  }
  return {
    annealed: t?.annealed === true,
    inputNoise: t?.input_noise === true ? t.input_noise_sigma! : 0,
    normalizeOutput: t?.normalize_output === true,
    decoderFixed: t?.decoder_fixed === true,
    nonlinearity
  }
}

export interface ConformanceResult {
  readonly file: string
  readonly steps: number
  readonly trials: number
  readonly maxAbs: Record<string, number>
  readonly ok: boolean
  readonly error?: string
}

/** The reference's objectives (`objective` of a file) and our tasks. */
const objectiveTasks: Readonly<Record<string, TaskId>> = {
  linear: "estimation",
  classifier: "classification",
  mixed: "mixed",
  bci: "bci"
}

/** The task's settings a file was generated with (README §2, §10.2), from its `params`. */
function settingsFromFile(task: TaskId, p: Record<string, number>): Record<string, number> {
  const take = (pairs: ReadonlyArray<readonly [string, string]>) =>
    Object.fromEntries(pairs.filter(([key]) => typeof p[key] === "number").map(([key, name]) => [name, p[key]!]))
  const classes = [
    ["theta_thresh", "thetaThresh"],
    ["theta_thresh_rev", "thetaThreshRev"]
  ] as const
  if (task === "classification") return take(classes)
  if (task === "mixed") return take([...classes, ["lambda_MSE", "lambdaMse"], ["lambda_LL", "lambdaLl"]])
  if (task === "bci")
    return take([
      ["bci_threshold", "bciLow"],
      ["bci_upper_bd", "bciHigh"]
    ])
  return {}
}

/** The model parameters a vector file was generated with. */
export function paramsFromFile(v: VectorFile): ModelParams {
  const p = v.params
  const ip = v.input_params
  const taskId = objectiveTasks[v.objective]
  if (taskId === undefined) throw new Error(`unknown objective "${v.objective}"`)
  const task = taskModels[taskId]
  const defaults = defaultModelParams(task)
  const pick = (key: string, fallback: number): number => (typeof p[key] === "number" ? p[key] : fallback)
  const anneal = v.task?.anneal_const
  return parseModelParams(
    {
      ...defaults,
      settings: { ...defaults.settings, ...settingsFromFile(taskId, p) },
      annealConst: typeof anneal === "number" ? anneal : defaults.annealConst,
      N: v.N,
      inputDim: v.input_dim,
      targetDim: v.target_dim,
      dt: v.dt,
      sigma: pick("sigma", defaults.sigma),
      R: pick("R", defaults.R),
      alpha: pick("alpha", defaults.alpha),
      beta: pick("beta", defaults.beta),
      gamma: pick("gamma", defaults.gamma),
      rLow: pick("low_r_threshold", defaults.rLow),
      rHigh: pick("high_r_threshold", defaults.rHigh),
      rho: pick("theta", defaults.rho),
      thetaObj: pick("theta_obj", defaults.thetaObj),
      transientSeconds: pick("transient", defaults.transientSeconds),
      learningRate: pick("learning_rate", defaults.learningRate),
      learningRateBias: pick("learning_rate_bias", defaults.learningRateBias),
      learningRateInput: pick("learning_rate_input", defaults.learningRateInput),
      learningRateDecoder: pick("learning_rate_decoder", defaults.learningRateDecoder),
      weightL2: pick("weight_l2", defaults.weightL2),
      biasL2: pick("bias_weight_l2", defaults.biasL2),
      inputWeightL2: pick("i_weight_l2", defaults.inputWeightL2),
      recordEvery: pick("record_res", defaults.recordEvery),
      muIn: typeof ip.mu_in === "number" ? ip.mu_in : defaults.muIn,
      kappaIn: typeof ip.kappa_in === "number" ? ip.kappa_in : defaults.kappaIn,
      sigmaSampler: typeof ip.sigma_sampler === "number" ? ip.sigma_sampler : defaults.sigmaSampler,
      switchSeconds: typeof ip.switch_period === "number" ? ip.switch_period : defaults.switchSeconds,
      r0: v.r_0[0] ?? defaults.r0,
      trialSeconds: v.T,
      trainTrials: v.n_trials,
      testTrials: v.n_trials,
      ...switchesFromFile(v)
    },
    task
  )
}

/** Running maxima of |ours − reference| per quantity. */
class Deviations {
  readonly max: Record<string, number> = {}
  add(key: string, ours: number, reference: number): void {
    const d = Math.abs(ours - reference)
    const previous = this.max[key] ?? 0
    // NaN (or a missing reference value) counts as an infinite deviation.
    this.max[key] = !Number.isNaN(d) ? Math.max(previous, d) : Number.POSITIVE_INFINITY
  }
  matrix(key: string, ours: ArrayLike<number>, reference: Matrix | ReadonlyArray<number>): void {
    let k = 0
    for (const row of reference) {
      if (typeof row === "number") this.add(key, ours[k++]!, row)
      else for (const x of row) this.add(key, ours[k++]!, x)
    }
    if (k !== ours.length) this.max[key] = Number.POSITIVE_INFINITY
  }
}

function drawsOf(v: VectorFile, trial: number | undefined): Array<Draw> {
  return v.random_draws.filter((d) => d.trial === trial && d.phase !== "initialisation")
}

/** Replays one vector file; never throws (a failure is an `ok: false` result with `error`). */
export function replayFile(file: string): ConformanceResult {
  const dev = new Deviations()
  let steps = 0
  let trials = 0
  try {
    const v = JSON.parse(readFileSync(file, "utf8")) as VectorFile
    steps = v.steps
    trials = v.n_trials
    const params = paramsFromFile(v)
    const S = v.steps
    const N = v.N
    const testMode = v.test_inputs !== undefined
    const network: Network = networkFromNested(v.initial)
    // The initialisation draws, when listed, must be the initial network (W, C, D in that order).
    const init = v.random_draws.filter((d) => d.phase === "initialisation")
    if (init.length === 3) {
      dev.matrix("initialDraws", flatten(init[0]!.values as Matrix, N, N, "W draw"), v.initial.weights)
      dev.matrix("initialDraws", flatten(init[1]!.values as Matrix, N, v.input_dim, "C draw"), v.initial.i_weights)
      dev.matrix("initialDraws", flatten(init[2]!.values as Matrix, v.target_dim, N, "D draw"), v.initial.decoder)
    }
    const task = taskModels[objectiveTasks[v.objective]!]
    const ws = new Workspace(params, network, threeFactor, task)
    ws.initialRates.set(v.r_0)
    let schedule: Matrix | undefined
    if (testMode) {
      const choice = v.random_draws.find((d) => d.fn === "choice")
      if (choice === undefined) throw new Error("test-mode file without a choice draw")
      schedule = choice.values as Matrix
    }
    const records = allocateRecords(params, { rates: testMode, precision: 64 })
    const n = Math.ceil(S / params.recordEvery)
    let previousObjective = 0
    for (let ii = 0; ii < v.n_trials; ii++) {
      const ref = v.trials[ii]!
      const draws = drawsOf(v, ii)
      const normals = draws.filter((d) => d.fn === "normal" && d.role !== "input_noise")
      const xi = normals.find((d) => d.shape[0] === N && d.shape[1] === S)
      if (xi === undefined) throw new Error(`trial ${ii}: no ${N}×${S} noise draw`)
      const noise = matrixNoise(flatten(xi.values as Matrix, N, S, "noise"), N, S)
      // §9.3 ν, inputDim × S, when the file has input noise.
      const nu = draws.find((d) => d.role === "input_noise")
      if ((nu !== undefined) !== params.inputNoise > 0) {
        throw new Error(`trial ${ii}: input noise σ = ${params.inputNoise} but ${nu ? "an" : "no"} input_noise draw`)
      }
      const inputNoise =
        nu === undefined
          ? undefined
          : matrixNoise(flatten(nu.values as Matrix, v.input_dim, S, "input noise"), v.input_dim, S)
      let angles: Float64Array
      if (task.input === "feedback") {
        // §10.4 no stimulus: θ = 0 throughout, and no θ_0 or η draws.
        if (draws.some((d) => d.fn === "vonmises")) throw new Error(`trial ${ii}: a feedback task with a θ_0 draw`)
        angles = new Float64Array(S)
      } else if (testMode) {
        angles = scheduleToAngles(params, schedule![ii]!)
      } else {
        const vonMises = draws.find((d) => d.fn === "vonmises")
        const eta = normals.find((d) => d.shape[0] === 1 && d.shape[1] === S)
        if (vonMises === undefined || eta === undefined) throw new Error(`trial ${ii}: missing θ_0 or η draw`)
        const theta0 = (vonMises.values as ReadonlyArray<number>)[0]!
        angles = langevinAngles(params, theta0, (eta.values as Matrix)[0]!, new Float64Array(S))
      }
      const refTheta = testMode ? v.test_theta![ii]! : ref.theta!
      const refInputs = testMode ? v.test_inputs![ii]! : ref.inputs!
      const checkpoints = new Map((ref.checkpoints ?? []).map((c) => [c.step, c]))
      let rewarded = 0
      const observer = (w: Workspace, t: number) => {
        if (t >= 1 && w.objective === 1) rewarded += 1
        // mixed: Λ at the start of step t + 1 is the penalty of the parameters after step t.
        const penalty = ref.param_l2?.[t + 1]
        if (penalty !== undefined) dev.add("penalty", parameterPenalty(w), penalty)
        for (let i = 0; i < N; i++) {
          dev.add("r", w.rates[i]!, ref.r[i]![t]!)
          if (ref.r_unclamped !== undefined) dev.add("rUnclamped", w.unclamped[i]!, ref.r_unclamped[i]![t]!)
        }
        for (let o = 0; o < v.target_dim; o++) {
          dev.add("o", w.output[o]!, ref.o[o]![t]!)
          dev.add("target", w.target[o]!, ref.target[o]![t]!)
        }
        for (let k = 0; k < v.input_dim; k++) dev.add("inputs", w.input[k]!, refInputs[k]![t]!)
        dev.add("theta", w.theta, refTheta[t]!)
        dev.add("objective", w.objective, v.obj_record[ii]![t]!)
        const rule = ref.obj_rule?.[t]
        if (typeof rule === "number") dev.add("modulator", w.modulator, rule)
        // The parameters before a checkpoint's step are those after step t.
        const nextCp = checkpoints.get(t + 1)
        if (nextCp !== undefined) {
          if (nextCp.weights_before !== undefined) dev.matrix("weights", w.weights, nextCp.weights_before)
          if (nextCp.i_weights_before !== undefined) dev.matrix("inputWeights", w.inputWeights, nextCp.i_weights_before)
          if (nextCp.biases_before !== undefined) dev.matrix("biases", w.biases, nextCp.biases_before)
          if (nextCp.decoder_before !== undefined) dev.matrix("decoder", w.decoder, nextCp.decoder_before)
        }
        const cp = checkpoints.get(t)
        if (cp !== undefined) {
          if (cp.avg_rr !== undefined) dev.matrix("averages", w.averageRR, cp.avg_rr)
          if (cp.avg_r !== undefined) dev.matrix("averages", w.averageR, cp.avg_r)
          if (cp.avg_rs !== undefined) dev.matrix("averages", w.averageRS, cp.avg_rs)
        }
      }
      const options = { angles, noise, inputNoise, trial: ii, previousObjective, records, observer }
      const summary = testMode ? runTestTrial(ws, params, options) : runTrainTrial(ws, params, options)
      previousObjective = summary.lastObjective
      // bci: the harness's count of rewarded steps (§10.1), from our recorded objective.
      const count = v.harness_checks?.[`trial${ii}_bci_n_rewarded`]
      if (typeof count === "number") dev.add("counts", rewarded, count)
      dev.matrix("weights", ws.weights, ref.weights_after)
      dev.matrix("inputWeights", ws.inputWeights, ref.i_weights_after)
      dev.matrix("biases", ws.biases, ref.biases_after)
      dev.matrix("decoder", ws.decoder, ref.decoder_after)
      // The downsampled records against the returned ones (§4.4).
      const returned = v.returned_records as Record<string, ReadonlyArray<Matrix>> | undefined
      if (returned !== undefined) {
        const compare = (ours: ArrayLike<number>, theirs: Matrix | undefined) => {
          if (theirs === undefined) return
          for (let q = 0; q < theirs.length; q++) {
            for (let k = 0; k < n; k++) dev.add("records", ours[q * n + k]!, theirs[q]![k]!)
          }
        }
        compare(records.outputs, returned.o_record?.[ii])
        compare(records.targets, returned.target_record?.[ii])
        compare(records.inputs, returned.i_record?.[ii])
        compare(records.angles, returned.th_record?.[ii])
        if (testMode && records.rates !== undefined) compare(records.rates, returned.r_record?.[ii])
      }
    }
    const ok = Object.entries(dev.max).every(
      ([key, d]) => d <= (objectiveKeys.has(key) ? OBJECTIVE_TOLERANCE : TOLERANCE)
    )
    return { file, steps, trials, maxAbs: dev.max, ok }
  } catch (error) {
    return { file, steps, trials, maxAbs: dev.max, ok: false, error: String((error as Error)?.message ?? error) }
  }
}

/** The vector files of the given paths: files as given, folders' *.json files sorted by name. */
export function vectorFiles(paths: ReadonlyArray<string>): Array<string> {
  const files: Array<string> = []
  for (const path of paths) {
    if (existsSync(path) && statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name.endsWith(".json")) files.push(join(path, name))
    } else {
      files.push(path)
    }
  }
  return files
}

/** `<repo>/../shared/reference`. */
const referenceDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared", "reference")
/** `<repo>/../shared/reference/vectors`. */
export const defaultVectorsDir = join(referenceDir, "vectors")
/** `<repo>/../shared/reference/vectors-toolbox`: the reference's switches (its README §9). */
export const defaultToolboxDir = join(referenceDir, "vectors-toolbox")
/** `<repo>/../shared/reference/vectors-tasks`: the mixed and BCI objectives (its README §10). */
export const defaultTasksDir = join(referenceDir, "vectors-tasks")

function main(argv: ReadonlyArray<string>): number {
  const args = argv.filter((a) => a !== "--")
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(
      "usage: npm run conformance -- PATH...   (vector files or folders; default ../shared/reference/vectors, vectors-toolbox and vectors-tasks)\n"
    )
    return 0
  }
  const paths = args.length > 0 ? args : [defaultVectorsDir, defaultToolboxDir, defaultTasksDir]
  const files = vectorFiles(paths)
  if (files.length === 0) {
    process.stderr.write(`conformance: no vector files found in ${paths.join(", ")}\n`)
    return 1
  }
  let allOk = true
  for (const file of files) {
    const result = replayFile(file)
    allOk &&= result.ok
    process.stdout.write(`${JSON.stringify(result)}\n`)
  }
  return allOk ? 0 : 1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2))
}
