/**
 * `figure`: one figure of a run's report (DESIGN §15): the node `figure-<id>` is provided its spec
 * (src/report/figures/, a service whose fingerprint is the spec's module), reads the run's report
 * inputs (`plot`'s `report-inputs.json`) and writes the spec's SVG; its result is the figure's
 * file, section and caption, which `report` lays out. {@link figureStage} makes the stage for a
 * task's `plot` stages.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { CacheEntryCorruptError, CacheIoError } from "../src/engine/Errors.js"
import * as Stage from "../src/engine/Stage.js"
import { REPORT_INPUTS } from "./plot.js"
import { FigureSpecService } from "./reportSpecs.js"

/** What a figure node returns: where its SVG is and what the report says of it. */
export const FigureResult = Schema.Struct({
  id: Schema.String,
  file: Schema.String,
  section: Schema.String,
  caption: Schema.String
})

/** Parsed report inputs by the `plot` run's key: its figures share one parse (the few last kept). */
const parsed = new Map<string, Promise<unknown>>()
const KEEP = 4

/** A `plot` run's report inputs, parsed once per process (checksum-verified on the first read). */
export const reportInputs = (upstream: {
  readonly key: string
  readonly readText: (name: string) => Effect.Effect<string, CacheEntryCorruptError | CacheIoError>
}): Effect.Effect<unknown, CacheEntryCorruptError | CacheIoError> =>
  Effect.suspend(() => {
    const hit = parsed.get(upstream.key)
    if (hit !== undefined) return Effect.promise(() => hit)
    return upstream.readText(REPORT_INPUTS).pipe(
      Effect.map((text) => {
        const value: unknown = JSON.parse(text)
        parsed.set(upstream.key, Promise.resolve(value))
        while (parsed.size > KEEP) parsed.delete(parsed.keys().next().value!)
        return value
      })
    )
  })

/** The `figure` stage of a task, reading what its `plot` stages gather. */
export const figureStage = <P, PI, I extends Stage.Inputs, O, OI>(plot: Stage.Stage<string, P, PI, I, O, OI, never>) =>
  Stage.make({
    name: "figure",
    module: import.meta.url,
    description: "Draws one figure of the report (its spec is the node's) from the run's report inputs.",
    params: Schema.Struct({}),
    inputs: { data: plot },
    output: FigureResult,
    requires: [FigureSpecService],
    run: (ctx) =>
      Effect.gen(function* () {
        const spec = yield* FigureSpecService
        const inputs = yield* reportInputs(ctx.inputs.data)
        const { svg, caption } = yield* Effect.promise(() => spec.render(inputs))
        yield* ctx.writeText(spec.file, svg)
        return { id: spec.id, file: spec.file, section: spec.section, caption }
      })
  })
