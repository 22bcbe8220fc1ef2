/**
 * Per-key cross-process locks, with proper-lockfile: a lock is an atomic `mkdir` (safe on NFS, which
 * the distributed runner relies on) whose mtime its holder refreshes; a lock not refreshed for
 * `staleMs` (its holder was `kill -9`ed or its machine died) is stale and taken over. No native
 * code, no server. A lock lost while held (compromised: another process took it over) is reported
 * by {@link Lock.check}, and the holder must not commit.
 *
 * Each lock folder (`.locks/<key>.lock/`) holds its owner (`owner.json`: host, pid, a random
 * token), written in the same step as the `mkdir` (through the `fs` proper-lockfile is given), so a
 * lock whose owner is known dead (same host, pid gone) is cleared by the next process that meets it
 * ({@link Locks.reap}) without waiting for it to go stale, even by a run that only serves the
 * entry from the cache (a `kill -9` between an entry's commit and its lock's release leaves such a
 * lock). A lock is removed by renaming its folder away first (one atomic step: a kill halfway
 * leaves a `.released` folder, never a half lock), and a removal that finds it moved someone
 * else's fresh lock puts it back. Anything at a lock's path that is not a folder (a file, a
 * dangling symlink, a FIFO) is damage: it is moved to `.corrupt/` with a warning, then locked.
 *
 * @module Locks
 */
import * as nodeFs from "node:fs"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { LockError } from "../Errors.js"
import * as Inspect from "./Inspect.js"
import type { Layout } from "./Layout.js"
import * as Liveness from "./Liveness.js"

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
   * Takes the lock of a key for the scope (clearing first a dead owner's). Fails with `LockError`
   * "Held" when another live process holds it (callers poll).
   */
  readonly lock: (key: string) => Effect.Effect<Lock, LockError, Scope.Scope>
  /** Whether a live process holds the key's lock now. */
  readonly isLocked: (key: string) => Effect.Effect<boolean>
  /**
   * Clears the key's lock if its owner is known dead or it went stale, and moves aside whatever
   * stands at its path that is not a lock folder; true when something was cleared.
   */
  readonly reap: (key: string) => Effect.Effect<boolean>
}

/** The owner record inside a lock folder. */
interface OwnerRecord extends Liveness.Owner {
  readonly token: string
}

const OWNER = "owner.json"
const lockfile = Effect.promise(() => import("proper-lockfile"))
const random = () => Math.random().toString(36).slice(2, 10)

/** The owner written in a lock folder, if it reads as one. */
const readOwner = (dir: string): OwnerRecord | undefined => {
  try {
    // Non-blocking: a FIFO put there by damage must not hang the reader.
    const fd = nodeFs.openSync(`${dir}/${OWNER}`, nodeFs.constants.O_RDONLY | nodeFs.constants.O_NONBLOCK)
    try {
      if (!nodeFs.fstatSync(fd).isFile()) return undefined
      const buffer = Buffer.alloc(512)
      const n = nodeFs.readSync(fd, buffer, 0, buffer.length, 0)
      const o = JSON.parse(buffer.subarray(0, n).toString("utf8")) as Partial<OwnerRecord>
      return typeof o.host === "string" && typeof o.pid === "number" && typeof o.token === "string"
        ? { host: o.host, pid: o.pid, token: o.token }
        : undefined
    } finally {
      nodeFs.closeSync(fd)
    }
  } catch {
    return undefined
  }
}

/** The locks of a cache layout. */
export const make = (layout: Layout, staleMs: number) =>
  Effect.gen(function* () {
    const stale = Math.max(2000, staleMs)
    const folder = (key: string) => `${layout.lock(key)}.lock`
    /** The tokens of the locks this process holds, by folder. */
    const ours = new Map<string, string>()
    const isStale = (mtimeMs: number) => mtimeMs < Date.now() - stale

    /**
     * Removes the lock folder `dir` if it is still the one we decided to remove (same owner token,
     * or still stale): renamed away first, then checked, put back if it was a fresh one.
     */
    const removeIf = (dir: string, expected: (moved: string) => boolean): NodeJS.ErrnoException | undefined => {
      const away = `${dir}.released.${process.pid}.${random()}`
      try {
        nodeFs.renameSync(dir, away)
      } catch (e) {
        const err = e as NodeJS.ErrnoException
        return err.code === "ENOENT" ? undefined : err
      }
      if (!expected(away)) {
        try {
          nodeFs.renameSync(away, dir)
          return Object.assign(new Error("Lock file is already being held"), { code: "ELOCKED" })
        } catch {
          // A third process locked meanwhile: the one we moved lost its lock and sees it compromised.
        }
      }
      nodeFs.rmSync(away, { recursive: true, force: true })
      return undefined
    }
    const removeSync = (dir: string) => {
      const token = ours.get(dir)
      ours.delete(dir)
      const err = removeIf(dir, (moved) => {
        const owner = readOwner(moved)
        if (token !== undefined && owner?.token === token) return true
        try {
          return isStale(nodeFs.statSync(moved).mtimeMs)
        } catch {
          return true
        }
      })
      if (err !== undefined) throw err
    }

    /**
     * The `fs` proper-lockfile works through: `mkdir` writes the owner record in the new folder (before
     * proper-lockfile reads its mtime), and `rmdir` (release, stale takeover, exit) removes a folder
     * that holds one, checking that it removes the lock it means to.
     */
    const lockFs = {
      ...nodeFs,
      mkdir: (dir: string, callback: (err: NodeJS.ErrnoException | null) => void) =>
        nodeFs.mkdir(dir, (err) => {
          if (err !== null) return callback(err)
          const token = random()
          try {
            nodeFs.writeFileSync(`${dir}/${OWNER}`, JSON.stringify({ ...Liveness.self(), token }))
          } catch {
            // An ownerless lock is still a lock: it goes stale by its mtime like any other.
          }
          ours.set(dir, token)
          callback(null)
        }),
      rmdir: (dir: string, callback: (err: NodeJS.ErrnoException | null) => void) => {
        try {
          removeSync(dir)
          callback(null)
        } catch (e) {
          callback(e as NodeJS.ErrnoException)
        }
      },
      rmdirSync: (dir: string) => removeSync(dir)
    }

    /** Moves a non-folder at a lock's path to `.corrupt/`, with a warning. */
    const moveDamaged = (key: string, found: Inspect.Kind) =>
      Effect.gen(function* () {
        const target = `${layout.corrupt}/${key}.lock.${Date.now()}.${process.pid}`
        const moved = yield* Effect.sync(() => {
          try {
            nodeFs.mkdirSync(layout.corrupt, { recursive: true })
            nodeFs.renameSync(folder(key), target)
            return true
          } catch {
            return false
          }
        })
        if (moved) {
          yield* Effect.logWarning(
            `The lock ${folder(key)} was a ${found}, not a lock folder; it was moved to ${target}.`
          )
        }
        return moved
      })

    /** Makes sure `.locks` is a folder (damage may have put a file there). */
    const locksFolder = (key: string) =>
      Effect.gen(function* () {
        const found = yield* Inspect.kind(layout.locks)
        if (found === "directory") return
        if (found !== "missing") {
          const target = `${layout.corrupt}/.locks.${Date.now()}.${process.pid}`
          yield* Effect.sync(() => {
            try {
              nodeFs.mkdirSync(layout.corrupt, { recursive: true })
              nodeFs.renameSync(layout.locks, target)
            } catch {
              // Another process moved it first.
            }
          })
          yield* Effect.logWarning(`The lock folder ${layout.locks} was a ${found}; it was moved to ${target}.`)
        }
        yield* Effect.try({
          try: () => nodeFs.mkdirSync(layout.locks, { recursive: true }),
          catch: (e) => new LockError({ key, reason: "Other", detail: String((e as Error).message ?? e) })
        })
      })

    const reap: Locks["reap"] = (key) =>
      Effect.gen(function* () {
        const dir = folder(key)
        const found = yield* Inspect.kind(dir)
        if (found === "missing" || found === "unreadable") return false
        if (found !== "directory") return yield* moveDamaged(key, found)
        return yield* Effect.sync(() => {
          if (ours.has(dir)) return false
          const owner = readOwner(dir)
          let mtimeMs: number
          try {
            mtimeMs = nodeFs.statSync(dir).mtimeMs
          } catch {
            return false
          }
          const dead = owner !== undefined && owner.pid !== process.pid && Liveness.knownDead(owner)
          if (!dead && !isStale(mtimeMs)) return false
          const err = removeIf(dir, (moved) => {
            const now = readOwner(moved)
            if (owner !== undefined) return now?.token === owner.token
            try {
              return now === undefined && isStale(nodeFs.statSync(moved).mtimeMs)
            } catch {
              return true
            }
          })
          return err === undefined
        })
      })

    const lock: Locks["lock"] = (key) =>
      Effect.gen(function* () {
        const lib = yield* lockfile
        yield* locksFolder(key)
        yield* reap(key)
        let compromised: string | undefined
        yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: () =>
              lib.lock(layout.lock(key), {
                realpath: false,
                stale,
                update: Math.floor(stale / 4),
                retries: 0,
                fs: lockFs,
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
      Effect.sync(() => {
        const dir = folder(key)
        if (ours.has(dir)) return true
        let info: nodeFs.Stats
        try {
          info = nodeFs.lstatSync(dir)
        } catch {
          return false
        }
        if (!info.isDirectory()) return false
        const owner = readOwner(dir)
        if (owner !== undefined && owner.pid !== process.pid && Liveness.knownDead(owner)) return false
        return !isStale(info.mtimeMs)
      })

    return { staleMs: stale, lock, isLocked, reap } satisfies Locks
  })
