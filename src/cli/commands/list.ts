/**
 * `pipeline list`: the pipelines and their stages.
 *
 * @module list
 */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Pipeline from "../../engine/Pipeline.js"
import * as Plan from "../../engine/Plan.js"
import { Cli } from "../MainLayer.js"
import { globalOptions, jsonOption } from "../target.js"
import { print } from "./print.js"

export const list = Command.make("list", { ...globalOptions, json: jsonOption }, ({ json }) =>
  Effect.gen(function* () {
    const { pipelines } = yield* (yield* Cli).registry
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
    if (json) return yield* print(JSON.stringify({ pipelines: rows }))
    if (rows.length === 0) return yield* print("No pipelines are registered (pipelines/index.ts).")
    yield* print(
      rows
        .map(
          (r) =>
            `${r.name}\n  ${r.description}\n  stages: ${r.stages.join(", ")}${r.sweepable ? "\n  sweepable (--sweep)" : ""}`
        )
        .join("\n\n")
    )
  })
).pipe(Command.withDescription("List the pipelines and their stages."))
