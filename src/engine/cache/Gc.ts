/**
 * Garbage collection: removes the entries a caller does not keep, and the leftovers (entries moved
 * aside as corrupt, temporary folders of dead writers, orphaned checkpoints, stale locks). Nothing
 * in use is touched: an entry is removed only under its own lock (a key being computed is skipped),
 * and a checkpoint or temporary folder whose key is locked, or that the caller keeps (e.g. the key
 * of a resumable run), stays.
 *
 * @module Gc
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { type CacheIoError, ioError } from "../Errors.js"
import type * as Entries from "./Entries.js"
import { isKey, type Layout } from "./Layout.js"
import type { Locks } from "./Locks.js"

/** What to keep. */
export interface GcOptions {
  /** Entries (and their checkpoints) to keep. */
  readonly keep: ReadonlySet<string>
  readonly dryRun: boolean
}

/** What was (or, in a dry run, would be) removed, and what was skipped because it is in use. */
export interface GcReport {
  readonly removed: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<string>
}

/** The collector of a cache layout. */
export const make = (layout: Layout, entries: Entries.Entries, locks: Locks) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const listOf = (dir: string) => fs.readDirectory(dir).pipe(Effect.orElseSucceed((): Array<string> => []))

    return (options: GcOptions): Effect.Effect<GcReport, CacheIoError> =>
      Effect.gen(function* () {
        const removed: Array<string> = []
        const skipped: Array<string> = []
        const rm = (p: string) =>
          Effect.gen(function* () {
            removed.push(p)
            if (!options.dryRun) yield* fs.remove(p, { recursive: true }).pipe(Effect.mapError(ioError("remove", p)))
          })
        for (const key of yield* entries.keys) {
          if (options.keep.has(key)) continue
          if (options.dryRun) {
            if (yield* locks.isLocked(key)) skipped.push(layout.entry(key))
            else removed.push(layout.entry(key))
            continue
          }
          // Under the key's lock: a process computing (or about to replace) the entry keeps it.
          const taken = yield* Effect.scoped(
            Effect.either(locks.lock(key)).pipe(
              Effect.flatMap((lock) =>
                Either.isLeft(lock) ? Effect.succeed(false) : Effect.as(entries.remove(key), true)
              )
            )
          )
          if (taken) removed.push(layout.entry(key))
          else skipped.push(layout.entry(key))
        }
        for (const name of yield* listOf(layout.corrupt)) yield* rm(`${layout.corrupt}/${name}`)
        for (const name of yield* listOf(layout.checkpoints)) {
          if (!isKey(name) || options.keep.has(name)) continue
          if (yield* locks.isLocked(name)) skipped.push(`${layout.checkpoints}/${name}`)
          else yield* rm(`${layout.checkpoints}/${name}`)
        }
        for (const name of yield* listOf(layout.tmp)) {
          if (yield* locks.isLocked(name.slice(0, 64))) skipped.push(`${layout.tmp}/${name}`)
          else yield* rm(`${layout.tmp}/${name}`)
        }
        for (const name of yield* listOf(layout.computations)) {
          const key = name.replace(/\.jsonl$/, "")
          if (isKey(key) && !options.keep.has(key) && removed.includes(layout.entry(key))) {
            yield* rm(`${layout.computations}/${name}`)
          }
        }
        return { removed, skipped }
      })
  })
