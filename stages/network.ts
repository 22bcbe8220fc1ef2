/**
 * The network a run starts from: `init` draws it from the seed (README §6.1), `load-network`
 * reads a network file (stages/networkFile.ts) instead, e.g. `pretrained/estimation.json`. Both
 * return {@link NetworkResult}, so `test` accepts either, or a trained network.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stage from "../src/engine/Stage.js"
import { initNetwork } from "../src/model/network.js"
import { paths, stream } from "../src/model/random.js"
import { checkNetworkFile, NetworkJson, toJson } from "./networkFile.js"
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

/** A network file that cannot be used; names the file and the problem (`problem` is a predicate of the file). */
export class NetworkFileError extends Schema.TaggedError<NetworkFileError>()("NetworkFileError", {
  path: Schema.String,
  problem: Schema.String
}) {
  override get message() {
    return `Network file ${this.path} ${this.problem}`
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
      const { path: given, digest, N, inputDim, targetDim } = ctx.params
      const path = fromRoot(given)
      // Checked when the run was planned (the experiment's params); checked again here, on the
      // bytes this stage reads, which must be those the key was computed from.
      const checked = checkNetworkFile(path, { N, inputDim, targetDim })
      if (!checked.ok) return yield* new NetworkFileError({ path, problem: checked.problem })
      if (checked.digest !== digest) {
        return yield* new NetworkFileError({
          path,
          problem: "changed since the run was planned (its key was computed from other bytes): run it again"
        })
      }
      const { params: _p, provenance: _v, ...network } = checked.file
      // The path as given (it is in the key), not as resolved on this machine.
      return { network, source: given }
    })
})
