/**
 * `pipeline dag`: the pipeline's DAG as text, Mermaid or Graphviz dot.
 *
 * @module dag
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Dag from "../Dag.js"
import { commonOptions, pipelineArg, resolve, targetOptions } from "../target.js"
import { print } from "./print.js"

export const dag = Command.make(
  "dag",
  {
    ...commonOptions,
    pipeline: pipelineArg,
    ...targetOptions,
    format: Options.choice("format", ["text", "mermaid", "dot"]).pipe(
      Options.withDefault("text" as const),
      Options.withDescription("Output format.")
    )
  },
  (opts) =>
    Effect.gen(function* () {
      const target = yield* resolve(opts)
      yield* print(Dag.render(target.pipeline.name, target.plan.nodes, opts.format))
    })
).pipe(Command.withDescription("Print the pipeline's DAG (text, mermaid or dot)."))
