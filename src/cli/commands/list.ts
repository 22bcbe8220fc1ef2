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
import { Cli } from "../MainLayer.js"
import { globalOptions, jsonOption, namedSweeps } from "../target.js"
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
    if (json) return yield* print(JSON.stringify({ pipelines: rows, sweeps }))
    if (rows.length === 0) return yield* print("No pipelines are registered (pipelines/index.ts).")
    yield* print(
      [
        ...rows.map(
          (r) =>
            `${r.name}\n  ${r.description}\n  stages: ${r.stages.join(", ")}${r.sweepable ? "\n  sweepable (--sweep)" : ""}`
        ),
        ...sweeps.map(
          (s) =>
            `${s.name} (sweep of ${s.pipeline}, ${s.members} members: ${s.file})\n  ${s.description}\n  --sweep ${s.axes.join(" --sweep ")}`
        )
      ].join("\n\n")
    )
  })
).pipe(Command.withDescription("List the pipelines and their stages."))
