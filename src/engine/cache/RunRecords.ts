/**
 * Run records: one side file per run or sweep, `.runs/<started>-<pid>-<rand>.json`, written when the
 * run starts (status "running") and rewritten when it ends ("done", "failed" or "interrupted"). A
 * record holds what the run was asked (pipeline, `--set`, `--sweep`), the key of every node, and
 * this run's own facts: each node's status (cached, ran, resumed) and seconds, what it published.
 * Timings and statuses live here, not in the cached artifacts, so one key always holds one set of
 * bytes. `pipeline runs` lists them; `status`, `show --last` and `gc` read them.
 *
 * @module RunRecords
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { CacheIoError } from "../Errors.js"
import * as SideFile from "../SideFile.js"
import type { Layout } from "./Layout.js"

/** One node of a recorded run. */
export const RecordedNode = Schema.Struct({
  name: Schema.String,
  key: Schema.String,
  /** cached, ran, resumed (absent while it has not finished, or when the run stopped before it). */
  status: Schema.optional(Schema.String),
  seconds: Schema.optional(Schema.Number)
})
export type RecordedNode = typeof RecordedNode.Type

/** A swept axis as the user gave it (`--sweep key=values`). */
export const SweepAxis = Schema.Struct({ key: Schema.String, values: Schema.Array(Schema.String) })

/** A run record. */
export const RunRecord = Schema.Struct({
  version: Schema.Literal(1),
  id: Schema.String,
  pipeline: Schema.String,
  kind: Schema.Literal("run", "sweep"),
  /** The `--set key=value` arguments. */
  sets: Schema.Array(Schema.String),
  /** A sweep's axes (kind "sweep"). */
  sweep: Schema.optional(Schema.Array(SweepAxis)),
  /** The number of members of a sweep. */
  members: Schema.optional(Schema.Number),
  /** The name it was asked by when not the pipeline's: a named sweep's (`compare-rules`). */
  name: Schema.optional(Schema.String),
  /** The run's Schema-encoded pipeline params (kind "run"). */
  params: Schema.optional(Schema.Unknown),
  startedAt: Schema.String,
  finishedAt: Schema.optional(Schema.String),
  status: Schema.Literal("running", "done", "failed", "interrupted"),
  host: Schema.String,
  pid: Schema.Number,
  nodes: Schema.Array(RecordedNode),
  published: Schema.Array(Schema.String),
  /** The main published report, if any. */
  report: Schema.optional(Schema.String),
  error: Schema.optional(Schema.String)
})
export type RunRecord = typeof RunRecord.Type

/** The run records of a cache. */
export interface RunRecords {
  /** Writes a record (a new one, or the update of one with the same id). */
  readonly write: (record: RunRecord) => Effect.Effect<void, CacheIoError>
  /** Records, newest first (damaged ones are moved aside with a warning and skipped). */
  readonly list: (filter?: Filter) => Effect.Effect<ReadonlyArray<RunRecord>>
  /** Removes a record (gc); a missing one is no error. */
  readonly remove: (id: string) => Effect.Effect<void>
  /** The newest record matching the filter. */
  readonly latest: (filter?: Filter) => Effect.Effect<Option.Option<RunRecord>>
}

/** Which records to list. */
export interface Filter {
  readonly pipeline?: string
  readonly kind?: RunRecord["kind"]
  /** The name a run is filed under: its `name` (a named sweep's) or else its pipeline's. */
  readonly filedAs?: string
}

/** The name a record is filed under: a named sweep's name, else its pipeline's. */
export const filedAs = (r: RunRecord): string => r.name ?? r.pipeline

/** A fresh record id: sortable by start time. */
export const newId = (startedAt: Date): string =>
  `${startedAt.toISOString().replace(/[-:.]/g, "").replace("T", "-")}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`

/** The run records of a cache layout. */
export const make = (layout: Layout) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const services = yield* Effect.context<FileSystem.FileSystem | Path.Path>()
    const fileOf = (id: string) => `${layout.runs}/${id}.json`
    const write: RunRecords["write"] = (record) =>
      SideFile.write(fileOf(record.id), RunRecord, record).pipe(Effect.provide(services))
    const list: RunRecords["list"] = (filter = {}) =>
      Effect.gen(function* () {
        const names = yield* fs.readDirectory(layout.runs).pipe(Effect.orElseSucceed((): Array<string> => []))
        const out: Array<RunRecord> = []
        for (const name of names
          .filter((n) => n.endsWith(".json"))
          .sort()
          .reverse()) {
          const record = yield* SideFile.read(`${layout.runs}/${name}`, RunRecord, {
            corruptDir: layout.corrupt,
            what: "The run record"
          })
          if (Option.isNone(record)) continue
          const r = record.value
          if (filter.pipeline !== undefined && r.pipeline !== filter.pipeline) continue
          if (filter.kind !== undefined && r.kind !== filter.kind) continue
          if (filter.filedAs !== undefined && filedAs(r) !== filter.filedAs) continue
          out.push(r)
        }
        return out
      }).pipe(Effect.provide(services))
    const latest: RunRecords["latest"] = (filter) =>
      Effect.map(list(filter), (records) => Option.fromNullable(records[0]))
    const remove: RunRecords["remove"] = (id) => fs.remove(fileOf(id)).pipe(Effect.ignore)
    return { write, list, latest, remove } satisfies RunRecords
  })
