/**
 * Publishing: after a run, the artifacts its stages list in `publish` (e.g. `report.html`) are
 * copied from their verified cache entries to the run's own output folder, where a user opens
 * them: `<base>/<run id>/` under the pipeline's or the sweep's base folder (`out/estimation/`,
 * `out/compare-rules/`), as Hydra's `outputs/<date>/` does, so no run overwrites another's files.
 * `<base>/latest` then points at the newest run's folder (a relative symlink, replaced atomically;
 * where the file system refuses symlinks, the text file `<base>/latest.txt` names the folder
 * instead), so `out/estimation/latest/report.html` is always the last report. The scheduler and
 * the warm-run path publish through this one module.
 *
 * A cached artifact holds only what its key determines. What a particular run did (which stages
 * were cached or computed, and how long each took) is in its run record; an HTML artifact that
 * wants it shows it by containing the marker `Stage.RUN_RECORD_MARKER`: the published copy has the run
 * record's table in its place.
 *
 * @module Publish
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Cache from "./Cache.js"
import * as Inspect from "./cache/Inspect.js"
import { type CacheIoError, ioError } from "./Errors.js"
import type * as Plan from "./Plan.js"
import { makeDirectories } from "./SideFile.js"
import { RUN_RECORD_MARKER } from "./Stage.js"

/** One artifact to publish: entry key, artifact name, file name in the output folder. */
export interface Target {
  readonly key: string
  readonly artifact: string
  readonly target: string
}

/** The artifacts a plan publishes (a node's name prefixes an artifact name that several nodes publish). */
export const targets = (plan: Plan.Plan): ReadonlyArray<Target> => {
  const files = plan.nodes.flatMap((n) => n.stage.publish.map((artifact) => ({ node: n, artifact })))
  const count = new Map<string, number>()
  for (const f of files) count.set(f.artifact, (count.get(f.artifact) ?? 0) + 1)
  return files.map(({ node, artifact }) => ({
    key: node.key,
    artifact,
    target: `${count.get(artifact)! > 1 ? `${node.name}-` : ""}${artifact}`
  }))
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!)

/** The HTML table of a run record (what replaces `Stage.RUN_RECORD_MARKER`). */
export const runTable = (record: Cache.RunRecord): string => {
  const rows = record.nodes
    .map(
      (n) =>
        `<tr><td>${escapeHtml(n.name)}</td><td><code>${n.key.slice(0, 12)}</code></td><td>${escapeHtml(n.status ?? "—")}</td><td style="text-align:right">${n.seconds === undefined ? "—" : n.seconds.toFixed(2)}</td></tr>`
    )
    .join("\n")
  return [
    `<section class="run-record"><h3>This run</h3>`,
    `<p>Run <code>${escapeHtml(record.id)}</code> of pipeline <code>${escapeHtml(record.pipeline)}</code> on ${escapeHtml(record.host)}, started ${escapeHtml(record.startedAt)}${record.sets.length > 0 ? `, with ${escapeHtml(record.sets.map((s) => `--set ${s}`).join(" "))}` : ""}. A stage is "cached" when an earlier run had computed it.</p>`,
    `<table><thead><tr><th>stage</th><th>key</th><th>this run</th><th>seconds</th></tr></thead><tbody>`,
    rows,
    "</tbody></table></section>"
  ].join("\n")
}

/** The name of the link (or, where symlinks fail, of the `.txt` pointer) to a base's newest run folder. */
export const LATEST = "latest"

/** The folder a run publishes to under its base folder: `<base>/<run id>`. */
export const runFolder = (base: string, runId: string) => `${base}/${runId}`

/**
 * Points `<base>/latest` at `<base>/<runId>`: a relative symlink made beside it and renamed over it
 * (readers never see it missing); where symlinks cannot be made, `<base>/latest.txt` holds the
 * run id. Returns the path that now names the newest run.
 */
export const pointLatest = (base: string, runId: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const link = `${base}/${LATEST}`
    const temporary = `${link}.${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    const linked = yield* fs.symlink(runId, temporary).pipe(
      Effect.zipRight(fs.rename(temporary, link)),
      Effect.as(true),
      Effect.catchAll(() => Effect.as(Effect.ignore(fs.remove(temporary)), false))
    )
    if (linked) return link
    const pointer = `${link}.txt`
    yield* fs
      .writeFileString(`${pointer}.tmp`, `${runId}\n`)
      .pipe(Effect.zipRight(fs.rename(`${pointer}.tmp`, pointer)), Effect.mapError(ioError("publish", pointer)))
    return pointer
  })

/**
 * Publishes a run: {@link publish} to `<base>/<runId>/`, then points `<base>/latest` at it (only
 * when something was published). Returns the written paths.
 */
export const publishRun = (
  targets: ReadonlyArray<Target>,
  base: string,
  runId: string,
  record: Cache.RunRecord | undefined
) =>
  Effect.gen(function* () {
    const written = yield* publish(targets, runFolder(base, runId), record)
    if (written.length > 0) yield* pointLatest(base, runId)
    return written
  })

/**
 * Copies `targets` to `folder` (created as needed), each read and verified from the cache;
 * HTML artifacts get `record`'s table at `Stage.RUN_RECORD_MARKER`. Returns the written paths.
 */
export const publish = (targets: ReadonlyArray<Target>, folder: string, record: Cache.RunRecord | undefined) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const out: Array<string> = []
    for (const t of targets) {
      // A published artifact is hashed in full here: found corrupt (bit rot under an unchanged size
      // and mtime), its entry is moved aside, so the rerun the error asks for recomputes it.
      let bytes = yield* cache
        .readArtifact(t.key, t.artifact)
        .pipe(Effect.tapErrorTag("CacheEntryCorruptError", (e) => Effect.ignore(cache.quarantine(e.key))))
      if (record !== undefined && t.artifact.endsWith(".html")) {
        const html = new TextDecoder().decode(bytes)
        if (html.includes(RUN_RECORD_MARKER))
          bytes = new TextEncoder().encode(html.replace(RUN_RECORD_MARKER, runTable(record)))
      }
      const target = path.join(folder, t.target)
      yield* makeDirectories(path.dirname(target))
      // Written beside and renamed over the target: whatever stood there (a truncated copy, a link
      // that points elsewhere, a FIFO that would block a plain write) is replaced, never written through.
      const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`
      yield* fs.writeFile(tmp, bytes).pipe(Effect.mapError(ioError("publish", tmp)))
      if ((yield* Inspect.kind(target)) === "directory") {
        const aside = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, "-")}`
        yield* fs.rename(target, aside).pipe(Effect.mapError(ioError("publish", target)))
        yield* Effect.logWarning(`A folder stood where ${target} is published; it was moved to ${aside}.`)
      }
      yield* fs.rename(tmp, target).pipe(
        Effect.mapError(ioError("publish", target)),
        Effect.tapError(() => fs.remove(tmp).pipe(Effect.ignore))
      )
      out.push(target)
    }
    return out
  })

export type { CacheIoError }
