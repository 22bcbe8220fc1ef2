/**
 * `pipeline show NAME STAGE`: a stage's manifest, JSON result and artifact paths; a result holding
 * a `summary` table (an aggregate's) is printed as a table.
 *
 * @module show
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
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

export const show = Command.make(
  "show",
  {
    ...commonOptions,
    pipeline: pipelineArg,
    stage: Args.text({ name: "stage" }).pipe(Args.withDescription("The stage (node) name.")),
    ...targetOptions,
    json: jsonOption
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
            ? ["result:", JSON.stringify(result, null, 2).replace(/^/gm, "  ")]
            : ["summary:", summary]),
          "artifacts:",
          ...Object.entries(artifacts).map(([k, v]) => `  ${k}  ${v}`)
        ].join("\n")
      )
    })
).pipe(Command.withDescription("Show a stage's manifest, JSON result and artifact paths."))
