/**
 * Live runs: every run the scheduler walks (local, BullMQ, any runner) registers itself in
 * `.live/<id>.json` with its process (host, pid), the keys of its whole plan (those already
 * written and those still to come) and a heartbeat it refreshes while it runs; it removes the
 * file when it ends, however it ends. `gc` keeps every key of a live registration, so it can never
 * remove an entry a running run has served or is about to read.
 *
 * A registration is live unless its process is known dead (this host, pid gone) or its heartbeat
 * stopped for {@link Registry.staleMs} (another host's process that died, or a frozen one). A
 * registration that is not live is a leftover of a killed run: its run record stays "unfinished"
 * and `gc` keeps that run's keys through the record. Registrations are side files: a damaged one
 * is moved aside with a warning (and, unreadable, keeps nothing; its run's record still does).
 *
 * @module LiveRuns
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as SideFile from "../SideFile.js"
import type { Layout } from "./Layout.js"
import * as Liveness from "./Liveness.js"

/** A registration file. */
export const Registration = Schema.Struct({
  version: Schema.Literal(1),
  /** The run record's id (or a fresh id for an unrecorded run). */
  id: Schema.String,
  pipeline: Schema.String,
  host: Schema.String,
  pid: Schema.Number,
  startedAt: Schema.String,
  /** Refreshed every {@link Registry.heartbeatMs} while the run goes on. */
  heartbeatAt: Schema.String,
  /** Every key of the run's plan. */
  keys: Schema.Array(Schema.String)
})
export type Registration = typeof Registration.Type

/** A registration and what gc concludes from it. */
export interface Seen {
  readonly registration: Registration
  readonly file: string
  readonly live: boolean
  /** Why it is, or is not, live ("pid 123 on h, heartbeat 2 s ago"). */
  readonly why: string
}

/** The live-run registry of a cache. */
export interface Registry {
  readonly heartbeatMs: number
  /** A heartbeat older than this means the run is not live. */
  readonly staleMs: number
  /** Registers a run for the scope (written now, refreshed in the background, removed at the end). */
  readonly register: (run: {
    readonly id: string
    readonly pipeline: string
    readonly keys: ReadonlyArray<string>
  }) => Effect.Effect<void, never, Scope.Scope>
  /** Every registration, with its liveness. */
  readonly list: Effect.Effect<ReadonlyArray<Seen>>
  /** The names of the registration files (cheap: to notice a new run during a long gc). */
  readonly names: Effect.Effect<ReadonlyArray<string>>
  /** Reads the registrations with these file names. */
  readonly read: (names: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Seen>>
  /** Removes a registration file (gc, for one that is not live). */
  readonly remove: (file: string) => Effect.Effect<void>
}

/** Options of the registry. */
export interface Options {
  /** How often a live run refreshes its heartbeat (ms; default 10 000). */
  readonly heartbeatMs?: number
}

/** The registry of a cache layout. */
export const make = (layout: Layout, options: Options = {}) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const services = yield* Effect.context<FileSystem.FileSystem | Path.Path>()
    const heartbeatMs = Math.max(100, options.heartbeatMs ?? 10_000)
    // Six missed heartbeats, and never less than a minute: a busy machine delays timers, not by minutes.
    const staleMs = Math.max(60_000, 6 * heartbeatMs)
    const fileOf = (id: string) => `${layout.live}/${id}.json`
    const write = (r: Registration) =>
      // Atomic, not fsynced: a registration means nothing after a power loss (its run died with it).
      SideFile.write(fileOf(r.id), Registration, r, { durable: false }).pipe(Effect.provide(services), Effect.ignore)

    const register: Registry["register"] = (run) =>
      Effect.gen(function* () {
        const me = Liveness.self()
        const base: Registration = {
          version: 1,
          id: run.id,
          pipeline: run.pipeline,
          host: me.host,
          pid: me.pid,
          startedAt: new Date().toISOString(),
          heartbeatAt: new Date().toISOString(),
          keys: [...new Set(run.keys)]
        }
        yield* Effect.acquireRelease(write(base), () => fs.remove(fileOf(run.id)).pipe(Effect.ignore))
        yield* Effect.forkScoped(
          Effect.suspend(() => write({ ...base, heartbeatAt: new Date().toISOString() })).pipe(
            Effect.delay(heartbeatMs),
            Effect.repeat(Schedule.forever)
          )
        )
      })

    const judge = (r: Registration, file: string): Seen => {
      const age = Date.now() - Date.parse(r.heartbeatAt)
      const where = `pid ${r.pid} on ${r.host}`
      if (Liveness.knownDead(r)) return { registration: r, file, live: false, why: `${where} is gone` }
      if (!(age <= staleMs)) {
        return {
          registration: r,
          file,
          live: false,
          why: `${where}: no heartbeat for ${Math.round(age / 1000)} s`
        }
      }
      return { registration: r, file, live: true, why: `${where}, heartbeat ${Math.round(age / 1000)} s ago` }
    }

    const names: Registry["names"] = fs.readDirectory(layout.live).pipe(
      Effect.map((all) => all.filter((n) => n.endsWith(".json")).sort()),
      Effect.orElseSucceed((): Array<string> => [])
    )
    const read: Registry["read"] = (files) =>
      Effect.gen(function* () {
        const out: Array<Seen> = []
        for (const name of files) {
          const file = `${layout.live}/${name}`
          const r = yield* SideFile.read(file, Registration, {
            corruptDir: layout.corrupt,
            what: "The live-run registration"
          })
          if (Option.isSome(r)) out.push(judge(r.value, file))
        }
        return out
      }).pipe(Effect.provide(services))
    const list: Registry["list"] = Effect.flatMap(names, read)
    const remove: Registry["remove"] = (file) => fs.remove(file).pipe(Effect.ignore)
    return { heartbeatMs, staleMs, register, list, names, read, remove } satisfies Registry
  })
