/**
 * The paper's pickled, pretrained estimation network (`../shared/reference/pretrained-estimation.json`,
 * reference README §1.1) against our replay (./training.ts) of the protocol the reference's main
 * script documents (§5): seed 120994, the initialisation, the first test call (`test_num` trials),
 * then `trial_num_2` training trials — or the same without the test call.
 *
 * The full-run files (./fullRun.ts) show that our model reproduces a whole training of the
 * reference; that the replay does not reach the pickled network therefore says that the pickled
 * network came from another protocol than the documented one. Pure functions, no I/O.
 */
import { type NestedNetwork, type Network, networkFromNested } from "../model/network.js"
import type { ModelParams } from "../model/params.js"
import {
  type NetworkDeviation,
  networkDeviation,
  paramsFromReference,
  REFERENCE_SEED,
  type Replay,
  type ReplayProtocol
} from "./training.js"

export interface PretrainedReference extends NestedNetwork {
  readonly source: string
  readonly params: Readonly<Record<string, unknown>>
  readonly input_params: Readonly<Record<string, unknown>>
  /** The network's stored pre-training values (the seed-120994 initialisation). */
  readonly initial: NestedNetwork
}

/** Checks a parsed pretrained file's structure; `where` names it in messages. */
export function parsePretrained(json: unknown, where: string): PretrainedReference {
  const isRecord = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x)
  if (!isRecord(json)) throw new Error(`${where}: expected a JSON object`)
  for (const key of ["params", "input_params", "initial"]) {
    if (!isRecord(json[key])) throw new Error(`${where}: ${key} must be an object`)
  }
  for (const key of ["weights", "i_weights", "biases", "decoder"]) {
    if (!Array.isArray(json[key])) throw new Error(`${where}: ${key} must be an array`)
  }
  return json as unknown as PretrainedReference
}

/** The estimation parameters the pretrained network was configured with. */
export function pretrainedParams(reference: PretrainedReference, where: string): ModelParams {
  return paramsFromReference("estimation", reference.params, reference.input_params, where)
}

/** The main script's protocol (§5): seed 120994, a test call of `test_num` trials unless skipped, the training. */
export function mainScriptProtocol(params: ModelParams, options: { skipTestCall: boolean }): ReplayProtocol {
  return {
    seed: REFERENCE_SEED,
    testCallTrials: options.skipTestCall ? 0 : params.testTrials,
    trainTrials: params.trainTrials
  }
}

/** Frobenius distances per parameter. */
export interface NetworkDistance {
  readonly weights: number
  readonly inputWeights: number
  readonly biases: number
  readonly decoder: number
}

function distance(a: Network, b: Network): NetworkDistance {
  const d = (x: Float64Array, y: Float64Array) => {
    let sum = 0
    for (let k = 0; k < x.length; k++) sum += (x[k]! - y[k]!) ** 2
    return Math.sqrt(sum)
  }
  return {
    weights: d(a.weights, b.weights),
    inputWeights: d(a.inputWeights, b.inputWeights),
    biases: d(a.biases, b.biases),
    decoder: d(a.decoder, b.decoder)
  }
}

export interface PretrainedComparison {
  /** Our initial network against the file's `initial` (0 when the numpy port is exact). */
  readonly initial: NetworkDeviation
  /** After a full replay: the largest deviation per parameter from the pickled network. */
  readonly trained?: NetworkDeviation
  /** After a full replay: ‖ours − paper‖ (Frobenius) per parameter … */
  readonly distanceFromPaper?: NetworkDistance
  /** … against how far training moved the paper's network, ‖paper − initial‖. */
  readonly paperDisplacement: NetworkDistance
}

/** Compares a replay with the pretrained file (its trained network only after all trials). */
export function comparePretrained(
  reference: PretrainedReference,
  replay: Replay,
  trainTrials: number
): PretrainedComparison {
  const paper = networkFromNested(reference)
  const paperInitial = networkFromNested(reference.initial)
  const complete = replay.trials.length === trainTrials
  return {
    initial: networkDeviation(replay.initial, paperInitial),
    ...(complete
      ? { trained: networkDeviation(replay.final, paper), distanceFromPaper: distance(replay.final, paper) }
      : {}),
    paperDisplacement: distance(paper, paperInitial)
  }
}
