/**
 * `pipeline runs [NAME]`: the recorded runs and sweeps, newest first, as MLflow's runs table: per
 * pipeline or sweep, the params that differ between the runs shown and the key (primary) metrics,
 * with the run id (what `diff` and `export` take) and its output folder. `--where key=value`
 * keeps the runs with that param value; `--json` and `--csv` (one row per run, every param and
 * metric a column) are for scripts.
 *
 * @module runs
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "../../engine/Cache.js"
import { filedAs } from "../../engine/cache/RunRecords.js"
import { UsageError } from "../../engine/Errors.js"
import { checkName, type Metric, metricsOf, paramsOf } from "../RunInfo.js"
import { commonOptions, jsonOption } from "../target.js"
import { print, table } from "./print.js"

const seconds = (r: Cache.RunRecord) =>
  r.finishedAt === undefined ? undefined : (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000

const number = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : Number.isInteger(v) ? String(v) : v.toPrecision(4)

/** A run with what the table shows of it. */
interface Row {
  readonly record: Cache.RunRecord
  readonly params: Readonly<Record<string, string>>
  readonly metrics: ReadonlyArray<Metric>
}

/** The keys whose values differ between `rows` (a key some lack counts as differing). */
const differing = (rows: ReadonlyArray<Row>) => {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.params)))].sort()
  return keys.filter((k) => new Set(rows.map((r) => r.params[k] ?? "(unset)")).size > 1)
}

const sweepOf = (r: Cache.RunRecord) => (r.sweep ?? []).map((a) => `${a.key}=${a.values.join(",")}`).join(" ")

/** One group (runs filed under one name) as a text table. */
const groupTable = (name: string, rows: ReadonlyArray<Row>) => {
  const keys = differing(rows)
  const metricNames = [...new Set(rows.flatMap((r) => r.metrics.filter((m) => m.primary).map((m) => m.name)))]
  const head = ["run", "started", "status", "time", ...keys, ...metricNames, "folder"]
  const body = rows.map(({ record: r, params, metrics }) => [
    r.id,
    r.startedAt.replace("T", " ").slice(0, 19),
    r.kind === "sweep" ? `${r.status} (sweep of ${r.members ?? "?"})` : r.status,
    seconds(r) === undefined ? "" : `${seconds(r)!.toFixed(1)} s`,
    ...keys.map((k) => params[k] ?? "—"),
    ...metricNames.map((m) => number(metrics.find((x) => x.name === m)?.value)),
    r.report === undefined ? "" : r.report.replace(/\/report\.html$/, "/")
  ])
  const kinds = new Set(rows.map((r) => r.record.pipeline))
  const title = `${name}${kinds.size === 1 && !kinds.has(name) ? ` (sweep of ${[...kinds][0]})` : ""}: ${rows.length} run${rows.length === 1 ? "" : "s"}${keys.length === 0 && rows.length > 1 ? ", the same params" : ""}`
  const sweeps = rows.filter((r) => r.record.kind === "sweep" && r.record.sweep !== undefined)
  return [
    title,
    table(head, body),
    ...(sweeps.length > 0 && name === rows[0]!.record.pipeline
      ? sweeps.map((s) => `  sweep ${s.record.id}: --sweep ${sweepOf(s.record)}`)
      : [])
  ].join("\n")
}

export const runs = Command.make(
  "runs",
  {
    ...commonOptions,
    pipeline: Args.text({ name: "pipeline" }).pipe(
      Args.optional,
      Args.withDescription("Only the runs of this pipeline or sweep.")
    ),
    where: Options.text("where").pipe(
      Options.repeated,
      Options.withDescription("Only the runs with this param value, key=value (repeatable).")
    ),
    limit: Options.integer("limit").pipe(Options.withDefault(20), Options.withDescription("How many to list.")),
    json: jsonOption,
    csv: Options.boolean("csv").pipe(Options.withDescription("Print a CSV table, one row per run."))
  },
  (opts) =>
    Effect.gen(function* () {
      const cache = yield* Cache.Cache
      const all = yield* cache.runs.list()
      if (Option.isSome(opts.pipeline)) yield* checkName(opts.pipeline.value, all)
      const filters: Array<readonly [string, string]> = []
      for (const w of opts.where) {
        const eq = w.indexOf("=")
        if (eq <= 0)
          return yield* new UsageError({ detail: `--where ${w}: expected key=value (e.g. --where sigma=0.3).` })
        filters.push([w.slice(0, eq), w.slice(eq + 1)])
      }
      const named = Option.getOrUndefined(opts.pipeline)
      const rows: Array<Row> = []
      for (const r of all) {
        if (rows.length >= Math.max(0, opts.limit)) break
        if (named !== undefined && filedAs(r) !== named && r.pipeline !== named) continue
        const params = paramsOf(r)
        if (filters.some(([k, v]) => params[k] !== v)) continue
        rows.push({ record: r, params, metrics: yield* metricsOf(r) })
      }
      if (opts.json) {
        return yield* print(
          JSON.stringify({ runs: rows.map((r) => ({ ...r.record, metrics: r.metrics, folder: folderOf(r.record) })) })
        )
      }
      if (opts.csv) {
        const { toCsv } = yield* Effect.promise(() => import("../Csv.js"))
        const keys = [...new Set(rows.flatMap((r) => Object.keys(r.params)))].sort()
        const metricNames = [...new Set(rows.flatMap((r) => r.metrics.map((m) => m.name)))]
        return yield* Effect.sync(() =>
          process.stdout.write(
            toCsv({
              columns: [
                "run",
                "name",
                "pipeline",
                "kind",
                "status",
                "startedAt",
                "seconds",
                "folder",
                ...keys,
                ...metricNames
              ],
              rows: rows.map(({ record: r, params, metrics }) => [
                r.id,
                filedAs(r),
                r.pipeline,
                r.kind,
                r.status,
                r.startedAt,
                seconds(r) ?? null,
                folderOf(r) ?? null,
                ...keys.map((k) => params[k] ?? null),
                ...metricNames.map((m) => metrics.find((x) => x.name === m)?.value ?? null)
              ])
            })
          )
        )
      }
      if (rows.length === 0) {
        return yield* print(
          `No runs${named === undefined ? "" : ` of "${named}"`}${filters.length > 0 ? " with those params" : ""} are recorded in ${cache.dir}.`
        )
      }
      const groups = new Map<string, Array<Row>>()
      for (const row of rows) {
        const g = filedAs(row.record)
        groups.set(g, [...(groups.get(g) ?? []), row])
      }
      yield* print([...groups].map(([name, rs]) => groupTable(name, rs)).join("\n\n"))
    })
).pipe(Command.withDescription("List the recorded runs and sweeps, newest first."))

/** The run's output folder (where its report was published). */
const folderOf = (r: Cache.RunRecord) => r.published[0]?.replace(/\/[^/]*$/, "")
