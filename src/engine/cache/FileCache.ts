/**
 * The file-system implementation of the `Cache` service: the concept modules of this folder
 * (layout, entries, staging, locks, checkpoints, run records, gc) assembled on one directory.
 *
 * @module FileCache
 */
import * as Effect from "effect/Effect"
import type * as Cache from "../Cache.js"
import * as Checkpoints from "./Checkpoints.js"
import * as Entries from "./Entries.js"
import * as Gc from "./Gc.js"
import * as Layout from "./Layout.js"
import * as Locks from "./Locks.js"
import * as RunRecords from "./RunRecords.js"
import * as Staging from "./Staging.js"

/** Builds the cache on `options.dir` (needs FileSystem and Path). */
export const make = (options: Cache.Options) =>
  Effect.gen(function* () {
    const layout = yield* Layout.make(options.dir)
    const entries = yield* Entries.make(layout)
    const locks = yield* Locks.make(layout, options.lockStaleMs ?? 10_000)
    return {
      ...entries,
      dir: layout.dir,
      layout,
      lockStaleMs: locks.staleMs,
      entryDir: layout.entry,
      artifactPath: layout.artifact,
      stage: yield* Staging.make(layout),
      lock: locks.lock,
      isLocked: locks.isLocked,
      checkpoints: yield* Checkpoints.make(layout),
      runs: yield* RunRecords.make(layout),
      gc: yield* Gc.make(layout, entries, locks)
    } satisfies Cache.Cache
  })
