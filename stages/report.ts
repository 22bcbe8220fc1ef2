/**
 * `report`: `report.html`, one standalone page with every figure of `plot` inlined and captioned,
 * the key numbers, the per-angle table and the provenance of every stage of the run (key, params,
 * time, cached or computed). The run copies it to `out/<pipeline>/report.html` and prints the path.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stage from "../src/engine/Stage.js"
import { type ReportSection, renderReport } from "../src/figures/report.js"
import { plotExperiment } from "./plot.js"

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

export const report = Stage.make({
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
  inputs: { plot: plotExperiment },
  output: Schema.Struct({ figures: Schema.Number, bytes: Schema.Number }),
  publish: ["report.html"],
  run: (ctx) =>
    Effect.gen(function* () {
      const content = ctx.inputs.plot.result
      const lineage = yield* ctx.lineage
      const sections: Array<ReportSection> = [
        { heading: "Key numbers", keyNumbers: content.keyNumbers, tables: [content.table] }
      ]
      // Sections in the order their first figure comes (stages/figureSet.ts orders the story).
      const headings = [...new Set(content.figures.map((f) => f.section))]
      for (const heading of headings) {
        const entries = content.figures.filter((f) => f.section === heading)
        if (entries.length === 0) continue
        const figures = []
        for (const f of entries) figures.push({ svg: yield* ctx.inputs.plot.readText(f.file), caption: f.caption })
        sections.push({ heading, figures })
      }
      const html = renderReport({
        title: content.title,
        subtitle: `${content.subtitle} · pipeline "${ctx.params.pipeline}" · ${switchesLine(ctx.params.switches)}`,
        sections,
        provenance: provenanceRows(lineage),
        trusted: runRecordPlaceholder
      })
      yield* ctx.writeText("report.html", html)
      return { figures: content.figures.length, bytes: html.length }
    })
})
