/**
 * `pipeline gc`: removes cache entries that nothing keeps, and the cache's leftovers. What keeps an
 * entry: the default params of a registered pipeline, one of the `--keep-runs` most recent runs and
 * sweeps, a run that did not finish (interrupted, failed or killed, and not superseded by a later
 * identical run that finished: its checkpoints resume it), and a live run (registered with a
 * heartbeat by the scheduler, whatever runner computes: every key of its plan). Never what is in
 * use: an entry being computed, the checkpoint of a resumable run, a temporary folder of a live
 * writer.
 *
 * `--outputs` also removes the published folders (`out/<pipeline>/<run id>/`) of the runs whose
 * records it drops, never the one a `latest` link names: without it they stay, and gc says how
 * many. A published folder may be the only copy a user keeps, so it is never removed by default.
 *
 * `--dry-run` lists what would be removed and every kept entry with its reasons. Otherwise gc asks
 * for confirmation on a terminal; without one (a script, CI) it refuses unless `--yes`.
 *
 * @module gc
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Prompt from "@effect/cli/Prompt"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Cache from "../../engine/Cache.js"
import { GcRefusedError, UsageError } from "../../engine/Errors.js"
import * as Fingerprint from "../../engine/Fingerprint.js"
import * as Plan from "../../engine/Plan.js"
import { LATEST } from "../../engine/Publish.js"
import { Cli } from "../MainLayer.js"
import { commonOptions, jsonOption } from "../target.js"
import { print } from "./print.js"

/**
 * The published folders of `records` that gc may remove: a folder named by its run's id that holds
 * one of its published files, that still exists, and that no `latest` beside it names (a symlink,
 * or `latest.txt` where the file system has none), of a run that is not still running.
 */
const outputFolders = (records: ReadonlyArray<Cache.RunRecord>) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const folders = new Set<string>()
    // A record still "running" may be a live run publishing into its folder (superseded by a later
    // identical run that finished first): its folder is left alone.
    for (const r of records.filter((r) => r.status !== "running")) {
      for (const file of r.published) {
        const folder = path.dirname(path.resolve(file))
        if (path.basename(folder) !== r.id || folders.has(folder)) continue
        if (!(yield* fs.exists(folder).pipe(Effect.orElseSucceed(() => false)))) continue
        const parent = path.dirname(folder)
        const linked = yield* fs.readLink(path.join(parent, LATEST)).pipe(Effect.orElseSucceed(() => ""))
        const named = yield* fs.readFileString(path.join(parent, `${LATEST}.txt`)).pipe(Effect.orElseSucceed(() => ""))
        if (path.basename(linked) === r.id || named.trim() === r.id) continue
        folders.add(folder)
      }
    }
    return [...folders].sort()
  })

/** Whether two records asked for the same run (pipeline, kind, `--set`, `--sweep`). */
const sameRequest = (a: Cache.RunRecord, b: Cache.RunRecord) =>
  a.pipeline === b.pipeline &&
  a.kind === b.kind &&
  JSON.stringify(a.sets) === JSON.stringify(b.sets) &&
  JSON.stringify(a.sweep ?? []) === JSON.stringify(b.sweep ?? [])

export const gc = Command.make(
  "gc",
  {
    ...commonOptions,
    dryRun: Options.boolean("dry-run").pipe(
      Options.withDescription("List what would be removed, and what is kept and why; remove nothing.")
    ),
    keepRuns: Options.integer("keep-runs").pipe(
      Options.withDefault(20),
      Options.withDescription(
        "Keep the entries and records of the most recent runs and sweeps (a whole number ≥ 0; default 20); unfinished and live runs keep theirs anyway."
      )
    ),
    outputs: Options.boolean("outputs").pipe(
      Options.withDescription(
        "Also remove the published folders (out/<pipeline>/<run id>/) of the runs whose records gc drops; never the latest."
      )
    ),
    yes: Options.boolean("yes").pipe(
      Options.withDescription("Remove without asking (needed when stdin is not a terminal).")
    ),
    json: jsonOption
  },
  (opts) =>
    Effect.gen(function* () {
      if (!Number.isSafeInteger(opts.keepRuns) || opts.keepRuns < 0) {
        return yield* new UsageError({
          detail: `gc removed nothing: --keep-runs must be a whole number ≥ 0 (the most recent runs to keep), not ${opts.keepRuns}.`
        })
      }
      const cli = yield* Cli
      const cache = yield* Cache.Cache
      const { pipelines } = yield* cli.registry
      const keep = new Map<string, Array<string>>()
      const keepFor = (key: string, why: string) => {
        const list = keep.get(key)
        if (list === undefined) keep.set(key, [why])
        else if (!list.includes(why)) list.push(why)
      }
      const fingerprinter = yield* Fingerprint.make({ root: cli.root, memoPath: `${cli.cacheDir}/.fingerprints.json` })
      for (const p of pipelines) {
        const plan = yield* Plan.make(p, {}, fingerprinter)
        for (const n of plan.nodes) keepFor(n.key, `the defaults of pipeline ${p.name}`)
      }
      // Records, newest first: the recent ones keep their keys; an older one that did not finish
      // keeps its whole plan (and its record) until a later identical run finishes; others go.
      const records = yield* cache.runs.list()
      const dropped: Array<Cache.RunRecord> = []
      for (const [i, r] of records.entries()) {
        const what = `${r.kind} ${r.id} of ${r.pipeline}`
        if (i < opts.keepRuns) {
          for (const n of r.nodes) keepFor(n.key, `recent ${what} (${r.status})`)
        } else if (r.status !== "done" && !records.slice(0, i).some((l) => l.status === "done" && sameRequest(l, r))) {
          const why =
            r.status === "running" ? "running, or killed: a rerun resumes it" : `${r.status}: a rerun resumes it`
          for (const n of r.nodes) keepFor(n.key, `unfinished ${what} (${why})`)
        } else {
          dropped.push(r)
        }
      }
      const droppedFiles = dropped.map((r) => `${cache.layout.runs}/${r.id}.json`)
      const folders = yield* outputFolders(dropped)
      const outputs = opts.outputs ? folders : []
      const preview = yield* cache.gc({ keep, dryRun: true })
      const total = preview.removed.length + droppedFiles.length + outputs.length
      const report = (collected: Cache.GcReport, dryRun: boolean) => {
        const removed = [...collected.removed, ...droppedFiles]
        if (opts.json) {
          return JSON.stringify({
            dryRun,
            kept: keep.size,
            removed,
            removedOutputs: outputs,
            keptOutputs: opts.outputs ? [] : folders,
            skipped: collected.skipped,
            keptEntries: collected.kept,
            live: collected.live
          })
        }
        const verb = dryRun ? "would remove" : "removed"
        return [
          `${verb} ${removed.length} entries and leftovers; kept ${collected.kept.length} entries (${keep.size} keys kept)${collected.skipped.length > 0 ? `; skipped ${collected.skipped.length} in use` : ""}${collected.live.length > 0 ? `; ${collected.live.length} live run(s)` : ""}`,
          ...(outputs.length > 0 ? [`${verb} ${outputs.length} published folder(s) of those runs`] : []),
          ...(!opts.outputs && folders.length > 0
            ? [
                `kept the ${folders.length} published folder(s) of the dropped runs (out/…/<run id>/; --outputs removes them)`
              ]
            : []),
          ...removed.map((r) => `  ${dryRun ? "remove" : "removed"} ${r}`),
          ...outputs.map((f) => `  ${dryRun ? "remove" : "removed"} ${f}/`),
          ...collected.skipped.map((r) => `  (in use) ${r}`),
          ...(dryRun ? collected.kept.map((k) => `  keep ${k.key.slice(0, 12)}: ${k.reasons.join("; ")}`) : []),
          ...collected.live.map((l) => `  live run ${l.id} of ${l.pipeline}: ${l.why}`)
        ].join("\n")
      }
      if (opts.dryRun || total === 0) return yield* print(report(preview, true))
      if (!opts.yes) {
        if (process.stdin.isTTY !== true) {
          return yield* new GcRefusedError({
            detail: `it would remove ${total} entries and leftovers (see \`pipeline gc --dry-run\`), and stdin is not a terminal, so it cannot ask for confirmation; pass --yes to remove them`
          })
        }
        const confirmed = yield* Prompt.confirm({
          message: `Remove ${total} entries and leftovers from ${cache.dir}? (\`pipeline gc --dry-run\` lists them)`,
          initial: false
        })
        if (!confirmed) return yield* new GcRefusedError({ detail: "not confirmed" })
      }
      const collected = yield* cache.gc({ keep, dryRun: false })
      for (const r of dropped) yield* cache.runs.remove(r.id)
      const fs = yield* FileSystem.FileSystem
      for (const folder of outputs) {
        yield* fs
          .remove(folder, { recursive: true })
          .pipe(Effect.catchAll((e) => Effect.logWarning(`gc could not remove ${folder}: ${e.message}`)))
      }
      yield* print(report(collected, false))
    })
).pipe(
  Command.withDescription(
    "Remove cache entries that no pipeline's defaults, recent, unfinished or live run reaches, and leftovers."
  )
)
