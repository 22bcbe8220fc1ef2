/**
 * The network's parameters: recurrent weights W, input weights C, biases b and decoder D
 * (docs/INTERFACES.md), as flat row-major Float64Arrays:
 * `weights[i*N + j]` = weight from neuron j onto neuron i, `inputWeights[i*inputDim + k]` = weight
 * from input channel k onto neuron i, `decoder[o*N + i]` = weight from neuron i onto output o.
 */
import type { ModelParams } from "./params.js"
import type { Uniform } from "./random.js"

export interface Network {
  readonly N: number
  readonly inputDim: number
  readonly targetDim: number
  /** W, N×N. */
  readonly weights: Float64Array
  /** C, N×inputDim. */
  readonly inputWeights: Float64Array
  /** b, N. */
  readonly biases: Float64Array
  /** D, targetDim×N. */
  readonly decoder: Float64Array
}

/**
 * Draws the initial network as the reference does (§6.1): W uniform(±0.3/√N) (N×N), then
 * C uniform(±0.5/√inputDim) (N×inputDim), then D uniform(±1/N) (targetDim×N), each value
 * low + (high − low)·u in row-major order; b = initialBias (0 estimation, 0.7 classification).
 * The reference draws D from a separately seeded generator; pass `decoderUniform` to do the same
 * (by default D continues the stream that drew W and C).
 */
export function initNetwork(
  params: Pick<ModelParams, "N" | "inputDim" | "targetDim" | "initialBias">,
  uniform: Uniform,
  decoderUniform: Uniform = uniform
): Network {
  const { N, inputDim, targetDim } = params
  const draw = (out: Float64Array, bound: number, u: Uniform) => {
    const low = -bound
    for (let k = 0; k < out.length; k++) out[k] = low + (bound - low) * u()
    return out
  }
  const weights = draw(new Float64Array(N * N), 0.3 / Math.sqrt(N), uniform)
  const inputWeights = draw(new Float64Array(N * inputDim), 0.5 / Math.sqrt(inputDim), uniform)
  const decoder = draw(new Float64Array(targetDim * N), 1 / N, decoderUniform)
  const biases = new Float64Array(N).fill(params.initialBias)
  return { N, inputDim, targetDim, weights, inputWeights, biases, decoder }
}

/** A deep copy (fresh typed arrays). */
export function cloneNetwork(network: Network): Network {
  return {
    N: network.N,
    inputDim: network.inputDim,
    targetDim: network.targetDim,
    weights: Float64Array.from(network.weights),
    inputWeights: Float64Array.from(network.inputWeights),
    biases: Float64Array.from(network.biases),
    decoder: Float64Array.from(network.decoder)
  }
}

/** Flattens a nested row-major matrix (`M[i][j]`) into a Float64Array, checking its shape. */
export function flatten(rows: ReadonlyArray<ReadonlyArray<number>>, nRows: number, nCols: number, what: string) {
  if (rows.length !== nRows) throw new Error(`${what}: expected ${nRows} rows, got ${rows.length}`)
  const out = new Float64Array(nRows * nCols)
  for (let i = 0; i < nRows; i++) {
    const row = rows[i]!
    if (row.length !== nCols) throw new Error(`${what}: row ${i} has ${row.length} columns, expected ${nCols}`)
    for (let j = 0; j < nCols; j++) out[i * nCols + j] = row[j]!
  }
  return out
}

/** Nested arrays as in the reference files (`weights`, `i_weights`, `biases`, `decoder`). */
export interface NestedNetwork {
  readonly weights: ReadonlyArray<ReadonlyArray<number>>
  readonly i_weights: ReadonlyArray<ReadonlyArray<number>>
  readonly biases: ReadonlyArray<number>
  readonly decoder: ReadonlyArray<ReadonlyArray<number>>
}

/** Converts the reference files' nested arrays (e.g. `pretrained-estimation.json`) into a Network. */
export function networkFromNested(nested: NestedNetwork): Network {
  const N = nested.weights.length
  const inputDim = nested.i_weights[0]?.length ?? 0
  const targetDim = nested.decoder.length
  if (nested.biases.length !== N) throw new Error(`biases: expected ${N} entries, got ${nested.biases.length}`)
  return {
    N,
    inputDim,
    targetDim,
    weights: flatten(nested.weights, N, N, "weights"),
    inputWeights: flatten(nested.i_weights, N, inputDim, "i_weights"),
    biases: Float64Array.from(nested.biases),
    decoder: flatten(nested.decoder, targetDim, N, "decoder")
  }
}

/** Checks that a network's shapes match the parameters; throws a message naming the mismatch. */
export function checkNetwork(network: Network, params: Pick<ModelParams, "N" | "inputDim" | "targetDim">): void {
  const { N, inputDim, targetDim } = params
  const problems: Array<string> = []
  if (network.N !== N) problems.push(`N is ${network.N}, params say ${N}`)
  if (network.inputDim !== inputDim) problems.push(`inputDim is ${network.inputDim}, params say ${inputDim}`)
  if (network.targetDim !== targetDim) problems.push(`targetDim is ${network.targetDim}, params say ${targetDim}`)
  if (network.weights.length !== N * N)
    problems.push(`weights has ${network.weights.length} entries, expected ${N * N}`)
  if (network.inputWeights.length !== N * inputDim) {
    problems.push(`inputWeights has ${network.inputWeights.length} entries, expected ${N * inputDim}`)
  }
  if (network.biases.length !== N) problems.push(`biases has ${network.biases.length} entries, expected ${N}`)
  if (network.decoder.length !== targetDim * N) {
    problems.push(`decoder has ${network.decoder.length} entries, expected ${targetDim * N}`)
  }
  if (problems.length > 0) throw new Error(`network does not match the parameters: ${problems.join("; ")}`)
}
