/**
 * `pipeline gc`: removes cache entries no current pipeline reaches with its default params and no
 * recent run used, and the cache's leftovers. Never what is in use: an entry being computed, the
 * checkpoint of a resumable run, a temporary folder of a live writer.
 *
 * @module gc
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Cache from "../../engine/Cache.js"
import * as Fingerprint from "../../engine/Fingerprint.js"
import * as Plan from "../../engine/Plan.js"
import { Cli } from "../MainLayer.js"
import { commonOptions, jsonOption } from "../target.js"
import { print } from "./print.js"

export const gc = Command.make(
  "gc",
  {
    ...commonOptions,
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("List what would be removed.")),
    keepRuns: Options.integer("keep-runs").pipe(
      Options.withDefault(20),
      Options.withDescription(
        "Keep the entries and records of the most recent runs and sweeps (default 20); older unfinished runs keep what they can resume."
      )
    ),
    json: jsonOption
  },
  (opts) =>
    Effect.gen(function* () {
      const cli = yield* Cli
      const cache = yield* Cache.Cache
      const { pipelines } = yield* cli.registry
      const keep = new Set<string>()
      const fingerprinter = yield* Fingerprint.make({ root: cli.root, memoPath: `${cli.cacheDir}/.fingerprints.json` })
      for (const p of pipelines) {
        const plan = yield* Plan.make(p, {}, fingerprinter)
        for (const n of plan.nodes) keep.add(n.key)
      }
      // The recent runs' entries. An older run that did not finish keeps the keys it can resume
      // (those with a checkpoint) and its record; other older records go.
      const records = yield* cache.runs.list()
      const dropped: Array<string> = []
      for (const [i, r] of records.entries()) {
        if (i < opts.keepRuns) {
          for (const n of r.nodes) keep.add(n.key)
        } else if (r.status !== "done") {
          for (const n of r.nodes) if (yield* cache.checkpoints(n.key).exists) keep.add(n.key)
        } else {
          dropped.push(`${cache.layout.runs}/${r.id}.json`)
          if (!opts.dryRun) yield* cache.runs.remove(r.id)
        }
      }
      const collected = yield* cache.gc({ keep, dryRun: opts.dryRun })
      const report = { ...collected, removed: [...collected.removed, ...dropped] }
      if (opts.json) {
        return yield* print(
          JSON.stringify({ dryRun: opts.dryRun, kept: keep.size, removed: report.removed, skipped: report.skipped })
        )
      }
      const verb = opts.dryRun ? "would remove" : "removed"
      yield* print(
        [
          `${verb} ${report.removed.length} entries and leftovers; kept ${keep.size} keys${report.skipped.length > 0 ? `; skipped ${report.skipped.length} in use` : ""}`,
          ...report.removed.map((r) => `  ${r}`),
          ...report.skipped.map((r) => `  (in use) ${r}`)
        ].join("\n")
      )
    })
).pipe(Command.withDescription("Remove cache entries no pipeline's defaults or recent run reaches, and leftovers."))
