/**
 * Per-key cross-process locks, with proper-lockfile: a lock is an atomic `mkdir` (safe on NFS, which
 * the distributed runner relies on) whose mtime its holder refreshes; a lock not refreshed for
 * `staleMs` (its holder was `kill -9`ed or its machine died) is stale and taken over. No native
 * code, no server. A lock lost while held (compromised: another process took it over) is reported
 * by {@link Lock.check}, and the holder must not commit.
 *
 * @module Locks
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { LockError } from "../Errors.js"
import type { Layout } from "./Layout.js"

/** A held lock. */
export interface Lock {
  /** Fails with `LockError` "Compromised" when the lock was lost since it was taken. */
  readonly check: Effect.Effect<void, LockError>
}

/** The lock operations of a cache. */
export interface Locks {
  /** Age (ms) after which an unrefreshed lock is taken over. */
  readonly staleMs: number
  /**
   * Takes the lock of a key for the scope. Fails with `LockError` "Held" when another live
   * process holds it (callers poll).
   */
  readonly lock: (key: string) => Effect.Effect<Lock, LockError, Scope.Scope>
  /** Whether a live process holds the key's lock now. */
  readonly isLocked: (key: string) => Effect.Effect<boolean>
}

const lockfile = Effect.promise(() => import("proper-lockfile"))

/** The locks of a cache layout. */
export const make = (layout: Layout, staleMs: number) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const stale = Math.max(2000, staleMs)

    const lock: Locks["lock"] = (key) =>
      Effect.gen(function* () {
        const lib = yield* lockfile
        yield* fs
          .makeDirectory(layout.locks, { recursive: true })
          .pipe(Effect.mapError((e) => new LockError({ key, reason: "Other", detail: e.message })))
        let compromised: string | undefined
        yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: () =>
              lib.lock(layout.lock(key), {
                realpath: false,
                stale,
                update: Math.floor(stale / 4),
                retries: 0,
                onCompromised: (e) => {
                  compromised = String(e?.message ?? e)
                }
              }),
            catch: (e) =>
              (e as { code?: string }).code === "ELOCKED"
                ? new LockError({ key, reason: "Held", detail: "another process is computing it" })
                : new LockError({ key, reason: "Other", detail: String((e as Error).message ?? e) })
          }),
          (release) => Effect.promise(() => release().catch(() => undefined))
        )
        const check = Effect.suspend(() =>
          compromised === undefined
            ? Effect.void
            : Effect.fail(new LockError({ key, reason: "Compromised", detail: compromised }))
        )
        return { check } satisfies Lock
      })

    const isLocked: Locks["isLocked"] = (key) =>
      Effect.flatMap(lockfile, (lib) =>
        Effect.promise(() => lib.check(layout.lock(key), { realpath: false, stale }).catch(() => false))
      )

    return { staleMs: stale, lock, isLocked } satisfies Locks
  })
