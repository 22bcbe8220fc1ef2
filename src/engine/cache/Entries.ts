/**
 * Reading entries: every read verifies what it reads against the manifest (size and sha256), so a
 * corrupt or truncated entry is reported, never served. Large artifacts are hashed streaming, and
 * read by rows with positioned reads.
 *
 * @module Entries
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Canonical from "../Canonical.js"
import { CacheEntryCorruptError, type CacheIoError, ioError } from "../Errors.js"
import * as NdArray from "../NdArray.js"
import { makeDirectories } from "../SideFile.js"
import * as Inspect from "./Inspect.js"
import { isKey, type Layout } from "./Layout.js"
import { checksumHolds, type FileSum, Manifest } from "./Manifest.js"

/** No manifest is larger (its largest part, the fingerprint's file list, is a few hundred KB). */
const MAX_MANIFEST_BYTES = 16 * 2 ** 20

/** What the entry readers offer (the entry part of the `Cache` interface). */
export interface Entries {
  readonly verify: (
    key: string,
    options?: { readonly deep?: boolean }
  ) => Effect.Effect<Option.Option<Manifest>, CacheEntryCorruptError | CacheIoError>
  readonly readManifestUnverified: (key: string) => Effect.Effect<Option.Option<Manifest>>
  /**
   * Moves an entry aside to `.corrupt/`, if it is still corrupt and no process holds its lock (it
   * may be replacing it); returns where it went, or None when it stayed (in use, healthy again,
   * or already moved by another process).
   */
  readonly quarantine: (key: string) => Effect.Effect<Option.Option<string>, CacheIoError>
  readonly readResult: (key: string) => Effect.Effect<unknown, CacheEntryCorruptError | CacheIoError>
  readonly readArtifact: (key: string, name: string) => Effect.Effect<Uint8Array, CacheEntryCorruptError | CacheIoError>
  readonly verifyArtifact: (key: string, name: string) => Effect.Effect<void, CacheEntryCorruptError | CacheIoError>
  readonly readArtifactRows: (
    key: string,
    name: string,
    start: number,
    count: number
  ) => Effect.Effect<NdArray.NdArray, CacheEntryCorruptError | CacheIoError>
  readonly keys: Effect.Effect<ReadonlyArray<string>, CacheIoError>
  readonly remove: (key: string) => Effect.Effect<void, CacheIoError>
}

const decodeManifest = Schema.decodeUnknown(Manifest)

/** The entry readers of a cache layout. */
export const make = (layout: Layout) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const services = yield* Effect.context<FileSystem.FileSystem | Path.Path>()
    const corrupt = (key: string, reason: CacheEntryCorruptError["reason"], file: string) =>
      new CacheEntryCorruptError({ key, reason, file })
    const notFoundOr =
      (key: string, rel: string, method: string, file: string) =>
      (e: { readonly _tag: string; readonly reason?: string }): CacheEntryCorruptError | CacheIoError =>
        e._tag === "SystemError" && e.reason === "NotFound" ? corrupt(key, "Missing", rel) : ioError(method, file)(e)

    /**
     * What a failed read of an entry's file means: missing or not a regular file (a directory, a
     * link to nowhere, a FIFO: damage) is corruption, moved aside and recomputed; a file the disk
     * refuses (permissions, I/O) is an I/O error naming the path.
     */
    const unreadable =
      (key: string, rel: string, method: string, file: string) =>
      (e: Inspect.NotRegular): CacheEntryCorruptError | CacheIoError =>
        e.found === "unreadable"
          ? ioError(method, file)(new Error(e.code ?? "unreadable"))
          : e.found === "missing"
            ? corrupt(key, "Missing", rel)
            : new CacheEntryCorruptError({ key, reason: "NotAFile", file: rel, found: e.found })

    const checkFile = (key: string, file: string, rel: string, sum: FileSum) =>
      Effect.gen(function* () {
        const bytes = yield* Inspect.readRegular(file, sum.bytes + 1).pipe(
          Effect.catchIf(
            (e) => e.code === "EFBIG",
            () => Effect.fail(corrupt(key, "Truncated", rel))
          ),
          Effect.mapError((e) => (e instanceof CacheEntryCorruptError ? e : unreadable(key, rel, "readFile", file)(e)))
        )
        if (bytes.length !== sum.bytes) return yield* corrupt(key, "Truncated", rel)
        if (Canonical.sha256(bytes) !== sum.sha256) return yield* corrupt(key, "Checksum", rel)
        return bytes
      })

    const readManifest = (key: string) =>
      Effect.gen(function* () {
        if (!isKey(key)) return yield* Effect.dieMessage(`"${key}" is not a stage key`)
        const file = `${layout.entry(key)}/manifest.json`
        // Not followed: a symlink, a file or a FIFO where the entry's folder should be is damage.
        const found = yield* Inspect.kind(layout.entry(key))
        if (found === "missing") return Option.none<Manifest>()
        if (found === "unreadable") return yield* ioError("lstat", layout.entry(key))(new Error("unreadable"))
        if (found !== "directory") {
          return yield* new CacheEntryCorruptError({
            key,
            reason: "NotAFile",
            file: `${key} (the entry's folder)`,
            found
          })
        }
        const text = yield* Inspect.readRegular(file, MAX_MANIFEST_BYTES).pipe(
          Effect.map((bytes) => new TextDecoder().decode(bytes)),
          Effect.mapError(() => corrupt(key, "Manifest", "manifest.json"))
        )
        const manifest = yield* Effect.try(() => JSON.parse(text) as unknown).pipe(
          Effect.filterOrFail(checksumHolds, () => "checksum"),
          Effect.flatMap(decodeManifest),
          Effect.mapError(() => corrupt(key, "Manifest", "manifest.json"))
        )
        if (manifest.key !== key) return yield* corrupt(key, "Manifest", "manifest.json")
        return Option.some(manifest)
      })

    const readManifestOrCorrupt = (key: string) =>
      Effect.flatMap(
        readManifest(key),
        Option.match({
          onNone: () => Effect.fail(corrupt(key, "Missing", "manifest.json")),
          onSome: Effect.succeed
        })
      )

    /**
     * True when the file is the one written: its inode, size, mtime and ctime are those recorded
     * when it was written. A write that restores the size and mtime still moves the ctime (which no
     * one can set), so an unchanged stamp means unchanged bytes, short of damage below the file
     * system (`--verify` hashes everything). An entry recorded without a ctime is hashed.
     */
    const unchanged = (file: string, sum: FileSum) =>
      sum.mtimeMs === undefined || sum.ctimeMs === undefined || sum.ino === undefined
        ? Effect.succeed(false)
        : Effect.map(
            Inspect.stamp(file),
            (s) =>
              s !== undefined &&
              s.bytes === sum.bytes &&
              s.mtimeMs === sum.mtimeMs &&
              s.ctimeMs === sum.ctimeMs &&
              s.ino === sum.ino
          )

    /** Hashes a file streaming (constant memory however large), checking it against its sum. */
    const checkStreaming = (key: string, file: string, rel: string, sum: FileSum) =>
      Effect.gen(function* () {
        const { bytes, sha256 } = yield* Inspect.hashRegular(file).pipe(
          Effect.mapError(unreadable(key, rel, "readFile", file))
        )
        if (bytes !== sum.bytes) return yield* corrupt(key, "Truncated", rel)
        if (sha256 !== sum.sha256) return yield* corrupt(key, "Checksum", rel)
      })

    const verify: Entries["verify"] = (key, options) =>
      Effect.gen(function* () {
        const manifest = yield* readManifest(key)
        if (Option.isNone(manifest)) return manifest
        const m = manifest.value
        yield* checkFile(key, `${layout.entry(key)}/result.json`, "result.json", m.result)
        if (options?.deep === true) {
          // In full: the artifacts folder holds what the manifest lists and nothing else (a file it
          // does not list means the manifest lost it).
          const names = yield* fs
            .readDirectory(`${layout.entry(key)}/artifacts`)
            .pipe(Effect.orElseSucceed((): Array<string> => []))
          if (names.some((n) => !Object.hasOwn(m.artifacts, n))) return yield* corrupt(key, "Manifest", "manifest.json")
        }
        for (const [name, sum] of Object.entries(m.artifacts)) {
          const file = layout.artifact(key, name)
          if (options?.deep === false && (yield* unchanged(file, sum))) continue
          yield* checkStreaming(key, file, `artifacts/${name}`, sum)
        }
        return manifest
      })

    /** Moves an entry aside (the cache's `quarantine` calls this under the key's lock). */
    const moveAside: Entries["quarantine"] = (key) =>
      Effect.gen(function* () {
        const target = `${layout.corrupt}/${key}.${new Date().toISOString().replace(/[:.]/g, "-")}.${process.pid}`
        yield* makeDirectories(layout.corrupt).pipe(Effect.provide(services))
        return yield* fs.rename(layout.entry(key), target).pipe(
          Effect.as(Option.some(target)),
          // Gone already: another process moved it (or gc removed it).
          Effect.catchIf(
            (e) => e._tag === "SystemError" && e.reason === "NotFound",
            () => Effect.succeed(Option.none<string>())
          ),
          Effect.mapError(ioError("rename", layout.entry(key)))
        )
      })

    const readResult: Entries["readResult"] = (key) =>
      Effect.gen(function* () {
        const m = yield* readManifestOrCorrupt(key)
        const bytes = yield* checkFile(key, `${layout.entry(key)}/result.json`, "result.json", m.result)
        return yield* Effect.try(() => JSON.parse(new TextDecoder().decode(bytes)) as unknown).pipe(
          Effect.mapError(() => corrupt(key, "Checksum", "result.json"))
        )
      })

    /**
     * A name the entry's manifest does not list: corruption when the entry holds that file (its
     * manifest lost it: moved aside and recomputed), else the reading stage's mistake (a defect).
     */
    const notAnArtifact = (key: string, name: string, m: Manifest) =>
      Effect.flatMap(Inspect.kind(layout.artifact(key, name)), (found) =>
        found !== "missing" && !name.includes("/")
          ? Effect.fail(corrupt(key, "Manifest", "manifest.json"))
          : Effect.dieMessage(
              `Cache entry ${key.slice(0, 12)} (stage "${m.stage}") has no artifact "${name}"; it has: ${Object.keys(m.artifacts).join(", ") || "none"}.`
            )
      )

    const readArtifact: Entries["readArtifact"] = (key, name) =>
      Effect.gen(function* () {
        const m = yield* readManifestOrCorrupt(key)
        const sum = m.artifacts[name]
        if (sum === undefined) return yield* notAnArtifact(key, name, m)
        return yield* checkFile(key, layout.artifact(key, name), `artifacts/${name}`, sum)
      })

    const verifyArtifact: Entries["verifyArtifact"] = (key, name) =>
      Effect.gen(function* () {
        const m = yield* readManifestOrCorrupt(key)
        const sum = m.artifacts[name]
        if (sum === undefined) return yield* notAnArtifact(key, name, m)
        yield* checkStreaming(key, layout.artifact(key, name), `artifacts/${name}`, sum)
      })

    const readArtifactRows: Entries["readArtifactRows"] = (key, name, start, count) =>
      Effect.scoped(
        Effect.gen(function* () {
          const rel = `artifacts/${name}`
          const file = layout.artifact(key, name)
          const handle = yield* fs.open(file, { flag: "r" }).pipe(Effect.mapError(notFoundOr(key, rel, "open", file)))
          /** Reads until `length` bytes or the end of the file. */
          const readAt = (position: number, length: number) =>
            Effect.gen(function* () {
              yield* handle.seek(position, "start")
              const buffer = new Uint8Array(length)
              let filled = 0
              while (filled < length) {
                const n = Number(yield* handle.read(buffer.subarray(filled)))
                if (n === 0) break
                filled += n
              }
              return buffer.subarray(0, filled)
            }).pipe(Effect.mapError(ioError("read", file)))
          const head = yield* readAt(0, 12)
          const header = yield* Effect.try(() => {
            if (head.length < 12) throw new Error("shorter than a .npy header")
            const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
            return head[6] === 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true)
          }).pipe(
            Effect.flatMap((headerEnd) => readAt(0, headerEnd)),
            Effect.flatMap((bytes) => Effect.try(() => NdArray.decodeNpyHeader(bytes))),
            Effect.mapError((e): CacheEntryCorruptError | CacheIoError =>
              e._tag === "CacheIoError" ? e : corrupt(key, "Truncated", rel)
            )
          )
          const [rows = 0, ...rest] = header.shape
          if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > rows) {
            return yield* Effect.dieMessage(
              `readArtifactRows: rows ${start}…${start + count - 1} of ${name}, which has ${rows}`
            )
          }
          const rowBytes = rest.reduce((x, y) => x * y, 1) * NdArray.bytesPerElement(header.dtype)
          const data = yield* readAt(header.offset + start * rowBytes, count * rowBytes)
          if (data.length !== count * rowBytes) return yield* corrupt(key, "Truncated", rel)
          return NdArray.fromBytes(header.dtype, [count, ...rest], data)
        })
      )

    const keys: Entries["keys"] = fs.readDirectory(layout.dir).pipe(
      Effect.map((names) => names.filter(isKey).sort()),
      Effect.catchTag("SystemError", (e) => (e.reason === "NotFound" ? Effect.succeed([]) : Effect.fail(e))),
      Effect.mapError(ioError("readDirectory", layout.dir))
    )

    const remove: Entries["remove"] = (key) =>
      fs.remove(layout.entry(key), { recursive: true }).pipe(Effect.mapError(ioError("remove", layout.entry(key))))

    const readManifestUnverified: Entries["readManifestUnverified"] = (key) =>
      readManifest(key).pipe(Effect.orElseSucceed(() => Option.none<Manifest>()))

    return {
      verify,
      readManifestUnverified,
      quarantine: moveAside,
      readResult,
      readArtifact,
      verifyArtifact,
      readArtifactRows,
      keys,
      remove
    } satisfies Entries
  })
