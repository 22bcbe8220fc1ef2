/**
 * `pipeline list`: the pipelines and their stages.
 *
 * @module list
 */
import * as Command from "@effect/cli/Command"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Pipeline from "../../engine/Pipeline.js"
import * as Plan from "../../engine/Plan.js"
import * as Sweep from "../../engine/Sweep.js"
import * as Catalog from "../Catalog.js"
import { Cli } from "../MainLayer.js"
import { commonOptions, jsonOption, namedSweeps } from "../target.js"
import { print } from "./print.js"

/**
 * The listing is stored in the catalog (`Catalog.ts`), from which the front door answers the next
 * `list` without loading the registry.
 */
export const list = Command.make("list", { ...commonOptions, json: jsonOption }, ({ json }) =>
  Effect.gen(function* () {
    const cli = yield* Cli
    const { pipelines } = yield* cli.registry
    const rows = []
    for (const p of pipelines) {
      const params = yield* Plan.decodeParams(p, {})
      const graph = Pipeline.nodes(p, params)
      rows.push({
        name: p.name,
        description: p.description,
        stages: graph.nodes.map((n) => n.name),
        sweepable: p.metrics !== undefined
      })
    }
    const fs = yield* FileSystem.FileSystem
    const sweeps = []
    for (const [name, file] of yield* namedSweeps) {
      const parsed = yield* fs.readFileString(file).pipe(
        Effect.flatMap((text) => Sweep.parseFile(text, file)),
        Effect.option
      )
      if (Option.isNone(parsed)) continue
      const { pipeline, grid, description } = parsed.value
      sweeps.push({
        name,
        file,
        pipeline: pipeline ?? "",
        description: description ?? "",
        axes: grid.axes.map((a) => `${a.key}=${a.values.join(",")}`),
        members: Sweep.size(grid)
      })
    }
    const listing: Catalog.Listing = { pipelines: rows, sweeps }
    if (cli.registryUrl !== undefined) Catalog.save(cli.root, cli.registryUrl, listing)
    yield* print(Catalog.render(listing, json))
  })
).pipe(Command.withDescription("List the pipelines and their stages."))
