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
 * (`weights.3: expected 40 entries (N), got 39`). {@link checkNetworkFile} checks a file before
 * it is used, within the limits of {@link NETWORK_FILE_LIMITS}: its size before it is read, then
 * its JSON, its fields (no others, and no key that would reach an object's prototype), its
 * shapes, its sizes against the run's, and every value finite and within the bound.
 */
import { createHash } from "node:crypto"
import { readFileSync, statSync } from "node:fs"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Network } from "../src/model/network.js"
import { BOUNDS, Finite } from "../src/model/params.js"

/**
 * What a network file may hold (README "Pretrained networks"):
 *
 * - `maxAbs`: every weight, bias and decoder entry within ±20 (`BOUNDS.networkValue` in
 *   src/model/params.ts): a bias b holds its neuron's rate near b (the leak is −r), and a rate above
 *   β·709.78 ≈ 23.7 overflows the softplus inverse (quirk 14: the unclamped rate becomes −∞ and the
 *   output infinite). Trained networks hold values below 1 (pretrained/*.json: at most 0.75). A
 *   network within the bound can still drive its rates there (many large weights together): the
 *   test stage then fails, naming the trial and the quantity.
 * - `maxString`: no string (a provenance note) longer than 64 Ki characters; an error message quotes
 *   at most {@link MAX_QUOTED} characters of a value, so a huge field is never echoed.
 * - `bytesPerValue`, `extraBytes`: the file's size limit, checked before it is read, is
 *   1 MiB + 64 bytes per number its sizes call for (N² + N·inputDim + N + targetDim·N). A double's
 *   longest JSON form is 24 characters; the rest is room for indentation, and the MiB for `params`
 *   and `provenance`. Parsing JSON takes several times the file's size in memory, so a file far
 *   larger than its network can be (a 200 MB file for a 40-neuron network) is refused unread
 *   rather than allowed to exhaust the memory; at the largest N the experiment allows (2000) the
 *   limit is 259 MB.
 */
export const NETWORK_FILE_LIMITS = {
  maxAbs: BOUNDS.networkValue.max,
  maxString: 65_536,
  bytesPerValue: 64,
  extraBytes: 2 ** 20
} as const

/** The most characters of a value an error message quotes. */
export const MAX_QUOTED = 200

/** A message clipped to {@link MAX_QUOTED} characters of each quoted value (and of itself, to 4 of them). */
const clip = (message: string): string =>
  message.length <= 4 * MAX_QUOTED
    ? message
    : `${message.slice(0, 4 * MAX_QUOTED)}… (${message.length} characters in all; the rest is not shown)`

/** The sizes a network file must have for a run. */
export interface NetworkSizes {
  readonly N: number
  readonly inputDim: number
  readonly targetDim: number
}

/** The size limit of a network file of these sizes, in bytes (see {@link NETWORK_FILE_LIMITS}). */
export const maxNetworkFileBytes = ({ N, inputDim, targetDim }: NetworkSizes): number =>
  NETWORK_FILE_LIMITS.extraBytes + NETWORK_FILE_LIMITS.bytesPerValue * (N * N + N * inputDim + N + targetDim * N)

const Size = Schema.Number.pipe(Schema.int(), Schema.positive())
const Matrix = Schema.Array(Schema.Array(Finite))

/** A value of a network file: finite and within ±maxAbs. */
const Bounded = Schema.Number.pipe(
  Schema.filter((x) => Number.isFinite(x) && Math.abs(x) <= NETWORK_FILE_LIMITS.maxAbs, {
    message: (issue) =>
      `expected a finite number within ±${NETWORK_FILE_LIMITS.maxAbs} (${BOUNDS.networkValue.reason}), actual ${String(issue.actual).slice(0, MAX_QUOTED)}`
  })
)
const BoundedMatrix = Schema.Array(Schema.Array(Bounded))

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
  weights: BoundedMatrix,
  inputWeights: BoundedMatrix,
  biases: Schema.Array(Bounded),
  decoder: BoundedMatrix,
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

/** Keys that would reach an object's prototype if the parsed file were merged into an object. */
const forbiddenKeys = new Set(["__proto__", "constructor", "prototype"])

/**
 * The issues of the prototype-reaching keys anywhere in a parsed JSON value (JSON.parse makes them
 * own fields), and of strings longer than `maxString` (named by their length, never quoted).
 */
const forbiddenPaths = (value: unknown, path: string, out: Array<string>): Array<string> => {
  if (typeof value === "string" && value.length > NETWORK_FILE_LIMITS.maxString) {
    out.push(
      `${path || "(file)"}: is a string of ${value.length} characters (at most ${NETWORK_FILE_LIMITS.maxString} in a network file)`
    )
  } else if (Array.isArray(value)) {
    // Matrices are arrays of arrays of numbers: only objects inside them are walked.
    for (let i = 0; i < value.length; i++) {
      const v = value[i]
      if (typeof v === "string" || (typeof v === "object" && v !== null)) {
        forbiddenPaths(v, `${path}${path === "" ? "" : "."}${i}`, out)
      }
    }
  } else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      const at = `${path}${path === "" ? "" : "."}${key}`
      if (forbiddenKeys.has(key)) out.push(`${at}: is not an allowed field (it would reach an object's prototype)`)
      else forbiddenPaths((value as Record<string, unknown>)[key], at, out)
    }
  }
  return out
}

/** At most this many issues are listed (a matrix of bad values would otherwise list thousands). */
const MAX_ISSUES = 8

const listIssues = (issues: ReadonlyArray<string>) =>
  issues.length <= MAX_ISSUES
    ? issues.join("; ")
    : `${issues.slice(0, MAX_ISSUES).join("; ")}; and ${issues.length - MAX_ISSUES} more`

/**
 * Decodes an unknown value as a network file; the error lists the issues as `path: message`:
 * a field the format does not have is an issue, and so is a key anywhere that would reach an
 * object's prototype (`__proto__`, `constructor`, `prototype`), which JSON.parse keeps as an own
 * field and a later merge or Schema Record decode would turn into the prototype.
 */
export function decodeNetworkFile(input: unknown): { ok: true; file: NetworkFile } | { ok: false; issues: string } {
  const forbidden = forbiddenPaths(input, "", [])
  if (forbidden.length > 0) {
    return {
      ok: false,
      issues: listIssues(forbidden)
    }
  }
  const result = Schema.decodeUnknownEither(NetworkFile, { errors: "all", onExcessProperty: "error" })(input)
  if (result._tag === "Right") return { ok: true, file: result.right }
  const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left).map(
    (issue) =>
      `${issue.path.length > 0 ? issue.path.join(".") : "(file)"}: ${issue.message.startsWith("is unexpected") ? `is not a field of a network file (${Object.keys(fields).join(", ")}, params, provenance)` : clip(issue.message)}`
  )
  return { ok: false, issues: listIssues(issues) }
}

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`

/**
 * What {@link checkNetworkFile} found: the file's sha256 and content, or the problem, naming the
 * field (a predicate of the file: "is 200 MB; …", "has invalid fields: biases.3: …").
 */
export type NetworkFileCheck =
  | { readonly ok: true; readonly digest: string; readonly file: NetworkFile }
  | { readonly ok: false; readonly problem: string }

/**
 * Checks the network file at `path` (absolute) for a run of `sizes`, in the order that costs
 * least: it exists and is a file; its size is within {@link maxNetworkFileBytes} (before a byte is
 * read); it is UTF-8 JSON; its fields, shapes and values decode ({@link decodeNetworkFile}); its
 * `N`, `inputDim` and `targetDim` are the run's. The problem names the file and the field.
 */
export function checkNetworkFile(path: string, sizes: NetworkSizes): NetworkFileCheck {
  const fail = (problem: string): NetworkFileCheck => ({ ok: false, problem })
  let size: number
  try {
    const stat = statSync(path)
    if (!stat.isFile()) return fail("is not a file")
    size = stat.size
  } catch (e) {
    return fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  const limit = maxNetworkFileBytes(sizes)
  if (size > limit) {
    return fail(
      `is ${MB(size)}; a network of N = ${sizes.N}, inputDim = ${sizes.inputDim}, targetDim = ${sizes.targetDim} takes at most ${MB(limit)} in this format (1 MiB + ${NETWORK_FILE_LIMITS.bytesPerValue} bytes per number), so it was not read`
    )
  }
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (e) {
    return fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  if (bytes.length > limit) return fail(`grew past its size limit (${MB(limit)}) while it was read`)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes))
  } catch (e) {
    return fail(`is not valid UTF-8 JSON (${(e as Error).message ?? String(e)})`)
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return fail(`is not a JSON object with the fields ${Object.keys(fields).join(", ")}`)
  }
  const decoded = decodeNetworkFile(json)
  if (!decoded.ok) return fail(`has invalid fields: ${decoded.issues}`)
  const f = decoded.file
  const mismatch = [
    f.N !== sizes.N ? `N is ${f.N}, the run's N is ${sizes.N}` : "",
    f.inputDim !== sizes.inputDim ? `inputDim is ${f.inputDim}, the task's is ${sizes.inputDim}` : "",
    f.targetDim !== sizes.targetDim ? `targetDim is ${f.targetDim}, the task's is ${sizes.targetDim}` : ""
  ].filter((s) => s !== "")
  if (mismatch.length > 0) return fail(`does not fit the run: ${mismatch.join("; ")}`)
  return { ok: true, digest: createHash("sha256").update(bytes).digest("hex"), file: f }
}

const checked = new Map<string, { readonly ok: true; readonly digest: string } | { ok: false; problem: string }>()

/**
 * {@link checkNetworkFile} for planning: the same file (path, size, modification time, inode)
 * for the same sizes is checked once per process, and only its digest is kept, not its content
 * (the params Schema and the pipeline's build ask for it while planning, the stage reads it again).
 */
export function checkNetworkFileOnce(
  path: string,
  sizes: NetworkSizes
): { readonly ok: true; readonly digest: string } | { readonly ok: false; readonly problem: string } {
  let id: string
  try {
    const s = statSync(path)
    id = [path, s.size, s.mtimeMs, s.ino, sizes.N, sizes.inputDim, sizes.targetDim].join("|")
  } catch {
    return checkNetworkFile(path, sizes)
  }
  const known = checked.get(id)
  if (known !== undefined) return known
  const result = checkNetworkFile(path, sizes)
  const kept = result.ok ? ({ ok: true, digest: result.digest } as const) : result
  checked.set(id, kept)
  return kept
}
