/**
 * The catalog: what `pipeline list` prints (the pipelines, their stages, the committed sweeps),
 * kept beside the build in `dist/.catalog.json` so that `list` answers without importing the
 * pipeline registry (its stages load d3, jsdom and mathjs). The build (bin/build.mjs) and every full
 * `list` write it; it is used only while the build stamp, the registry and the sweep files (names,
 * sizes, mtimes) are the ones it was written for. Imports only node: it runs before Effect loads.
 *
 * @module Catalog
 */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"

/** A pipeline as `list` shows it. */
export interface PipelineEntry {
  readonly name: string
  readonly description: string
  readonly stages: ReadonlyArray<string>
  readonly sweepable: boolean
}

/** A committed sweep as `list` shows it. */
export interface SweepEntry {
  readonly name: string
  readonly file: string
  readonly pipeline: string
  readonly description: string
  readonly axes: ReadonlyArray<string>
  readonly members: number
}

/** What `list` prints. */
export interface Listing {
  readonly pipelines: ReadonlyArray<PipelineEntry>
  readonly sweeps: ReadonlyArray<SweepEntry>
}

interface Stored {
  readonly version: 1
  readonly stamp: string
  readonly registry: string
  readonly sweepFiles: string
  readonly listing: Listing
}

const path = (root: string) => join(root, "dist", ".catalog.json")

const read = (file: string) => {
  try {
    return readFileSync(file, "utf8")
  } catch {
    return undefined
  }
}

/** Names, sizes and mtimes of the sweep files: a catalog written for other files is not used. */
const sweepFiles = (root: string) => {
  try {
    return readdirSync(join(root, "sweeps"))
      .sort()
      .map((n) => {
        const st = statSync(join(root, "sweeps", n))
        return `${n}:${st.size}:${st.mtimeMs}`
      })
      .join("|")
  } catch {
    return ""
  }
}

/** The stored listing, if it was written for this build, registry and sweep files. */
export const load = (root: string, registry: string): Listing | undefined => {
  const text = read(path(root))
  if (text === undefined) return undefined
  try {
    const stored = JSON.parse(text) as Stored
    if (
      stored.version !== 1 ||
      stored.stamp !== read(join(root, "dist", ".stamp")) ||
      stored.registry !== registry ||
      stored.sweepFiles !== sweepFiles(root)
    ) {
      return undefined
    }
    return stored.listing
  } catch {
    return undefined
  }
}

/** Stores the listing for this build (best effort: a read-only dist/ only costs speed). */
export const save = (root: string, registry: string, listing: Listing): void => {
  const stamp = read(join(root, "dist", ".stamp"))
  if (stamp === undefined) return
  const stored: Stored = { version: 1, stamp, registry, sweepFiles: sweepFiles(root), listing }
  try {
    const tmp = `${path(root)}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(stored))
    renameSync(tmp, path(root))
  } catch {
    // not writable: the next list computes it again
  }
}

/** `pipeline list` as text or JSON. */
export const render = (listing: Listing, json: boolean): string => {
  if (json) return `${JSON.stringify(listing)}\n`
  if (listing.pipelines.length === 0) return "No pipelines are registered (pipelines/index.ts).\n"
  return `${[
    ...listing.pipelines.map(
      (r) =>
        `${r.name}\n  ${r.description}\n  stages: ${r.stages.join(", ")}${r.sweepable ? "\n  sweepable (--sweep)" : ""}`
    ),
    ...listing.sweeps.map(
      (s) =>
        `${s.name} (sweep of ${s.pipeline}, ${s.members} members: ${s.file})\n  ${s.description}\n  --sweep ${s.axes.join(" --sweep ")}`
    )
  ].join("\n\n")}\n`
}
