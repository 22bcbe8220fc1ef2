/**
 * `pipeline params NAME…`: a pipeline's params (name, type, default, bounds, meaning), generated
 * from its params Schema (`ParamsDoc.ts`); with several names, one table whose defaults say
 * "a / b" where the pipelines differ (the README's table is `params estimation classification
 * --markdown`, checked by a test).
 *
 * @module params
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Sweep from "../../engine/Sweep.js"
import { Cli } from "../MainLayer.js"
import { commonOptions, jsonOption } from "../target.js"
import { print } from "./print.js"

export const params = Command.make(
  "params",
  {
    ...commonOptions,
    pipelines: Args.text({ name: "pipeline" }).pipe(
      Args.atLeast(1),
      Args.withDescription("The pipeline (several: one table).")
    ),
    json: jsonOption,
    markdown: Options.boolean("markdown").pipe(Options.withDescription("Print the table as Markdown."))
  },
  (opts) =>
    Effect.gen(function* () {
      const registry = yield* (yield* Cli).registry
      const ParamsDoc = yield* Effect.promise(() => import("../ParamsDoc.js"))
      const tables = []
      for (const name of opts.pipelines) {
        const pipeline = yield* Sweep.findPipeline(registry, name)
        tables.push(ParamsDoc.document(pipeline.params))
      }
      const table = ParamsDoc.merge(tables)
      if (opts.json) return yield* print(JSON.stringify({ pipelines: opts.pipelines, params: table }))
      yield* print(opts.markdown ? ParamsDoc.markdown(table) : ParamsDoc.text(table))
    })
).pipe(Command.withDescription("List a pipeline's params: name, type, default, bounds and meaning."))
