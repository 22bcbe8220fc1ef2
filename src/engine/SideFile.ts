/**
 * Side files: the small JSON files the engine keeps next to the cache entries (run records,
 * warm-run memos, the fingerprint memo). They are as safe as an entry (DESIGN §13): a write is
 * atomic and durable (a temporary file, fsynced, then renamed over the target, then the directory
 * fsynced), and carries a `$checksum` field (sha256 of the canonical JSON of the rest), so a
 * flipped bit that leaves valid JSON is caught; a read is validated by the checksum and a Schema.
 * A side file that is missing reads as `None`; one that is truncated, empty, not JSON, of the wrong
 * checksum, holding a key that would reach an object's prototype (`__proto__`, which JSON.parse
 * keeps as an own field and a Schema Record decode turns into the prototype), or not of its Schema
 * reads as `None` too, with a one-line warning (`Effect.logWarning`), and is moved aside to
 * `<corrupt>/` so that it is looked at once, not on every run. A damaged side file costs a
 * recomputation, never a run.
 *
 * Files the engine reads this way but does not own (the project's package-lock.json, the build
 * record) are never moved (`keep`): they are ignored with the warning. Files without a `$checksum`
 * (written by other tools, or before checksums) are validated by their Schema alone. Checkpoint
 * indexes are not side files of this module: each checks its files' sums (`cache/Checkpoints.ts`).
 *
 * @module SideFile
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import * as Canonical from "./Canonical.js"
import * as Inspect from "./cache/Inspect.js"
import { type CacheIoError, ioError } from "./Errors.js"

/** Where damaged side files are moved (a folder under the cache, e.g. `.corrupt`). */
export interface ReadOptions {
  readonly corruptDir: string
  /** What the file is, for the warning (e.g. "the warm-run memo"). */
  readonly what: string
  /** Leave a damaged file where it is (a file the engine does not own, e.g. package-lock.json). */
  readonly keep?: boolean
}

/** No side file is larger (the largest, a sweep's run record or the fingerprint memo, is a few MB). */
const MAX_SIDE_FILE_BYTES = 256 * 2 ** 20

/** The field that holds a side file's checksum. */
export const CHECKSUM = "$checksum"

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-")

const prototypeKeys = new Set(["__proto__", "constructor", "prototype"])

/** Why a side file's text cannot be used, or its JSON value (without its checksum field). */
const parse = (text: string): Either.Either<unknown, string> => {
  if (text.length === 0) return Either.left("empty")
  let forbidden: string | undefined
  let json: unknown
  try {
    json = JSON.parse(text, (key, value) => {
      if (prototypeKeys.has(key)) forbidden = key
      return value
    })
  } catch {
    return Either.left("not JSON: truncated or overwritten")
  }
  if (forbidden !== undefined) return Either.left(`it holds a "${forbidden}" key`)
  if (typeof json !== "object" || json === null || Array.isArray(json) || !Object.hasOwn(json, CHECKSUM)) {
    return Either.right(json)
  }
  const { [CHECKSUM]: checksum, ...rest } = json as Record<string, unknown>
  return checksum === Canonical.digest(rest) ? Either.right(rest) : Either.left("its checksum does not match")
}

/**
 * Reads and decodes a side file: `None` when it is missing, or damaged (then also a warning and,
 * unless `keep`, the file moved aside). Never fails.
 */
export const read = <A, I>(file: string, schema: Schema.Schema<A, I, never>, options: ReadOptions) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    // Non-blocking, regular files only: a FIFO or a folder in its place is damage, not a hang.
    const regular = yield* Effect.either(Inspect.readRegular(file, MAX_SIDE_FILE_BYTES))
    // A link that leads nowhere reads as missing; it is damage where a side file should be.
    const read =
      Either.isLeft(regular) && regular.left.found === "missing" && (yield* Inspect.kind(file)) === "symlink"
        ? Either.left<Inspect.NotRegular>({ _tag: "NotRegular", found: "symlink", code: "ENOENT" })
        : regular
    if (Either.isLeft(read) && (read.left.found === "missing" || read.left.found === "unreadable")) {
      if (read.left.found === "unreadable") {
        yield* Effect.logWarning(`${options.what} ${file} cannot be read (${read.left.code}); it was ignored.`)
      }
      return Option.none<A>()
    }
    const parsed = Either.isLeft(read)
      ? Either.left(
          read.left.code === "EFBIG"
            ? `larger than ${MAX_SIDE_FILE_BYTES} bytes`
            : read.left.found === "symlink" && read.left.code === "ENOENT"
              ? "a symlink to nowhere, not a file"
              : `a ${read.left.found}, not a file`
        )
      : parse(new TextDecoder().decode(read.right))
    const decoded: Either.Either<A, string> = Either.isLeft(parsed)
      ? Either.left(parsed.left)
      : yield* ParseResult.decodeUnknown(schema)(parsed.right).pipe(
          Effect.map((a) => Either.right(a)),
          Effect.catchAll((issue) => {
            const first = ParseResult.ArrayFormatter.formatIssueSync(issue)[0]
            const where = first === undefined || first.path.length === 0 ? "" : `${first.path.join(".")}: `
            return Effect.succeed(Either.left(`not of its format: ${where}${first?.message ?? "invalid"}`))
          })
        )
    if (Either.isRight(decoded)) return Option.some(decoded.right)
    const problem = decoded.left
    if (options.keep === true) {
      yield* Effect.logWarning(`${options.what} ${file} is damaged (${problem}); it was ignored.`)
      return Option.none<A>()
    }
    const aside = path.join(options.corruptDir, `${path.basename(file)}.${stamp()}.${process.pid}`)
    const moved = yield* makeDirectories(options.corruptDir).pipe(
      Effect.zipRight(fs.rename(file, aside)),
      Effect.as(true),
      Effect.orElseSucceed(() => false)
    )
    yield* Effect.logWarning(
      `${options.what} ${file} is damaged (${problem}); ` +
        `it was ${moved ? `moved to ${aside}` : "ignored"}, and what it held is recomputed.`
    )
    return Option.none<A>()
  })

/**
 * Creates a folder and its missing parents, one `mkdir` each (never Node's recursive `mkdir`, which
 * loops for ever where `mkdir` answers ENOENT under an existing parent, as in `/proc`). A folder
 * that cannot be made, or a non-folder in the way, fails at once with the path.
 */
export const makeDirectories = (dir: string): Effect.Effect<void, CacheIoError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const cannot = (why: string) =>
      ioError("makeDirectory", dir)(new Error(`${why}; choose another folder (--cache, --out)`))
    const attempt = (d: string) =>
      fs.makeDirectory(d).pipe(
        Effect.as("made" as const),
        Effect.catchAll((e) =>
          e._tag === "SystemError" && e.reason === "AlreadyExists"
            ? Effect.succeed("exists" as const)
            : e._tag === "SystemError" && e.reason === "NotFound"
              ? Effect.succeed("no parent" as const)
              : Effect.fail(ioError("makeDirectory", d)(e))
        )
      )
    const make = (d: string, depth: number): Effect.Effect<void, CacheIoError> =>
      Effect.gen(function* () {
        const made = yield* attempt(d)
        if (made === "exists") {
          const info = yield* fs.stat(d).pipe(Effect.mapError(ioError("stat", d)))
          if (info.type !== "Directory") return yield* cannot(`${d} exists and is not a folder`)
          return
        }
        if (made === "made") return
        const parent = path.dirname(d)
        if (parent === d || depth > 256) return yield* cannot(`${d} cannot be created`)
        yield* make(parent, depth + 1)
        if ((yield* attempt(d)) === "no parent") {
          return yield* cannot(`mkdir ${d} fails (ENOENT) although ${parent} exists: that file system takes no folders`)
        }
      })
    yield* make(path.resolve(dir), 0)
  })

/**
 * Writes `bytes` to `file` atomically and durably (temporary file, fsync, rename, fsync of the
 * folder). `durable: false` keeps it atomic but skips both fsyncs, for a file that means nothing
 * after a power loss (a live run's registration: its process died with the machine).
 */
export const writeBytes = (file: string, bytes: Uint8Array, options: { readonly durable?: boolean } = {}) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = path.dirname(file)
    yield* makeDirectories(dir)
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`
    const durable = options.durable !== false
    yield* (
      durable ? writeDurably(tmp, bytes) : fs.writeFile(tmp, bytes).pipe(Effect.mapError(ioError("writeFile", tmp)))
    ).pipe(Effect.tapError(() => fs.remove(tmp).pipe(Effect.ignore)))
    yield* fs.rename(tmp, file).pipe(
      Effect.mapError(ioError("rename", file)),
      Effect.tapError(() => fs.remove(tmp).pipe(Effect.ignore))
    )
    if (durable) yield* syncDirectory(dir)
  })

/** Writes a whole file and fsyncs it (open, write, sync): durable once it returns, not atomic. */
export const writeDurably = (file: string, bytes: Uint8Array) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    yield* Effect.scoped(
      Effect.gen(function* () {
        const handle = yield* fs.open(file, { flag: "w" })
        yield* handle.writeAll(bytes)
        yield* handle.sync
      })
    ).pipe(Effect.mapError(ioError("writeFile", file)))
  })

/** fsyncs a directory, so a rename into it survives a power loss (best effort: not every file system allows it). */
export const syncDirectory = (dir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    yield* Effect.scoped(Effect.flatMap(fs.open(dir, { flag: "r" }), (handle) => handle.sync))
  }).pipe(Effect.ignore)

/**
 * Encodes `value` with its Schema and writes it as JSON with its `$checksum` (an object's), atomically
 * and durably (atomically only with `durable: false`: see {@link writeBytes}).
 */
export const write = <A, I>(
  file: string,
  schema: Schema.Schema<A, I, never>,
  value: A,
  options: { readonly durable?: boolean } = {}
) =>
  Effect.gen(function* () {
    const encoded = yield* ParseResult.encode(schema)(value).pipe(Effect.orDie)
    // The checksum of what a reader will parse (JSON drops undefined fields and writes non-finite numbers as null).
    const json = JSON.parse(JSON.stringify(encoded)) as unknown
    const withSum =
      typeof json === "object" && json !== null && !Array.isArray(json)
        ? { ...json, [CHECKSUM]: Canonical.digest(json) }
        : json
    yield* writeBytes(file, new TextEncoder().encode(`${JSON.stringify(withSum, null, 1)}\n`), options)
  })

export type { CacheIoError }
