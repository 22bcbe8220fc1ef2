/**
 * `aggregate`: the last node of every sweep (DESIGN §12). It takes the members' metrics (the swept
 * pipeline's `metrics` node, one per member, in grid order) and the grid (factors, the replicate
 * axis, each member's params), and writes:
 *
 * - `results.csv` / `results.json`: the tidy table, one row per member × metric, every param of
 *   the member as a column (`pandas.read_csv` and R's `read.csv` load it as it is);
 * - `report.html`: each primary metric against each factor, the mean over replicates with its 95%
 *   Student-t interval; the learning curves and the error by angle per cell with pointwise bands;
 *   the summary table (mean ± interval per cell and metric) and, for small grids, every member.
 *
 * Its JSON result is that summary table (`pipeline show NAME aggregate --sweep …` prints it).
 * Generic: it reads only the Metrics form (src/analysis/aggregate.ts), so it aggregates any
 * pipeline that names a metrics node.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Aggregate from "../src/analysis/aggregate.js"
import * as Stage from "../src/engine/Stage.js"
import { AggregateParams } from "../src/engine/Sweep.js"
import type { ReportFigure, ReportSection } from "../src/figures/report.js"
import { memberMetrics } from "./metrics.js"
import { provenanceRows, runRecordPlaceholder } from "./report.js"

/** Members listed one by one in the report up to this many. */
const LISTED_MEMBERS = 60

const Cell = Schema.Union(Schema.String, Schema.Number, Schema.Null)

/** What the curves of the report smooth: a centred moving average over this many points. */
const CURVE_SMOOTHING = 11

/**
 * A centred moving average over `window` points that never crosses a gap in x (a step larger than
 * the series' smallest): a series of two phases (e.g. before and after a perturbation) is smoothed
 * phase by phase.
 */
export const smooth = (values: ReadonlyArray<number>, window: number, x: ReadonlyArray<number>) => {
  const half = Math.floor(window / 2)
  const steps = x.slice(1).map((v, k) => v - x[k]!)
  const unit = Math.min(...steps.filter((d) => d > 0))
  // segment[k]: the index of the run of evenly spaced points that point k belongs to.
  const segment = x.map(() => 0)
  for (let k = 1; k < x.length; k++) segment[k] = segment[k - 1]! + (steps[k - 1]! > 1.5 * unit ? 1 : 0)
  return values.map((_, k) => {
    let start = k
    let stop = k
    while (start > 0 && k - start < half && segment[start - 1] === segment[k]) start--
    while (stop < values.length - 1 && stop - k < half && segment[stop + 1] === segment[k]) stop++
    const reach = Math.min(k - start, stop - k)
    let sum = 0
    let n = 0
    for (let j = k - reach; j <= k + reach; j++) {
      if (Number.isFinite(values[j]!)) {
        sum += values[j]!
        n++
      }
    }
    return n === 0 ? Number.NaN : sum / n
  })
}

export const aggregate = Stage.make({
  name: "aggregate",
  module: import.meta.url,
  description: "Tabulates a sweep's members: tidy CSV, means with 95% intervals per cell, a report.",
  params: AggregateParams,
  inputs: { members: Stage.many(memberMetrics) },
  output: Schema.Struct({
    members: Schema.Number,
    estimator: Schema.String,
    summary: Schema.Struct({ columns: Schema.Array(Schema.String), rows: Schema.Array(Schema.Array(Cell)) })
  }),
  publish: ["report.html", "results.csv", "results.json"],
  run: (ctx) =>
    Effect.gen(function* () {
      const analysis = yield* Effect.promise(() => import("../src/analysis/aggregate.js"))
      const figures = yield* Effect.promise(() =>
        Promise.all([
          import("../src/figures/metricByFactor.js"),
          import("../src/figures/bandCurves.js"),
          import("../src/figures/report.js"),
          import("../src/figures/axes.js"),
          import("../src/figures/groupedBars.js")
        ])
      )
      const [{ metricByFactor }, { bandCurves }, { renderReport, formatNumber }, { angleTicks }, { groupedBars }] =
        figures
      const { pipeline, factors, replicate } = ctx.params
      const members: Array<Aggregate.Member> = ctx.params.members.map((m, i) => ({
        label: m.label,
        assignments: m.assignments,
        params: m.params,
        metrics: ctx.inputs.members[i]!.result
      }))
      const cells = analysis.cells(members, factors)
      const scalars = analysis.scalarNames(members)
      const fmt = (v: number | null) => (v === null ? "—" : formatNumber(v))
      const showInterval = (i: Aggregate.Interval) =>
        i.mean === null ? "—" : i.halfWidth === null ? fmt(i.mean) : `${fmt(i.mean)} ± ${fmt(i.halfWidth)}`

      // The summary: one row per cell, the mean ± half-width of every metric.
      const summary = {
        columns: [...factors, "n", ...scalars.map((s) => s.name)],
        rows: cells.map((c) => [
          ...factors.map((f) => c.factors[f] ?? null),
          c.members.length,
          ...scalars.map((s) => showInterval(analysis.scalarInterval(c, s.name)))
        ])
      }

      // Paired comparisons of every factor's levels over the replicates (seed by seed), primary metrics.
      const primary = scalars.filter((s) => s.primary)
      const comparisons = analysis.pairedComparisons(
        members,
        factors,
        replicate,
        primary.map((s) => s.name)
      )
      // A metric a factor does not change (e.g. a phase before the factor acts) is equal in every pair.
      const identical = comparisons.filter((c) => c.difference.mean === 0 && c.difference.sd === 0)
      const differing = comparisons.filter((c) => !identical.includes(c))
      const where = (c: Aggregate.Comparison) => {
        const others = Object.entries(c.others)
        return others.length === 0 ? "" : ` (${others.map(([k, v]) => `${k}=${v}`).join(", ")})`
      }

      // The tidy table and its JSON twin.
      const tidy = analysis.tidy(members)
      yield* ctx.writeText("results.csv", analysis.toCsv(tidy))
      yield* ctx.writeText(
        "results.json",
        `${JSON.stringify(
          {
            pipeline,
            factors,
            replicate,
            estimator: analysis.ESTIMATOR,
            columns: tidy.columns,
            rows: tidy.rows,
            cells: cells.map((c) => ({
              factors: c.factors,
              n: c.members.length,
              metrics: Object.fromEntries(scalars.map((s) => [s.name, analysis.scalarInterval(c, s.name)]))
            })),
            comparisons
          },
          null,
          1
        )}\n`
      )

      // Each primary metric against each factor, one line per combination of the other factors.
      const byFactor: Array<ReportFigure> = []
      for (const factor of factors) {
        const levels = [...new Set(members.map((m) => m.assignments[factor]!))]
        const others = factors.filter((f) => f !== factor)
        const lines = analysis.cells(members, others)
        for (const s of scalars.filter((x) => x.primary)) {
          const series = lines.map((line) => {
            const at = levels.map((level) =>
              analysis.scalarInterval(
                { ...line, members: line.members.filter((m) => m.assignments[factor] === level) },
                s.name
              )
            )
            return {
              name: others.length === 0 ? s.name : line.label,
              mean: at.map((i) => i.mean),
              low: at.map((i) => i.low),
              high: at.map((i) => i.high)
            }
          })
          if (series.every((x) => x.mean.every((v) => v === null))) continue
          const svg = metricByFactor(
            { levels, series },
            { title: `${s.label.replace(/ \(.*\)$/, "")} by ${factor}`, xLabel: factor, yLabel: s.label }
          )
          const file = `by-${factor}-${s.name}.svg`
          yield* ctx.writeText(file, svg)
          byFactor.push({
            svg,
            caption: `${s.label} against ${factor}${others.length > 0 ? `, one line per ${others.join(" × ")}` : ""}: mean over ${replicate ?? "members"}${replicate === null ? "" : " with its 95% t interval"}.`
          })
        }
      }

      // Curves per cell with pointwise bands; a series of categories (e.g. phases) as grouped bars.
      const curves: Array<ReportFigure> = []
      const seriesNames = [...new Set(members.flatMap((m) => m.metrics.series.map((s) => s.name)))]
      for (const name of seriesNames) {
        const first = members.flatMap((m) => m.metrics.series).find((s) => s.name === name)!
        if (first.categories !== undefined) {
          const groups = cells.flatMap((c) => {
            const band = analysis.seriesBand(c, name)
            return band === undefined ? [] : [{ name: c.label, mean: band.mean, low: band.low, high: band.high }]
          })
          const svg = groupedBars(
            { categories: first.categories, groups },
            { title: `${first.label}${factors.length > 0 ? ` by ${factors.join(" × ")}` : ""}`, yLabel: first.yLabel }
          )
          yield* ctx.writeText(`${name}.svg`, svg)
          curves.push({
            svg,
            caption: `${first.label}: each cell's mean over its ${replicate ?? "members"} with the 95% t interval as a whisker.`
          })
          continue
        }
        const bands = cells.flatMap((c) => {
          const band = analysis.seriesBand(c, name)
          return band === undefined ? [] : [{ cell: c, band }]
        })
        const long = first.x.length > 60
        const svg = bandCurves(
          bands.map(({ cell, band }) => ({
            name: cell.label,
            x: band.x,
            mean: long ? smooth(band.mean, CURVE_SMOOTHING, band.x) : band.mean,
            low: long ? smooth(band.low, CURVE_SMOOTHING, band.x) : band.low,
            high: long ? smooth(band.high, CURVE_SMOOTHING, band.x) : band.high
          })),
          {
            title: `${first.label}${factors.length > 0 ? ` by ${factors.join(" × ")}` : ""}`,
            xAxis: { label: first.xLabel, ...(/angle/.test(first.xLabel) ? angleTicks : { ticks: 6 }) },
            yLabel: first.yLabel
          }
        )
        yield* ctx.writeText(`${name}.svg`, svg)
        curves.push({
          svg,
          caption: `${first.label}: mean over each cell's ${replicate ?? "members"} with the pointwise 95% t interval as a band${long ? ` (centred moving average over ${CURVE_SMOOTHING} points)` : ""}.`
        })
      }

      const sections: Array<ReportSection> = [
        {
          heading: "Summary",
          text: `${members.length} members of pipeline "${pipeline}"${factors.length > 0 ? `, factors ${factors.join(", ")}` : ""}${replicate === null ? " (no replicate axis: one member per cell, no intervals)" : `, replicates over ${replicate}`}. Each cell: ${analysis.ESTIMATOR}. Every member is exactly the run \`pipeline run ${pipeline} --set …\` with its params.`,
          tables: [
            {
              caption: "Mean ± half-width of the 95% interval per cell",
              columns: [...factors, "n", ...scalars.map((s) => s.label)],
              rows: summary.rows.map((r) => r.map((v) => (v === null ? "—" : v)))
            }
          ]
        },
        ...(comparisons.length > 0
          ? [
              {
                heading: "Paired comparisons",
                text: `Each factor's levels compared ${replicate} by ${replicate} (the members of one ${replicate} share everything the factor does not change), for the primary metrics: the mean of the differences (second level − first) with its 95% Student-t interval, and what it shows.${identical.length > 0 ? ` Equal in every pair (not listed): ${[...new Set(identical.map((c) => `${c.metric} (${c.factor}: ${c.b} − ${c.a})`))].join(", ")}.` : ""} In plain words: ${analysis.plainAnswer(differing).join(" ")}`,
                tables: [
                  {
                    caption: `Paired differences over ${replicate}`,
                    columns: [
                      ...(factors.length > 1 ? ["held"] : []),
                      "comparison",
                      "metric",
                      "difference",
                      "n",
                      "second larger",
                      "reading"
                    ],
                    rows: differing.map((c) => [
                      ...(factors.length > 1 ? [where(c).replace(/^ \(|\)$/g, "")] : []),
                      `${c.factor}: ${c.b} − ${c.a}`,
                      c.metric,
                      showInterval(c.difference),
                      c.difference.n,
                      `${c.bLarger} of ${c.difference.n}`,
                      analysis.verdict(c)
                    ])
                  }
                ]
              }
            ]
          : []),
        ...(byFactor.length > 0 ? [{ heading: "Metrics by factor", figures: byFactor }] : []),
        ...(curves.length > 0 ? [{ heading: "Curves", figures: curves }] : []),
        ...(members.length <= LISTED_MEMBERS
          ? [
              {
                heading: "Members",
                tables: [
                  {
                    caption: "Every member (all of them in results.csv)",
                    columns: ["member", ...scalars.map((s) => s.name)],
                    rows: members.map((m) => [
                      m.label,
                      ...scalars.map((s) => fmt(m.metrics.scalars.find((x) => x.name === s.name)?.value ?? null))
                    ])
                  }
                ]
              }
            ]
          : [])
      ]
      const html = renderReport({
        title: `Sweep of ${pipeline}: ${[...factors, ...(replicate === null ? [] : [replicate])].join(" × ")}`,
        subtitle: `${members.length} members · results.csv beside this report`,
        sections,
        provenance: provenanceRows(yield* ctx.lineage).filter(
          (p) => /^metrics/.test(p.stage) || p.stage === "aggregate"
        ),
        trusted: runRecordPlaceholder
      })
      yield* ctx.writeText("report.html", html)
      return { members: members.length, estimator: analysis.ESTIMATOR, summary }
    })
})
