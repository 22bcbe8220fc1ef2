/**
 * Replays the paper's own training run through this project's model: numpy's random streams for
 * seed 120994 (scripts/numpy-random.ts), drawn in the order of the reference's main script
 * (reference README §5–6), fed to our trial code with our WebAssembly kernels. Comparing the result
 * with the paper's pretrained network (`pretrained-estimation.json`) tests the whole training —
 * 260 trials × 100 000 steps — against the reference, beyond the 2 × 500 steps of the vector files.
 *
 *   npx tsx scripts/replay-reference.ts [--trials K] [--out FILE] [--reference PATH]
 *
 * Order of draws (§6): seed 120994, decoder uniform(±1/N, (2, N)); seed 120994 again, W, C; the
 * first test call: choice(angles, (100, 5)) and per trial normal(0, 0.1, (N, S)) (drawn and
 * discarded: testing learns nothing); then per training trial normal(0, 0.1, (N, S)) → ξ,
 * vonmises(0, 0.75) → θ_0, normal(0, 0.1, (1, S)) → η.
 *
 * `--skip-test-call` leaves out the first test call's draws (a protocol variant); `--kernels js`
 * runs the plain-TypeScript kernels (to measure how round-off propagates over a whole training).
 *
 * Prints one JSON line per trial and a final summary with the largest deviation from the paper's
 * network per parameter; `--out` writes the replayed network in the network file format (load it
 * with `pipeline run estimation --set pretrainedPath=FILE`). Nothing of this ships in a run: the
 * project's own runs draw from alea.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import { langevinAngles, preferredAngles } from "../src/model/inputs.js"
import { type NestedNetwork, type Network, networkFromNested } from "../src/model/network.js"
import { defaultModelParams, parseModelParams, steps } from "../src/model/params.js"
import { threeFactor } from "../src/model/rules/threeFactor.js"
import { runTrainTrial } from "../src/model/trial.js"
import { type NoiseSource, Workspace } from "../src/model/workspace.js"
import { toJson } from "../stages/networkFile.js"
import { NumpyRandomState } from "./numpy-random.js"

/** The reference main script's seed. */
export const REFERENCE_SEED = 120994

export interface ReferenceFile extends NestedNetwork {
  readonly params: Record<string, number>
  readonly input_params: Record<string, number>
  readonly initial: NestedNetwork
  readonly source: string
}

/** The largest |a − b| over two equally long arrays. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`)
  let max = 0
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k]! - b[k]!))
  return max
}

/** The reference's initial network for `seed` (§6.1): D from one seeding, W and C from a second. */
export function referenceInitialNetwork(
  rng: NumpyRandomState,
  seed: number,
  N: number,
  inputDim: number,
  targetDim: number
) {
  rng.seed(seed)
  const decoder = rng.uniform(-1 / N, 1 / N, new Float64Array(targetDim * N))
  rng.seed(seed)
  const bound = 0.3 / Math.sqrt(N)
  const weights = rng.uniform(-bound, bound, new Float64Array(N * N))
  const inputBound = 0.5 / Math.sqrt(inputDim)
  const inputWeights = rng.uniform(-inputBound, inputBound, new Float64Array(N * inputDim))
  const network: Network = { N, inputDim, targetDim, weights, inputWeights, biases: new Float64Array(N), decoder }
  return network
}

/**
 * ξ of one trial: `normal(0, 0.1, (N, S))` in draw order (row i = neuron i), stored step-major
 * (`byStep[t*N + i]`) so that a step reads N contiguous values.
 */
export function drawTrialNoise(rng: NumpyRandomState, N: number, S: number, scale: number, byStep: Float64Array) {
  for (let i = 0; i < N; i++) for (let t = 0; t < S; t++) byStep[t * N + i] = 0 + scale * rng.gaussian()
  return byStep
}

function stepMajorNoise(byStep: Float64Array, N: number): NoiseSource {
  return { fill: (out, t) => void out.set(byStep.subarray(t * N, t * N + N)) }
}

function differences(ours: Network, theirs: Network) {
  return {
    weights: maxAbsDifference(ours.weights, theirs.weights),
    inputWeights: maxAbsDifference(ours.inputWeights, theirs.inputWeights),
    biases: maxAbsDifference(ours.biases, theirs.biases),
    decoder: maxAbsDifference(ours.decoder, theirs.decoder)
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      trials: { type: "string" },
      out: { type: "string" },
      kernels: { type: "string", default: "simd" },
      "skip-test-call": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      reference: {
        type: "string",
        default: resolve(import.meta.dirname, "../../shared/reference/pretrained-estimation.json")
      }
    }
  })
  if (values.help) {
    process.stdout.write(
      "usage: npx tsx scripts/replay-reference.ts [--trials K] [--out FILE] [--kernels simd|js] [--skip-test-call] [--reference PATH]\n"
    )
    return
  }
  const reference = JSON.parse(readFileSync(values.reference!, "utf8")) as ReferenceFile
  const rp = reference.params
  const ip = reference.input_params
  const params = parseModelParams({
    ...defaultModelParams("estimation"),
    trainTrials: rp["trial_num_2"],
    testTrials: rp["test_num"]
  })
  // The replay is only meaningful at the reference's settings: check ours against its file.
  const expected: Record<string, [number, number | undefined]> = {
    N: [params.N, rp["N"]],
    dt: [params.dt, rp["dt"]],
    trialSeconds: [params.trialSeconds, rp["T"]],
    transientSeconds: [params.transientSeconds, rp["transient"]],
    sigma: [params.sigma, rp["sigma"]],
    rho: [params.rho, rp["theta"]],
    learningRate: [params.learningRate, rp["learning_rate"]],
    learningRateBias: [params.learningRateBias, rp["learning_rate_bias"]],
    learningRateInput: [params.learningRateInput, rp["learning_rate_input"]],
    learningRateDecoder: [params.learningRateDecoder, rp["learning_rate_decoder"]],
    weightL2: [params.weightL2, rp["weight_l2"]],
    biasL2: [params.biasL2, rp["bias_weight_l2"]],
    inputWeightL2: [params.inputWeightL2, rp["i_weight_l2"]],
    kappaIn: [params.kappaIn, ip["kappa_in"]],
    muIn: [params.muIn, ip["mu_in"]],
    sigmaSampler: [params.sigmaSampler, ip["sigma_sampler"]],
    switchSeconds: [params.switchSeconds, ip["switch_period"]]
  }
  for (const [key, [ours, theirs]] of Object.entries(expected)) {
    if (ours !== theirs) throw new Error(`${key} is ${ours} here, ${theirs} in ${values.reference}`)
  }
  const trials = values.trials === undefined ? params.trainTrials : Number(values.trials)
  if (!Number.isInteger(trials) || trials < 0 || trials > params.trainTrials) {
    throw new Error(`--trials must be an integer in 0…${params.trainTrials}, got ${values.trials}`)
  }
  const { N, inputDim, targetDim } = params
  const S = steps(params)
  const scale = Math.sqrt(params.dt)
  const started = Date.now()
  const log = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`)

  const rng = new NumpyRandomState(REFERENCE_SEED)
  const initial = referenceInitialNetwork(rng, REFERENCE_SEED, N, inputDim, targetDim)
  log({ initialDeviation: differences(initial, networkFromNested(reference.initial)) })

  // The first test call: its schedule and noise are drawn, and change nothing but the stream.
  const stimuli = Math.trunc(params.trialSeconds / params.switchSeconds)
  const noise = new Float64Array(N * S)
  if (!values["skip-test-call"]) {
    rng.choiceIndices(preferredAngles().length, params.testTrials * stimuli)
    for (let ii = 0; ii < params.testTrials; ii++) drawTrialNoise(rng, N, S, scale, noise)
  }
  log({ skippedTestCall: { trials: params.testTrials, seconds: (Date.now() - started) / 1000 } })

  const kernels = values.kernels
  if (kernels !== "simd" && kernels !== "js") throw new Error(`--kernels must be simd or js, got ${kernels}`)
  const ws = new Workspace(params, initial, threeFactor, undefined, kernels)
  const eta = new Float64Array(S)
  const angles = new Float64Array(S)
  let previousObjective = 0
  const final = networkFromNested(reference)
  for (let ii = 0; ii < trials; ii++) {
    drawTrialNoise(rng, N, S, scale, noise)
    const theta0 = rng.vonMises(params.muIn, params.kappaIn)
    rng.normal(0, scale, eta)
    langevinAngles(params, theta0, eta, angles)
    const summary = runTrainTrial(ws, params, { angles, noise: stepMajorNoise(noise, N), previousObjective })
    previousObjective = summary.lastObjective
    log({ trial: ii, objective: summary.objectiveMean, seconds: (Date.now() - started) / 1000 })
  }
  const replayed = ws.network()
  const summary = {
    trials,
    seconds: (Date.now() - started) / 1000,
    deviationFromPaperNetwork: trials === params.trainTrials ? differences(replayed, final) : undefined,
    paperNetworkScale: {
      weights: maxAbsDifference(final.weights, new Float64Array(N * N)),
      decoder: maxAbsDifference(final.decoder, new Float64Array(targetDim * N))
    }
  }
  log(summary)
  if (values.out !== undefined) {
    const file = {
      ...toJson(replayed),
      params: { ...params, trainTrials: trials },
      provenance: {
        source: "scripts/replay-reference.ts: our model trained on numpy's streams for seed 120994 (comparison only)",
        reference: values.reference,
        date: new Date().toISOString(),
        ...summary
      }
    }
    const tmp = `${values.out}.tmp-${process.pid}`
    writeFileSync(tmp, JSON.stringify(file))
    renameSync(tmp, values.out)
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  try {
    main()
  } catch (error) {
    process.stderr.write(`replay-reference: ${(error as Error).message}\n`)
    process.exitCode = 1
  }
}
