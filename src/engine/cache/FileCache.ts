/**
 * The file-system implementation of the `Cache` service: the concept modules of this folder
 * (layout, entries, staging, locks, checkpoints, run records, gc) assembled on one directory.
 *
 * @module FileCache
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Cache from "../Cache.js"
import * as Checkpoints from "./Checkpoints.js"
import * as Entries from "./Entries.js"
import * as Gc from "./Gc.js"
import * as Layout from "./Layout.js"
import * as LiveRuns from "./LiveRuns.js"
import * as Locks from "./Locks.js"
import * as RunRecords from "./RunRecords.js"
import * as Staging from "./Staging.js"

/** Builds the cache on `options.dir` (needs FileSystem and Path). */
export const make = (options: Cache.Options) =>
  Effect.gen(function* () {
    const layout = yield* Layout.make(options.dir)
    const entries = yield* Entries.make(layout)
    const locks = yield* Locks.make(layout, options.lockStaleMs ?? 10_000)
    const live = yield* LiveRuns.make(layout, {
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs })
    })
    /**
     * Under the key's lock (skipped when another process holds it: it is computing or replacing the
     * entry), and only when a full check still fails: a reader that raced a `--rerun` commit must not
     * move the fresh entry aside.
     */
    const quarantine: Cache.Cache["quarantine"] = (key) =>
      Effect.scoped(
        Effect.gen(function* () {
          const lock = yield* Effect.either(locks.lock(key))
          if (Either.isLeft(lock)) return Option.none<string>()
          const corrupt = yield* entries.verify(key, { deep: true }).pipe(
            Effect.as(false),
            Effect.catchTag("CacheEntryCorruptError", () => Effect.succeed(true)),
            Effect.orElseSucceed(() => false)
          )
          return corrupt ? yield* entries.quarantine(key) : Option.none<string>()
        })
      )
    return {
      ...entries,
      quarantine,
      dir: layout.dir,
      layout,
      lockStaleMs: locks.staleMs,
      entryDir: layout.entry,
      artifactPath: layout.artifact,
      stage: yield* Staging.make(layout),
      lock: locks.lock,
      isLocked: locks.isLocked,
      reapLock: locks.reap,
      checkpoints: yield* Checkpoints.make(layout),
      runs: yield* RunRecords.make(layout),
      live,
      gc: yield* Gc.make(layout, entries, locks, live)
    } satisfies Cache.Cache
  })
