/**
 * Checkpoints of unfinished stage runs (DESIGN §7), under their key: `.checkpoints/<key>/ckpt-<n>/`
 * holds `state.json`, one `.npy` per array and `index.json` (the size and sha256 of each). A
 * checkpoint is written in a temporary folder, fsynced and renamed into place; older ones are then
 * removed. A write that fails (a full disk) removes its temporary folder. Loading takes the newest checkpoint that verifies: a damaged one (truncated, flipped,
 * an index that does not decode) is removed with a warning, and the next older one is tried.
 *
 * @module Checkpoints
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Canonical from "../Canonical.js"
import { type CacheIoError, ioError } from "../Errors.js"
import * as NdArray from "../NdArray.js"
import * as SideFile from "../SideFile.js"
import { syncDirectory } from "../SideFile.js"
import * as Inspect from "./Inspect.js"
import type { Layout } from "./Layout.js"
import { FileSum } from "./Manifest.js"

/** A saved checkpoint: the stage's JSON state and its arrays. */
export interface CheckpointData {
  readonly state: unknown
  readonly arrays: Readonly<Record<string, NdArray.NdArray>>
}

/** The checkpoints of one key. */
export interface CheckpointStore {
  /** The newest checkpoint that verifies, if any. */
  readonly load: Effect.Effect<Option.Option<CheckpointData>>
  readonly write: (
    state: unknown,
    arrays: Readonly<Record<string, NdArray.NdArray>>
  ) => Effect.Effect<void, CacheIoError>
  /** Whether any checkpoint folder exists (without verifying it). */
  readonly exists: Effect.Effect<boolean>
  readonly clear: Effect.Effect<void>
}

const Index = Schema.Struct({ state: FileSum, arrays: Schema.Record({ key: Schema.String, value: FileSum }) })

class Damaged extends Error {}

/** `checkpoints(key)` for a cache layout. */
export const make = (layout: Layout) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const services = yield* Effect.context<FileSystem.FileSystem | Path.Path>()
    const durable = (file: string, bytes: Uint8Array) =>
      SideFile.writeDurably(file, bytes).pipe(Effect.provide(services))

    return (key: string): CheckpointStore => {
      const base = layout.checkpoint(key)
      let seq = -1
      const list = fs.readDirectory(base).pipe(
        Effect.map((names) => names.filter((n) => /^ckpt-\d+$/.test(n)).sort()),
        Effect.orElseSucceed((): Array<string> => [])
      )
      /** A checkpoint file's bytes, non-blocking and regular only (a FIFO or a folder there is damage). */
      const readFile = (file: string, maxBytes?: number) =>
        Inspect.readRegular(file, maxBytes).pipe(
          Effect.mapError((e) =>
            e.found === "unreadable"
              ? { _tag: "SystemError" as const, reason: "PermissionDenied", message: `${file}: ${e.code}` }
              : new Damaged(`${file} is ${e.found === "missing" ? "missing" : `a ${e.found}`}`)
          )
        )
      const readChecked = (file: string, sum: FileSum) =>
        Effect.flatMap(readFile(file, sum.bytes), (bytes) =>
          bytes.length === sum.bytes && Canonical.sha256(bytes) === sum.sha256
            ? Effect.succeed(bytes)
            : Effect.fail(new Damaged(`${file} does not match its checksum`))
        )
      const readOne = (dir: string) =>
        Effect.gen(function* () {
          const indexText = new TextDecoder().decode(yield* readFile(`${dir}/index.json`, 2 ** 20))
          const index = yield* Effect.try(() => JSON.parse(indexText) as unknown).pipe(
            Effect.flatMap(Schema.decodeUnknown(Index))
          )
          const stateBytes = yield* readChecked(`${dir}/state.json`, index.state)
          const arrays: Record<string, NdArray.NdArray> = {}
          for (const [name, sum] of Object.entries(index.arrays)) {
            const bytes = yield* readChecked(`${dir}/${name}.npy`, sum)
            arrays[name] = yield* Effect.try(() => NdArray.decodeNpy(bytes))
          }
          const state = yield* Effect.try(() => JSON.parse(new TextDecoder().decode(stateBytes)) as unknown)
          return { state, arrays } satisfies CheckpointData
        })
      /**
       * The key's checkpoint folder, if what stands there is one: a file, a link or a FIFO in its
       * place is damage, moved to `.corrupt/` with a warning (else every later write would fail).
       */
      const usableBase = Effect.gen(function* () {
        const found = yield* Inspect.kind(base)
        if (found === "directory" || found === "missing" || found === "unreadable") return
        const aside = `${layout.corrupt}/checkpoints-${key}.${Date.now()}.${process.pid}`
        const moved = yield* SideFile.makeDirectories(layout.corrupt).pipe(
          Effect.zipRight(fs.rename(base, aside)),
          Effect.as(true),
          Effect.orElseSucceed(() => false),
          Effect.provide(services)
        )
        yield* Effect.logWarning(
          `The checkpoint folder ${base} was a ${found}; it was ${moved ? `moved to ${aside}` : "left"}, and the run starts afresh.`
        )
      })
      const load: CheckpointStore["load"] = Effect.gen(function* () {
        yield* usableBase
        for (const name of [...(yield* list)].reverse()) {
          const dir = `${base}/${name}`
          const loaded = yield* Effect.either(readOne(dir))
          if (loaded._tag === "Right") return Option.some(loaded.right)
          const error = loaded.left as { readonly _tag?: string; readonly reason?: string; readonly message?: string }
          if (error._tag === "SystemError" && error.reason !== "NotFound") {
            // Not damage: the disk refused a read (permissions, too many open files, I/O). The
            // checkpoint stays for the next run; this one starts from an older one or afresh.
            yield* Effect.logWarning(
              `The checkpoint ${dir} could not be read (${error.message ?? error.reason}); it was left in place.`
            )
            continue
          }
          yield* Effect.logWarning(
            `The checkpoint ${dir} is damaged (truncated or unreadable); it was removed, and the run resumes from an older one or starts afresh.`
          )
          yield* fs.remove(dir, { recursive: true }).pipe(Effect.ignore)
        }
        return Option.none()
      })
      const write: CheckpointStore["write"] = (state, arrays) =>
        Effect.gen(function* () {
          yield* usableBase
          if (seq < 0) {
            const names = yield* list
            seq = names.length === 0 ? 0 : Number(names[names.length - 1]!.slice(5))
          }
          seq += 1
          const name = `ckpt-${String(seq).padStart(9, "0")}`
          const tmp = `${base}/.tmp-${process.pid}-${name}`
          yield* writeFolder(tmp, state, arrays).pipe(
            // A failed or interrupted write (a full disk) leaves no partial folder behind.
            Effect.onError(() => fs.remove(tmp, { recursive: true }).pipe(Effect.ignore))
          )
          yield* fs.rename(tmp, `${base}/${name}`).pipe(Effect.mapError(ioError("rename", tmp)))
          yield* syncDirectory(base)
          for (const old of yield* list) {
            if (old < name) yield* fs.remove(`${base}/${old}`, { recursive: true }).pipe(Effect.ignore)
          }
        }).pipe(Effect.provide(services))
      /** Writes a checkpoint's files into the folder `tmp`, each fsynced, then the folder. */
      const writeFolder = (tmp: string, state: unknown, arrays: Readonly<Record<string, NdArray.NdArray>>) =>
        Effect.gen(function* () {
          yield* SideFile.makeDirectories(tmp).pipe(Effect.provide(services))
          const stateBytes = new TextEncoder().encode(JSON.stringify(state))
          const index: typeof Index.Type = {
            state: { sha256: Canonical.sha256(stateBytes), bytes: stateBytes.length },
            arrays: {}
          }
          yield* durable(`${tmp}/state.json`, stateBytes)
          const sums: Record<string, FileSum> = {}
          for (const [arrayName, array] of Object.entries(arrays)) {
            const bytes = NdArray.encodeNpy(array)
            sums[arrayName] = { sha256: Canonical.sha256(bytes), bytes: bytes.length }
            yield* durable(`${tmp}/${arrayName}.npy`, bytes)
          }
          yield* durable(`${tmp}/index.json`, new TextEncoder().encode(JSON.stringify({ ...index, arrays: sums })))
          yield* syncDirectory(tmp)
        })
      const exists: CheckpointStore["exists"] = Effect.map(list, (names) => names.length > 0)
      const clear: CheckpointStore["clear"] = fs.remove(base, { recursive: true }).pipe(Effect.ignore)
      return { load, write, exists, clear }
    }
  })
