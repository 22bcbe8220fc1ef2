/**
 * The network file format (pretrained/*.json, `--set pretrainedPath=FILE`, and the JSON result of
 * the `init`, `train` and `load-network` stages): nested row-major arrays, so numpy reads it with
 * `np.array(json.load(f)["weights"])`.
 *
 * | field | shape | meaning |
 * |---|---|---|
 * | `N`, `inputDim`, `targetDim` | int | sizes |
 * | `weights` | N×N | W; row i = the weights onto neuron i (`weights[i][j]`: j → i) |
 * | `inputWeights` | N×inputDim | C; `inputWeights[i][k]`: input channel k → neuron i |
 * | `biases` | N | b |
 * | `decoder` | targetDim×N | D; output o = D r |
 * | `params` | object | the model parameters the network was trained with (optional) |
 * | `provenance` | object | how the file was made: pipeline, seed, stage key, date, test error (optional) |
 *
 * A file of the wrong shape fails decoding with the path of the offending field
 * (`weights.3: expected 40 entries (N), got 39`).
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Network } from "../src/model/network.js"

const Finite = Schema.Number.pipe(Schema.finite())
const Size = Schema.Number.pipe(Schema.int(), Schema.positive())
const Matrix = Schema.Array(Schema.Array(Finite))

const fields = {
  N: Size,
  inputDim: Size,
  targetDim: Size,
  weights: Matrix,
  inputWeights: Matrix,
  biases: Schema.Array(Finite),
  decoder: Matrix
}

type Shaped = Schema.Struct.Type<typeof fields>

/** The first shape mismatch of a decoded file, as a Schema filter issue naming the field. */
const shapeIssue = (n: Shaped): Schema.FilterOutput => {
  const matrix = (
    name: keyof Shaped,
    m: ReadonlyArray<ReadonlyArray<number>>,
    r: number,
    c: number,
    dims: [string, string]
  ) => {
    if (m.length !== r) return { path: [name], message: `expected ${r} rows (${dims[0]}), got ${m.length}` }
    for (let i = 0; i < r; i++) {
      const len = m[i]!.length
      if (len !== c) return { path: [name, i], message: `expected ${c} entries (${dims[1]}), got ${len}` }
    }
    return undefined
  }
  return (
    matrix("weights", n.weights, n.N, n.N, ["N", "N"]) ??
    matrix("inputWeights", n.inputWeights, n.N, n.inputDim, ["N", "inputDim"]) ??
    (n.biases.length !== n.N
      ? { path: ["biases"], message: `expected ${n.N} entries (N), got ${n.biases.length}` }
      : undefined) ??
    matrix("decoder", n.decoder, n.targetDim, n.N, ["targetDim", "N"]) ??
    true
  )
}

/** A network as JSON (stage results). */
export const NetworkJson = Schema.Struct(fields).pipe(Schema.filter(shapeIssue))
export type NetworkJson = typeof NetworkJson.Type

/** A network file: the network plus the parameters it was trained with and its provenance. */
export const NetworkFile = Schema.Struct({
  ...fields,
  params: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  provenance: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
}).pipe(Schema.filter(shapeIssue))
export type NetworkFile = typeof NetworkFile.Type

const rows = (flat: Float64Array, nRows: number, nCols: number): Array<Array<number>> =>
  Array.from({ length: nRows }, (_, i) => Array.from(flat.subarray(i * nCols, (i + 1) * nCols)))

const flat = (m: ReadonlyArray<ReadonlyArray<number>>): Float64Array => Float64Array.from(m.flat())

/** The JSON form of a network (exact: doubles survive JSON as shortest round-trip decimals). */
export function toJson(network: Network): NetworkJson {
  const { N, inputDim, targetDim } = network
  return {
    N,
    inputDim,
    targetDim,
    weights: rows(network.weights, N, N),
    inputWeights: rows(network.inputWeights, N, inputDim),
    biases: Array.from(network.biases),
    decoder: rows(network.decoder, targetDim, N)
  }
}

/** The model's flat typed-array network from its JSON form. */
export function fromJson(json: NetworkJson): Network {
  return {
    N: json.N,
    inputDim: json.inputDim,
    targetDim: json.targetDim,
    weights: flat(json.weights),
    inputWeights: flat(json.inputWeights),
    biases: Float64Array.from(json.biases),
    decoder: flat(json.decoder)
  }
}

/** Decodes an unknown value as a network file; the error lists every issue as `path: message`. */
export function decodeNetworkFile(input: unknown): { ok: true; file: NetworkFile } | { ok: false; issues: string } {
  const result = Schema.decodeUnknownEither(NetworkFile, { errors: "all" })(input)
  if (result._tag === "Right") return { ok: true, file: result.right }
  const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(file)"}: ${issue.message}`)
    .join("; ")
  return { ok: false, issues }
}
