/**
 * `pipeline runs [NAME]`: the recorded runs and sweeps, newest first, with their params, status and
 * report path (`--last` of `show`/`status` refers to the newest of a pipeline).
 *
 * @module runs
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "../../engine/Cache.js"
import { commonOptions, jsonOption } from "../target.js"
import { print, table } from "./print.js"

const duration = (r: Cache.RunRecord) =>
  r.finishedAt === undefined ? "" : `${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s`

export const runs = Command.make(
  "runs",
  {
    ...commonOptions,
    pipeline: Args.text({ name: "pipeline" }).pipe(Args.optional, Args.withDescription("Only this pipeline's runs.")),
    limit: Options.integer("limit").pipe(Options.withDefault(20), Options.withDescription("How many to list.")),
    json: jsonOption
  },
  (opts) =>
    Effect.gen(function* () {
      const cache = yield* Cache.Cache
      const all = yield* cache.runs.list(
        Option.match(opts.pipeline, { onNone: () => ({}), onSome: (pipeline) => ({ pipeline }) })
      )
      const shown = all.slice(0, Math.max(0, opts.limit))
      if (opts.json) return yield* print(JSON.stringify({ runs: shown }))
      if (shown.length === 0) return yield* print(`No runs are recorded in ${cache.dir}.`)
      const what = (r: Cache.RunRecord) =>
        [
          ...r.sets.map((s) => `--set ${s}`),
          ...(r.sweep ?? []).map((a) => `--sweep ${a.key}=${a.values.join(",")}`)
        ].join(" ") || "(defaults)"
      yield* print(
        table(
          ["started", "pipeline", "kind", "status", "time", "params", "report"],
          shown.map((r) => [
            r.startedAt.replace("T", " ").slice(0, 19),
            r.pipeline,
            r.kind === "sweep" ? `sweep (${r.members ?? "?"})` : "run",
            r.status,
            duration(r),
            what(r),
            r.report ?? ""
          ]),
          ""
        )
      )
    })
).pipe(Command.withDescription("List the recorded runs and sweeps, newest first."))
