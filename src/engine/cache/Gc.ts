/**
 * Garbage collection: removes the entries a caller does not keep, and the leftovers (entries moved
 * aside as corrupt, temporary folders of dead writers, orphaned checkpoints, locks of dead
 * processes, registrations of runs that are no longer live). Nothing in use is touched:
 *
 * - every key of a live run's plan is kept (`LiveRuns.ts`), whatever the caller keeps, and the
 *   registrations are looked at again before each removal, so a run that starts during a long gc
 *   is protected from then on;
 * - an entry is removed only under its own lock (a key being computed is skipped);
 * - a checkpoint or temporary folder whose key is locked, or that is kept, stays.
 *
 * Every kept entry is reported with the reasons that keep it, so `gc --dry-run` shows what it would
 * remove, what it keeps and why.
 *
 * @module Gc
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { type CacheIoError, ioError } from "../Errors.js"
import type * as Entries from "./Entries.js"
import { isKey, type Layout } from "./Layout.js"
import * as Liveness from "./Liveness.js"
import type * as LiveRuns from "./LiveRuns.js"
import type { Locks } from "./Locks.js"

/** What to keep. */
export interface GcOptions {
  /** Keys to keep (with their checkpoints), each with the reasons (e.g. "recent run …"). */
  readonly keep: ReadonlyMap<string, ReadonlyArray<string>>
  readonly dryRun: boolean
}

/** An entry gc keeps, and why. */
export interface Kept {
  readonly key: string
  readonly reasons: ReadonlyArray<string>
}

/** What was (or, in a dry run, would be) removed, kept, and skipped because it is in use. */
export interface GcReport {
  readonly removed: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<string>
  /** The entries of the cache that are kept, with why. */
  readonly kept: ReadonlyArray<Kept>
  /** The live runs found (they keep every key of their plan). */
  readonly live: ReadonlyArray<{ readonly id: string; readonly pipeline: string; readonly why: string }>
}

/** The pid in a leftover's name `<…>.<pid>.<rand>` at `index` from the end (-2: `….<pid>.<rand>`). */
const pidIn = (name: string, index: number): number => Number(name.split(".").at(index))

/** Whether the process that made a leftover named with its pid (on this host) still runs. */
const writerAlive = (pid: number): boolean => pid !== process.pid && Liveness.pidAlive(pid)

/** The collector of a cache layout. */
export const make = (layout: Layout, entries: Entries.Entries, locks: Locks, live: LiveRuns.Registry) =>
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

        // What keeps each key: the caller's reasons, then every live run's.
        const reasons = new Map<string, Array<string>>()
        const keepFor = (key: string, why: string) => {
          const list = reasons.get(key)
          if (list === undefined) reasons.set(key, [why])
          else if (!list.includes(why)) list.push(why)
        }
        for (const [key, why] of options.keep) for (const w of why) keepFor(key, w)
        const liveRuns: Array<GcReport["live"][number]> = []
        const seenNames = new Set<string>()
        /** Reads the registrations not seen yet; live ones keep their keys, dead ones are leftovers. */
        const lookAtRegistrations = Effect.gen(function* () {
          const fresh = (yield* live.names).filter((n) => !seenNames.has(n))
          for (const n of fresh) seenNames.add(n)
          for (const seen of yield* live.read(fresh)) {
            const r = seen.registration
            if (seen.live) {
              liveRuns.push({ id: r.id, pipeline: r.pipeline, why: seen.why })
              for (const key of r.keys) keepFor(key, `live run ${r.id} of ${r.pipeline} (${seen.why})`)
            } else {
              yield* rm(seen.file)
            }
          }
        })
        yield* lookAtRegistrations

        for (const key of yield* entries.keys) {
          // A run that started since: its registration protects its keys from now on.
          yield* lookAtRegistrations
          if (reasons.has(key)) continue
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
          if (!isKey(name) || reasons.has(name)) continue
          if (yield* locks.isLocked(name)) skipped.push(`${layout.checkpoints}/${name}`)
          else yield* rm(`${layout.checkpoints}/${name}`)
        }
        for (const name of yield* listOf(layout.tmp)) {
          // A staging folder is `<key>.<pid>.<rand>`: its writer holds the key's lock, and, should
          // that lock have gone stale under load, a writer still alive on this host keeps it too.
          if ((yield* locks.isLocked(name.slice(0, 64))) || writerAlive(pidIn(name, 1))) {
            skipped.push(`${layout.tmp}/${name}`)
          } else yield* rm(`${layout.tmp}/${name}`)
        }
        for (const name of yield* listOf(layout.locks)) {
          const key = name.slice(0, 64)
          if (!isKey(key)) continue
          if (name === `${key}.lock`) {
            // A lock of a dead process (killed between its commit and its release): cleared.
            if (!(yield* locks.isLocked(key))) {
              removed.push(`${layout.locks}/${name}`)
              if (!options.dryRun) yield* locks.reap(key)
            }
          } else if (name.startsWith(`${key}.lock.released.`) && !writerAlive(pidIn(name, -2))) {
            // A released lock whose removal a kill interrupted.
            yield* rm(`${layout.locks}/${name}`)
          }
        }
        for (const name of yield* listOf(layout.computations)) {
          const key = name.replace(/\.jsonl$/, "")
          if (isKey(key) && !reasons.has(key) && removed.includes(layout.entry(key))) {
            yield* rm(`${layout.computations}/${name}`)
          }
        }
        const present = new Set(yield* entries.keys.pipe(Effect.orElseSucceed(() => [] as ReadonlyArray<string>)))
        const kept = [...reasons]
          .filter(([key]) => present.has(key))
          .map(([key, why]) => ({ key, reasons: why }))
          .sort((a, b) => (a.key < b.key ? -1 : 1))
        return { removed, skipped, kept, live: liveRuns }
      })
  })
