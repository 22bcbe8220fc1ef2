/**
 * Side files: the small JSON files the engine keeps next to the cache entries (run records,
 * warm-run memos, the fingerprint memo, checkpoint indexes). They are as safe as an entry (DESIGN
 * §13): a write is atomic and durable (a temporary file, fsynced, then renamed over the target,
 * then the directory fsynced), and a read is validated by a Schema. A side file that is missing
 * reads as `None`; one that is truncated, empty, not JSON or not of its Schema reads as `None`
 * too, with a one-line warning (`Effect.logWarning`), and is moved aside to `<corrupt>/` so that
 * it is looked at once, not on every run. A damaged side file costs a recomputation, never a run.
 *
 * @module SideFile
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import { type CacheIoError, ioError } from "./Errors.js"

/** Where damaged side files are moved (a folder under the cache, e.g. `.corrupt`). */
export interface ReadOptions {
  readonly corruptDir: string
  /** What the file is, for the warning (e.g. "the warm-run memo"). */
  readonly what: string
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-")

/**
 * Reads and decodes a side file: `None` when it is missing, or damaged (then also a warning and
 * the file moved aside). Never fails.
 */
export const read = <A, I>(file: string, schema: Schema.Schema<A, I, never>, options: ReadOptions) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const text = yield* fs.readFileString(file).pipe(Effect.option)
    if (Option.isNone(text)) return Option.none<A>()
    const decoded = yield* Effect.try(() => JSON.parse(text.value) as unknown).pipe(
      Effect.flatMap((json) => ParseResult.decodeUnknown(schema)(json)),
      Effect.option
    )
    if (Option.isSome(decoded)) return decoded
    const aside = path.join(options.corruptDir, `${path.basename(file)}.${stamp()}.${process.pid}`)
    const moved = yield* fs.makeDirectory(options.corruptDir, { recursive: true }).pipe(
      Effect.zipRight(fs.rename(file, aside)),
      Effect.as(true),
      Effect.orElseSucceed(() => false)
    )
    yield* Effect.logWarning(
      `${options.what} ${file} is damaged (${text.value.length === 0 ? "empty" : "unreadable or truncated"}); ` +
        `it was ${moved ? `moved to ${aside}` : "ignored"}, and what it held is recomputed.`
    )
    return Option.none<A>()
  })

/** Writes `bytes` to `file` atomically and durably (temporary file, fsync, rename, fsync of the folder). */
export const writeBytes = (file: string, bytes: Uint8Array) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = path.dirname(file)
    yield* fs.makeDirectory(dir, { recursive: true }).pipe(Effect.mapError(ioError("makeDirectory", dir)))
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`
    yield* Effect.scoped(
      Effect.gen(function* () {
        const handle = yield* fs.open(tmp, { flag: "w" })
        yield* handle.writeAll(bytes)
        yield* handle.sync
      })
    ).pipe(
      Effect.mapError(ioError("writeFile", tmp)),
      Effect.tapError(() => fs.remove(tmp).pipe(Effect.ignore))
    )
    yield* fs.rename(tmp, file).pipe(
      Effect.mapError(ioError("rename", file)),
      Effect.tapError(() => fs.remove(tmp).pipe(Effect.ignore))
    )
    yield* syncDirectory(dir)
  })

/** fsyncs a directory, so a rename into it survives a power loss (best effort: not every file system allows it). */
export const syncDirectory = (dir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    yield* Effect.scoped(Effect.flatMap(fs.open(dir, { flag: "r" }), (handle) => handle.sync))
  }).pipe(Effect.ignore)

/** Encodes `value` with its Schema and writes it as JSON, atomically and durably. */
export const write = <A, I>(file: string, schema: Schema.Schema<A, I, never>, value: A) =>
  Effect.gen(function* () {
    const encoded = yield* ParseResult.encode(schema)(value).pipe(Effect.orDie)
    yield* writeBytes(file, new TextEncoder().encode(`${JSON.stringify(encoded, null, 1)}\n`))
  })

export type { CacheIoError }
