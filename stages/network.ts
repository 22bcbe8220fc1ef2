/**
 * The network a run starts from: `init` draws it from the seed (README §6.1), `load-network`
 * reads a network file (stages/networkFile.ts) instead, e.g. `pretrained/estimation.json`. Both
 * return {@link NetworkResult}, so `test` accepts either, or a trained network.
 */
import { readFileSync } from "node:fs"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stage from "../src/engine/Stage.js"
import { initNetwork } from "../src/model/network.js"
import { paths, stream } from "../src/model/random.js"
import { decodeNetworkFile, NetworkJson, toJson } from "./networkFile.js"
import { Initial } from "./params.js"
import { fromRoot } from "./root.js"

/** What every network-producing stage returns: the network and where it came from. */
export const NetworkResult = Schema.Struct({ network: NetworkJson, source: Schema.String })

export const init = Stage.make({
  name: "init",
  module: import.meta.url,
  description: "Draws the initial network from the seed (W, C, D uniform; b constant).",
  // Only the sizes and the initial bias: the dynamics do not change the initial draw.
  params: Initial,
  random: true,
  output: NetworkResult,
  run: (ctx) =>
    Effect.sync(() => {
      const rng = stream(ctx.seed, paths.initWeights)
      const network = initNetwork(ctx.params, () => rng.uniform())
      return { network: toJson(network), source: `init(seed ${ctx.seed})` }
    })
})

/** A network file that cannot be used; names the file and every problem found. */
export class NetworkFileError extends Schema.TaggedError<NetworkFileError>()("NetworkFileError", {
  path: Schema.String,
  problem: Schema.String
}) {
  override get message() {
    return `Network file ${this.path}: ${this.problem}`
  }
}

export const loadNetwork = Stage.make({
  name: "load-network",
  module: import.meta.url,
  description: "Loads a network file (pretrained/*.json or any file in the documented format).",
  params: Schema.Struct({
    path: Schema.String,
    /** sha256 of the file's bytes, so editing the file invalidates everything downstream. */
    digest: Schema.String,
    N: Schema.Number,
    inputDim: Schema.Number,
    targetDim: Schema.Number
  }),
  output: NetworkResult,
  run: (ctx) =>
    Effect.gen(function* () {
      const { path: given, N, inputDim, targetDim } = ctx.params
      const path = fromRoot(given)
      const text = yield* Effect.try({
        try: () => readFileSync(path, "utf8"),
        catch: (e) =>
          new NetworkFileError({ path, problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? e})` })
      })
      const json = yield* Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (e) => new NetworkFileError({ path, problem: `is not valid JSON (${String(e)})` })
      })
      const decoded = decodeNetworkFile(json)
      if (!decoded.ok) return yield* new NetworkFileError({ path, problem: decoded.issues })
      const f = decoded.file
      const mismatch = [
        f.N !== N ? `N is ${f.N}, the pipeline's N is ${N}` : "",
        f.inputDim !== inputDim ? `inputDim is ${f.inputDim}, expected ${inputDim}` : "",
        f.targetDim !== targetDim ? `targetDim is ${f.targetDim}, the task needs ${targetDim}` : ""
      ].filter((s) => s !== "")
      if (mismatch.length > 0) return yield* new NetworkFileError({ path, problem: mismatch.join("; ") })
      const { params: _p, provenance: _v, ...network } = f
      return { network, source: path }
    })
})
