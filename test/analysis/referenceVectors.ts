/**
 * The reference's own test recordings (`../shared/reference/vectors/test-estimation.json`: the
 * pretrained network; `test-classifier.json`: the classifier after its training vectors; each 2
 * trials × 500 steps, 5 presentations of 1 s) as Recordings at full resolution (every step
 * recorded), with the network and the inputs the reference fed it, for comparing our analyses
 * with the reference's formulas on data the reference produced.
 *
 * Missing folder: undefined outside CI (the tests are skipped, with a message); under `CI=true` an
 * error (see `needsReference`), so the comparison cannot pass silently without its data.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { NetworkWeights } from "../../src/analysis/networkWeights.js"
import type { Recording } from "../../src/analysis/recording.js"
import { needsReference, referenceDir } from "../helpers/reference.js"

export interface ReferenceCase {
  readonly recording: Recording
  readonly network: NetworkWeights
  /** inputs[trial][k][t]: the input the reference recorded at every step. */
  readonly inputs: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>
}

interface VectorFile {
  readonly objective: "linear" | "classifier"
  readonly N: number
  readonly input_dim: number
  readonly target_dim: number
  readonly steps: number
  readonly initial: {
    weights: number[][]
    i_weights: number[][]
    biases: number[]
    decoder: number[][]
  }
  readonly trials: ReadonlyArray<{ r: number[][]; o: number[][]; target: number[][] }>
  readonly test_theta: number[][]
  readonly test_inputs: number[][][]
}

/** A test vector file: `test-estimation.json` (default) or `test-classifier.json`. */
export const loadReferenceCase = (file = "test-estimation.json"): ReferenceCase | undefined => {
  const path = join(referenceDir, "vectors", file)
  if (!needsReference([path])) return undefined
  const v = JSON.parse(readFileSync(path, "utf8")) as VectorFile
  const { N, steps: S, target_dim: K, input_dim: I } = v
  const trials = v.trials.length
  const rates = new Float32Array(trials * N * S)
  const outputs = new Float32Array(trials * K * S)
  const targets = new Float32Array(trials * K * S)
  const angles = new Float32Array(trials * S)
  v.trials.forEach((trial, t) => {
    for (let i = 0; i < N; i++) for (let s = 0; s < S; s++) rates[(t * N + i) * S + s] = trial.r[i]![s]!
    for (let d = 0; d < K; d++) {
      for (let s = 0; s < S; s++) {
        outputs[(t * K + d) * S + s] = trial.o[d]![s]!
        targets[(t * K + d) * S + s] = trial.target[d]![s]!
      }
    }
    for (let s = 0; s < S; s++) angles[t * S + s] = v.test_theta[t]![s]!
  })
  return {
    recording: {
      task: v.objective === "classifier" ? "classification" : "estimation",
      N,
      targetDim: K,
      trials,
      samples: S,
      rates,
      outputs,
      targets,
      angles,
      decoder: Float64Array.from(v.initial.decoder.flat())
    },
    network: {
      N,
      inputDim: I,
      weights: Float64Array.from(v.initial.weights.flat()),
      inputWeights: Float64Array.from(v.initial.i_weights.flat()),
      biases: Float64Array.from(v.initial.biases)
    },
    inputs: v.test_inputs
  }
}
