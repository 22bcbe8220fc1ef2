/**
 * `report`: `report.html`, one standalone page with every figure of the run inlined and captioned
 * (each drawn by its own `figure-<id>` node), the task's key numbers and tables (its content spec,
 * a service), and the provenance of every stage of the run (key, params). The run copies it to
 * its output folder and prints the path. {@link reportStage} makes the stage for a task.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stage from "../src/engine/Stage.js"
import { type ReportSection, renderReport } from "../src/figures/report.js"
import { sectionOrder } from "../src/report/spec.js"
import { type FigureResult, reportInputs } from "./figure.js"
import { ReportContentService } from "./reportSpecs.js"

/** The report's provenance table: one row per upstream stage run. */
export const provenanceRows = (lineage: ReadonlyArray<Stage.LineageEntry>) =>
  lineage.map((l) => ({
    stage: l.stage,
    key: l.key,
    params: (l.params ?? {}) as Record<string, unknown>
  }))

/** The switches that are on, in words ("the reference's settings" when none is). */
export const switchesLine = (switches: Readonly<Record<string, boolean | number | string>>): string => {
  const defaults: Record<string, boolean | number | string> = {
    annealed: false,
    inputNoise: 0,
    normalizeOutput: false,
    decoderFixed: false,
    nonlinearity: "softplus"
  }
  const on = Object.entries(switches).filter(([k, v]) => defaults[k] !== v)
  return on.length === 0
    ? "the reference's settings (no switch on: README \"The reference's switches\")"
    : `switches: ${on.map(([k, v]) => (v === true ? k : `${k} = ${v}`)).join(", ")}`
}

/** Where the published report shows the run that published it (timings, cache hits): see `Publish.ts`. */
export const runRecordPlaceholder = Stage.RUN_RECORD_MARKER

/** The sections in the report's order, each with its figures in the order the task lists them. */
export const sectionsOf = <F extends { readonly section: string }>(figures: ReadonlyArray<F>) => {
  const order = (section: string) => {
    const k = sectionOrder.indexOf(section as (typeof sectionOrder)[number])
    return k < 0 ? sectionOrder.length : k
  }
  const headings = [...new Set(figures.map((f) => f.section))].sort((a, b) => order(a) - order(b))
  return headings.map((heading) => ({ heading, figures: figures.filter((f) => f.section === heading) }))
}

/** The `report` stage of a task: its `plot` stage's report inputs and its figure nodes. */
export const reportStage = <P, PI, I extends Stage.Inputs, O, OI, FP, FPI, FI extends Stage.Inputs>(
  plot: Stage.Stage<string, P, PI, I, O, OI, never>,
  figure: Stage.Stage<"figure", FP, FPI, FI, typeof FigureResult.Type, typeof FigureResult.Encoded, Stage.AnyTag>
) =>
  Stage.make({
    name: "report",
    module: import.meta.url,
    description: "Writes report.html: figures, key numbers, provenance.",
    params: Schema.Struct({
      pipeline: Schema.String,
      /**
       * The reference's switches (README "The reference's switches") the run was made with, stated in
       * the report's header: name → value (all off: the reference's own settings).
       */
      switches: Schema.Record({ key: Schema.String, value: Schema.Union(Schema.Boolean, Schema.Number, Schema.String) })
    }),
    inputs: { data: plot, figures: Stage.many(figure) },
    output: Schema.Struct({ figures: Schema.Number, bytes: Schema.Number }),
    requires: [ReportContentService],
    publish: ["report.html"],
    run: (ctx) =>
      Effect.gen(function* () {
        const spec = yield* ReportContentService
        const inputs = yield* reportInputs(ctx.inputs.data)
        const content = yield* Effect.promise(() => spec.content(inputs))
        const lineage = yield* ctx.lineage
        const figures = ctx.inputs.figures.map((f) => ({ ...f.result, upstream: f }))
        const sections: Array<ReportSection> = [
          { heading: "Key numbers", keyNumbers: content.keyNumbers, tables: content.tables }
        ]
        for (const { heading, figures: entries } of sectionsOf(figures)) {
          const drawn = []
          for (const f of entries) drawn.push({ svg: yield* f.upstream.readText(f.file), caption: f.caption })
          sections.push({ heading, figures: drawn })
        }
        const html = renderReport({
          title: content.title,
          subtitle: `${content.subtitle} · pipeline "${ctx.params.pipeline}" · ${switchesLine(ctx.params.switches)}`,
          sections,
          provenance: provenanceRows(lineage),
          trusted: runRecordPlaceholder
        })
        yield* ctx.writeText("report.html", html)
        return { figures: figures.length, bytes: html.length }
      })
  })
