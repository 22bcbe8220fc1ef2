/**
 * `pipeline show NAME STAGE`: a stage's manifest, JSON result and artifact paths; a result holding
 * a `summary` table (an aggregate's) is printed as a table.
 *
 * @module show
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "../../engine/Cache.js"
import { NotCachedError, UnknownStageError } from "../../engine/Errors.js"
import { commonOptions, jsonOption, pipelineArg, resolve, targetOptions } from "../target.js"
import { print, table } from "./print.js"

/** A result's `summary` table, if it has one: `{ columns: string[], rows: (string | number | null)[][] }`. */
const summaryTable = (result: unknown): string | undefined => {
  const summary = (result as { summary?: { columns?: unknown; rows?: unknown } } | null)?.summary
  if (summary === undefined || !Array.isArray(summary.columns) || !Array.isArray(summary.rows)) return undefined
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? "—"
      : typeof v === "number"
        ? Number.isInteger(v)
          ? String(v)
          : v.toPrecision(4)
        : String(v)
  return table(
    summary.columns.map(String),
    (summary.rows as Array<Array<unknown>>).map((r) => r.map(cell))
  )
}

/** The shape of a nested array of numbers (`[40, 40]`), or undefined when it is not one. */
const numericShape = (v: unknown): ReadonlyArray<number> | undefined => {
  if (typeof v === "number") return []
  if (!Array.isArray(v) || v.length === 0) return undefined
  const inner = numericShape(v[0])
  if (inner === undefined) return undefined
  for (const x of v) {
    const s = numericShape(x)
    if (s === undefined || s.join() !== inner.join()) return undefined
  }
  return [v.length, ...inner]
}

/**
 * A result with its long numeric arrays (more than `limit` numbers) replaced by a one-line
 * summary, `"40×40 numbers in [-0.21, 0.35] (--full or --json prints them)"`: `show` of a training
 * would otherwise print thousands of lines.
 */
export const summarize = (value: unknown, limit = 12): unknown => {
  const shape = numericShape(value)
  if (shape !== undefined && shape.length > 0) {
    const flat = (value as Array<unknown>).flat(Number.POSITIVE_INFINITY) as Array<number>
    if (flat.length <= limit) return value
    const finite = flat.filter(Number.isFinite)
    const range =
      finite.length === 0
        ? "none finite"
        : `in [${finite.reduce((a, b) => Math.min(a, b)).toPrecision(3)}, ${finite.reduce((a, b) => Math.max(a, b)).toPrecision(3)}]`
    return `${shape.join("×")} numbers ${range} (--full or --json prints them)`
  }
  if (Array.isArray(value)) {
    return value.length > limit
      ? [
          ...value.slice(0, limit).map((v) => summarize(v, limit)),
          `… ${value.length - limit} more (--full prints them)`
        ]
      : value.map((v) => summarize(v, limit))
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, summarize(v, limit)]))
  }
  return value
}

export const show = Command.make(
  "show",
  {
    ...commonOptions,
    pipeline: pipelineArg,
    stage: Args.text({ name: "stage" }).pipe(Args.withDescription("The stage (node) name.")),
    ...targetOptions,
    json: jsonOption,
    full: Options.boolean("full").pipe(Options.withDescription("Print every number of long arrays."))
  },
  (opts) =>
    Effect.gen(function* () {
      const cache = yield* Cache.Cache
      const target = yield* resolve(opts)
      const node = target.plan.nodes.find((n) => n.name === opts.stage)
      if (node === undefined) {
        return yield* new UnknownStageError({
          pipeline: target.pipeline.name,
          name: opts.stage,
          valid: target.plan.nodes.map((n) => n.name)
        })
      }
      const manifest = yield* cache.verify(node.key)
      if (Option.isNone(manifest)) {
        return yield* new NotCachedError({ pipeline: target.pipeline.name, stage: node.name, key: node.key })
      }
      const result = yield* cache.readResult(node.key)
      const artifacts = Object.fromEntries(
        Object.keys(manifest.value.artifacts).map((a) => [a, cache.artifactPath(node.key, a)])
      )
      if (opts.json) return yield* print(JSON.stringify({ manifest: manifest.value, result, artifacts }))
      const m = manifest.value
      const summary = summaryTable(result)
      yield* print(
        [
          `${node.name} (stage ${m.stage}) of pipeline ${target.pipeline.name}`,
          `key:      ${m.key}`,
          `entry:    ${cache.entryDir(node.key)}`,
          `computed: ${m.startedAt} → ${m.finishedAt} (${m.seconds.toFixed(2)} s${m.resumed ? ", resumed" : ""}) on ${m.host.hostname}`,
          ...(m.seed === undefined ? [] : [`seed:     ${m.seed}`]),
          `params:   ${JSON.stringify(m.params)}`,
          `upstream: ${
            Object.entries(m.upstream)
              .map(([k, v]) => (typeof v === "string" ? `${k}=${v.slice(0, 12)}` : `${k}=[${v.length} runs]`))
              .join(", ") || "(none)"
          }`,
          `code:     ${m.fingerprint.digest.slice(0, 12)} over ${m.fingerprint.files.length} files (${m.runtime})`,
          ...(summary === undefined
            ? ["result:", JSON.stringify(opts.full ? result : summarize(result), null, 2).replace(/^/gm, "  ")]
            : ["summary:", summary]),
          "artifacts:",
          ...Object.entries(artifacts).map(([k, v]) => `  ${k}  ${v}`)
        ].join("\n")
      )
    })
).pipe(Command.withDescription("Show a stage's manifest, JSON result and artifact paths."))
