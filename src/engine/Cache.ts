/**
 * The content-addressed stage cache. One directory per stage key:
 *
 *     <cache>/<key>/manifest.json      stage, key, params, upstream keys, fingerprint, seed, timings, host, checksums
 *     <cache>/<key>/result.json        the stage's JSON result (Schema-encoded)
 *     <cache>/<key>/artifacts/<name>   .npy arrays and text artifacts
 *     <cache>/.tmp/                    entries being written (renamed into place when complete)
 *     <cache>/.locks/<key>.lock        per-key cross-process locks (proper-lockfile)
 *     <cache>/.checkpoints/<key>/      checkpoints of unfinished stage runs
 *     <cache>/.corrupt/                entries that failed verification, moved aside
 *     <cache>/.runs/<pipeline>.json    the node → key map of each pipeline's last run
 *     <cache>/.fingerprints.json       the fingerprint parse memo
 *
 * Writes are atomic (temporary directory, then rename); reads verify every checksum.
 *
 * Locks use proper-lockfile: it takes a lock with an atomic `mkdir` (safe on NFS, which the
 * multi-machine executor of issue #6 relies on), refreshes its mtime while held so a lock left
 * by a `kill -9` goes stale and is taken over, and needs no native code or server.
 *
 * @module Cache
 */

import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"
import { type FileHandle, open } from "node:fs/promises"
import { hostname } from "node:os"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Canonical from "./Canonical.js"
import { CacheEntryCorruptError, CacheIoError, LockError } from "./Errors.js"
import * as NdArray from "./NdArray.js"

/** Checksum and size of one stored file. */
export const FileSum = Schema.Struct({
  sha256: Schema.String,
  bytes: Schema.Number,
  /** Modification time when written (ms), for the quick check of artifacts nobody reads. */
  mtimeMs: Schema.optional(Schema.Number)
})
export type FileSum = typeof FileSum.Type

/** The manifest of a cache entry. */
export const Manifest = Schema.Struct({
  version: Schema.Literal(1),
  key: Schema.String,
  stage: Schema.String,
  node: Schema.String,
  pipeline: Schema.String,
  params: Schema.Unknown,
  upstream: Schema.Record({ key: Schema.String, value: Schema.String }),
  fingerprint: Schema.Struct({
    digest: Schema.String,
    files: Schema.Array(Schema.Struct({ path: Schema.String, hash: Schema.String })),
    packages: Schema.Record({ key: Schema.String, value: Schema.String })
  }),
  services: Schema.Array(
    Schema.Struct({ tag: Schema.String, id: Schema.String, module: Schema.String, digest: Schema.String })
  ),
  outputSchema: Schema.String,
  seed: Schema.optional(Schema.Number),
  startedAt: Schema.String,
  finishedAt: Schema.String,
  seconds: Schema.Number,
  resumed: Schema.Boolean,
  host: Schema.Struct({ hostname: Schema.String, platform: Schema.String, arch: Schema.String, node: Schema.String }),
  /** `host:pid` of the distributed worker that computed the entry (absent for local runs). */
  worker: Schema.optional(Schema.String),
  result: FileSum,
  artifacts: Schema.Record({ key: Schema.String, value: FileSum }),
  outputDigest: Schema.String
})
export type Manifest = typeof Manifest.Type

/** What the executor knows of an entry before it is written (the manifest minus what the write adds). */
export type ManifestDraft = Omit<Manifest, "version" | "result" | "artifacts" | "outputDigest" | "host">

/** An artifact written in pieces; `close` records its size and checksum. */
export interface ArtifactWriter {
  /** Appends bytes to the artifact. */
  readonly write: (bytes: Uint8Array) => Effect.Effect<void, CacheIoError>
  readonly close: Effect.Effect<void, CacheIoError>
}

/** A cache entry being written in a temporary directory. */
export interface Staging {
  readonly dir: string
  readonly writeArtifact: (name: string, bytes: Uint8Array) => Effect.Effect<void, CacheIoError>
  /**
   * Opens an artifact to write in pieces, so that a large one is never held whole in memory; an
   * artifact left open makes `commit` fail (a defect of the stage).
   */
  readonly openArtifact: (name: string) => Effect.Effect<ArtifactWriter, CacheIoError>
  /** Writes result and manifest, then renames the directory into place (replacing an existing entry). */
  readonly commit: (draft: ManifestDraft, resultJson: string) => Effect.Effect<Manifest, CacheIoError>
}

/** The checkpoints of one key. */
export interface CheckpointStore {
  readonly load: Effect.Effect<Option.Option<{ state: unknown; arrays: Record<string, NdArray.NdArray> }>>
  readonly write: (
    state: unknown,
    arrays: Readonly<Record<string, NdArray.NdArray>>
  ) => Effect.Effect<void, CacheIoError>
  readonly clear: Effect.Effect<void>
}

/** The last run of a pipeline, as recorded for `status` and `gc`. */
export interface RunRecord {
  readonly pipeline: string
  readonly at: string
  readonly params: unknown
  readonly nodes: Readonly<Record<string, string>>
}

/** Options of the file-system cache. */
export interface Options {
  readonly dir: string
  /** A lock not refreshed for this long is stale and may be taken over (ms, ≥ 2000). */
  readonly lockStaleMs?: number
}

/** The cache service. */
export interface Cache {
  readonly dir: string
  /** Age (ms) after which an unrefreshed lock is taken over. */
  readonly lockStaleMs: number
  readonly entryDir: (key: string) => string
  readonly artifactPath: (key: string, name: string) => string
  /**
   * The verified manifest of an entry: `None` when absent; fails with `CacheEntryCorruptError`
   * when a file is missing, truncated or fails its checksum. The result is always hashed. With
   * `deep: false`, an artifact whose size and modification time still match the manifest is not
   * re-hashed (it is hashed in full whenever it is read); any other artifact is.
   */
  readonly verify: (
    key: string,
    options?: { readonly deep?: boolean }
  ) => Effect.Effect<Option.Option<Manifest>, CacheEntryCorruptError | CacheIoError>
  /** The manifest of an entry without checking its files (for explaining changes). */
  readonly readManifestUnverified: (key: string) => Effect.Effect<Option.Option<Manifest>>
  /** Moves an entry aside to `.corrupt/`; returns where. */
  readonly quarantine: (key: string) => Effect.Effect<string, CacheIoError>
  readonly readResult: (key: string) => Effect.Effect<unknown, CacheEntryCorruptError | CacheIoError>
  /** Reads an artifact, verifying it against the manifest. */
  readonly readArtifact: (key: string, name: string) => Effect.Effect<Uint8Array, CacheEntryCorruptError | CacheIoError>
  /** Verifies an artifact against the manifest, streaming it (constant memory, however large). */
  readonly verifyArtifact: (key: string, name: string) => Effect.Effect<void, CacheEntryCorruptError | CacheIoError>
  /**
   * Rows `start … start+count−1` (along the first axis) of a `.npy` artifact, read from disk without
   * loading the rest and without a checksum: call `verifyArtifact` once first.
   */
  readonly readArtifactRows: (
    key: string,
    name: string,
    start: number,
    count: number
  ) => Effect.Effect<NdArray.NdArray, CacheEntryCorruptError | CacheIoError>
  /** A temporary directory for a new entry, removed when the scope closes unless committed. */
  readonly stage: (key: string) => Effect.Effect<Staging, CacheIoError, Scope.Scope>
  /**
   * Takes the cross-process lock of a key for the scope. Fails with `LockError` "Held" when
   * another live process holds it (callers poll).
   */
  readonly lock: (key: string) => Effect.Effect<{ readonly compromised: () => boolean }, LockError, Scope.Scope>
  readonly checkpoints: (key: string) => CheckpointStore
  /** Keys of all entries. */
  readonly keys: Effect.Effect<ReadonlyArray<string>, CacheIoError>
  readonly remove: (key: string) => Effect.Effect<void, CacheIoError>
  readonly readRun: (pipeline: string) => Effect.Effect<Option.Option<RunRecord>>
  readonly writeRun: (record: RunRecord) => Effect.Effect<void, CacheIoError>
  /** Removes leftovers: corrupt entries, temporary dirs and checkpoints not in `keep`, stale locks. */
  readonly sweep: (options: {
    readonly keep: ReadonlySet<string>
    readonly dryRun: boolean
  }) => Effect.Effect<ReadonlyArray<string>, CacheIoError>
}

/** The cache service tag. */
export const Cache = Context.GenericTag<Cache>("plastic-net/engine/Cache")

const isKey = (name: string) => /^[0-9a-f]{64}$/.test(name)

const ioError =
  (method: string, path: string) =>
  (cause: unknown): CacheIoError => {
    const text = String((cause as { message?: string })?.message ?? cause)
    const reason = /ENOSPC|no space/i.test(text)
      ? "DiskFull"
      : /EACCES|EPERM|PermissionDenied/i.test(text) || (cause as { reason?: string })?.reason === "PermissionDenied"
        ? "Permission"
        : "Other"
    return new CacheIoError({ reason, method, path, cause })
  }

/** Builds the file-system cache. */
export const make = (options: Options) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = path.resolve(options.dir)
    const lockStale = Math.max(2000, options.lockStaleMs ?? 10_000)
    const entryDir = (key: string) => path.join(dir, key)
    const artifactPath = (key: string, name: string) => path.join(dir, key, "artifacts", name)
    const special = (name: string) => path.join(dir, name)
    const mkdirs = (p: string) =>
      fs.makeDirectory(p, { recursive: true }).pipe(Effect.mapError(ioError("makeDirectory", p)))

    /** Atomic small-file write: temp file + rename. */
    const writeAtomic = (file: string, text: string) => {
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
      return mkdirs(path.dirname(file)).pipe(
        Effect.zipRight(fs.writeFileString(tmp, text).pipe(Effect.mapError(ioError("writeFile", tmp)))),
        Effect.zipRight(fs.rename(tmp, file).pipe(Effect.mapError(ioError("rename", file))))
      )
    }

    const checkFile = (key: string, file: string, rel: string, sum: FileSum) =>
      Effect.gen(function* () {
        const bytes = yield* fs
          .readFile(file)
          .pipe(
            Effect.mapError((e): CacheEntryCorruptError | CacheIoError =>
              e._tag === "SystemError" && e.reason === "NotFound"
                ? new CacheEntryCorruptError({ key, reason: "Missing", file: rel })
                : ioError("readFile", file)(e)
            )
          )
        if (bytes.length !== sum.bytes)
          return yield* new CacheEntryCorruptError({ key, reason: "Truncated", file: rel })
        if (Canonical.sha256(bytes) !== sum.sha256) {
          return yield* new CacheEntryCorruptError({ key, reason: "Checksum", file: rel })
        }
        return bytes
      })

    const readManifest = (key: string) =>
      Effect.gen(function* () {
        const file = path.join(entryDir(key), "manifest.json")
        const exists = yield* fs.exists(entryDir(key)).pipe(Effect.mapError(ioError("exists", file)))
        if (!exists) return Option.none<Manifest>()
        const text = yield* fs
          .readFileString(file)
          .pipe(Effect.mapError(() => new CacheEntryCorruptError({ key, reason: "Manifest", file: "manifest.json" })))
        const manifest = yield* Effect.try(() => JSON.parse(text) as unknown).pipe(
          Effect.flatMap(Schema.decodeUnknown(Manifest)),
          Effect.mapError(() => new CacheEntryCorruptError({ key, reason: "Manifest", file: "manifest.json" }))
        )
        if (manifest.key !== key) {
          return yield* new CacheEntryCorruptError({ key, reason: "Manifest", file: "manifest.json" })
        }
        return Option.some(manifest)
      })

    /** True when the file's size and mtime are those recorded (so it was not rewritten since). */
    const unchanged = (file: string, sum: FileSum) =>
      sum.mtimeMs === undefined
        ? Effect.succeed(false)
        : fs.stat(file).pipe(
            Effect.map(
              (info) =>
                Number(info.size) === sum.bytes &&
                Option.isSome(info.mtime) &&
                info.mtime.value.getTime() === sum.mtimeMs
            ),
            Effect.orElseSucceed(() => false)
          )

    const verify: Cache["verify"] = (key, options) =>
      Effect.gen(function* () {
        const manifest = yield* readManifest(key)
        if (Option.isNone(manifest)) return manifest
        const m = manifest.value
        yield* checkFile(key, path.join(entryDir(key), "result.json"), "result.json", m.result)
        for (const [name, sum] of Object.entries(m.artifacts)) {
          const file = artifactPath(key, name)
          if (options?.deep === false && (yield* unchanged(file, sum))) continue
          yield* checkFile(key, file, `artifacts/${name}`, sum)
        }
        return manifest
      })

    const quarantine: Cache["quarantine"] = (key) =>
      Effect.gen(function* () {
        const target = path.join(special(".corrupt"), `${key}.${new Date().toISOString().replace(/[:.]/g, "-")}`)
        yield* mkdirs(special(".corrupt"))
        yield* fs.rename(entryDir(key), target).pipe(Effect.mapError(ioError("rename", entryDir(key))))
        return target
      })

    const readManifestOrCorrupt = (key: string) =>
      readManifest(key).pipe(
        Effect.flatMap(
          Option.match({
            onNone: () => Effect.fail(new CacheEntryCorruptError({ key, reason: "Missing", file: "manifest.json" })),
            onSome: Effect.succeed
          })
        )
      )

    const readResult: Cache["readResult"] = (key) =>
      Effect.gen(function* () {
        const m = yield* readManifestOrCorrupt(key)
        const bytes = yield* checkFile(key, path.join(entryDir(key), "result.json"), "result.json", m.result)
        return JSON.parse(new TextDecoder().decode(bytes)) as unknown
      })

    const readArtifact: Cache["readArtifact"] = (key, name) =>
      Effect.gen(function* () {
        const m = yield* readManifestOrCorrupt(key)
        const sum = m.artifacts[name]
        if (sum === undefined) return yield* notAnArtifact(key, name, m)
        return yield* checkFile(key, artifactPath(key, name), `artifacts/${name}`, sum)
      })

    /** A name the entry's manifest does not list: the reading stage's mistake, not corruption. */
    const notAnArtifact = (key: string, name: string, m: Manifest) =>
      Effect.dieMessage(
        `Cache entry ${key.slice(0, 12)} (stage "${m.stage}") has no artifact "${name}"; it has: ${Object.keys(m.artifacts).join(", ") || "none"}.`
      )

    const notFoundOr = (key: string, rel: string, method: string, file: string) => (e: unknown) =>
      (e as { code?: string })?.code === "ENOENT"
        ? new CacheEntryCorruptError({ key, reason: "Missing", file: rel })
        : ioError(method, file)(e)

    const verifyArtifact: Cache["verifyArtifact"] = (key, name) =>
      Effect.gen(function* () {
        const m = yield* readManifestOrCorrupt(key)
        const rel = `artifacts/${name}`
        const sum = m.artifacts[name]
        if (sum === undefined) return yield* notAnArtifact(key, name, m)
        const file = artifactPath(key, name)
        const streamed = yield* Effect.tryPromise({
          try: async () => {
            const hash = createHash("sha256")
            let bytes = 0
            for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
              hash.update(chunk as Buffer)
              bytes += (chunk as Buffer).length
            }
            return { bytes, sha256: hash.digest("hex") }
          },
          catch: notFoundOr(key, rel, "readFile", file)
        })
        if (streamed.bytes !== sum.bytes)
          return yield* new CacheEntryCorruptError({ key, reason: "Truncated", file: rel })
        if (streamed.sha256 !== sum.sha256)
          return yield* new CacheEntryCorruptError({ key, reason: "Checksum", file: rel })
      })

    const readArtifactRows: Cache["readArtifactRows"] = (key, name, start, count) => {
      const rel = `artifacts/${name}`
      const file = artifactPath(key, name)
      const read = Effect.tryPromise({
        try: async () => {
          const handle = await open(file, "r")
          try {
            // Reads until `length` bytes or the end of the file (one read may return fewer).
            const readAt = async (position: number, length: number) => {
              const buffer = new Uint8Array(length)
              let filled = 0
              while (filled < length) {
                const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled)
                if (bytesRead === 0) break
                filled += bytesRead
              }
              return buffer.subarray(0, filled)
            }
            const head = await readAt(0, 12)
            let header: NdArray.NpyHeader
            try {
              if (head.length < 12) throw new Error("shorter than a .npy header")
              const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
              const headerEnd = head[6] === 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true)
              header = NdArray.decodeNpyHeader(await readAt(0, headerEnd))
            } catch {
              return { badHeader: true } as const
            }
            const [rows = 0, ...rest] = header.shape
            if (
              !Number.isInteger(start) ||
              !Number.isInteger(count) ||
              start < 0 ||
              count < 0 ||
              start + count > rows
            ) {
              return { outOfRange: `rows ${start}…${start + count - 1} of ${name}, which has ${rows}` } as const
            }
            const rowBytes = rest.reduce((x, y) => x * y, 1) * NdArray.bytesPerElement(header.dtype)
            const data = await readAt(header.offset + start * rowBytes, count * rowBytes)
            return { dtype: header.dtype, shape: [count, ...rest], data, expected: count * rowBytes } as const
          } finally {
            await handle.close()
          }
        },
        catch: notFoundOr(key, rel, "readFile", file)
      })
      return Effect.flatMap(read, (r) => {
        if ("badHeader" in r) return new CacheEntryCorruptError({ key, reason: "Truncated", file: rel })
        if ("outOfRange" in r) return Effect.dieMessage(`readArtifactRows: ${r.outOfRange}`)
        if (r.data.length !== r.expected) return new CacheEntryCorruptError({ key, reason: "Truncated", file: rel })
        return Effect.succeed(NdArray.fromBytes(r.dtype, r.shape, r.data))
      })
    }

    const stage: Cache["stage"] = (key) =>
      Effect.gen(function* () {
        const tmpRoot = special(".tmp")
        yield* mkdirs(tmpRoot)
        const tmp = path.join(tmpRoot, `${key}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`)
        yield* mkdirs(path.join(tmp, "artifacts"))
        let committed = false
        yield* Effect.addFinalizer(() =>
          committed ? Effect.void : fs.remove(tmp, { recursive: true }).pipe(Effect.ignore)
        )
        const sums: Record<string, FileSum> = {}
        const artifactFile = (name: string) =>
          name.includes("/") || name.includes("\\") || name.startsWith(".")
            ? Effect.die(new Error(`Artifact names are plain file names; "${name}" is not.`))
            : Effect.succeed(path.join(tmp, "artifacts", name))
        const record = (name: string, file: string, sum: Omit<FileSum, "mtimeMs">) =>
          fs.stat(file).pipe(
            Effect.mapError(ioError("stat", file)),
            Effect.flatMap((info) =>
              Effect.sync(() => {
                const mtimeMs = Option.getOrUndefined(info.mtime)?.getTime()
                sums[name] = { ...sum, ...(mtimeMs === undefined ? {} : { mtimeMs }) }
              })
            )
          )
        const writeArtifact = (name: string, bytes: Uint8Array) =>
          Effect.flatMap(artifactFile(name), (file) =>
            openWriters.has(name)
              ? Effect.die(new Error(`Artifact "${name}" is open for writing in pieces.`))
              : fs
                  .writeFile(file, bytes)
                  .pipe(
                    Effect.mapError(ioError("writeFile", file)),
                    Effect.zipRight(record(name, file, { sha256: Canonical.sha256(bytes), bytes: bytes.length }))
                  )
          )
        /**
         * Artifacts opened by openArtifact and not closed successfully, with their file handles. A
         * writer whose write or close failed stays here, so `commit` refuses the entry.
         */
        const openWriters = new Map<string, FileHandle>()
        yield* Effect.addFinalizer(() =>
          Effect.promise(() => Promise.allSettled([...openWriters.values()].map((h) => h.close())))
        )
        const openArtifact = (name: string) =>
          Effect.gen(function* () {
            const file = yield* artifactFile(name)
            if (openWriters.has(name) || Object.hasOwn(sums, name)) {
              return yield* Effect.die(new Error(`Artifact "${name}" is written twice.`))
            }
            // Opened and registered without interruption in between, so the finalizer closes it.
            const handle = yield* Effect.uninterruptible(
              Effect.tryPromise({ try: () => open(file, "w"), catch: ioError("open", file) }).pipe(
                Effect.tap((h) => Effect.sync(() => openWriters.set(name, h)))
              )
            )
            const hash = createHash("sha256")
            let size = 0
            let state: "open" | "failed" | "closed" = "open"
            const usable = Effect.suspend(() =>
              state === "open"
                ? Effect.void
                : Effect.die(
                    new Error(
                      `Artifact "${name}" is ${state === "closed" ? "closed" : "unusable after a failed write"}.`
                    )
                  )
            )
            const failed = <A>(effect: Effect.Effect<A, CacheIoError>) =>
              Effect.tapError(effect, () => Effect.sync(() => void (state = "failed")))
            const write = (bytes: Uint8Array) =>
              Effect.zipRight(
                usable,
                failed(
                  Effect.tryPromise({
                    try: async () => {
                      let done = 0
                      while (done < bytes.length) {
                        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done)
                        done += bytesWritten
                      }
                      hash.update(bytes)
                      size += bytes.length
                    },
                    catch: ioError("write", file)
                  })
                )
              )
            const close = Effect.zipRight(
              usable,
              failed(
                Effect.tryPromise({ try: () => handle.close(), catch: ioError("close", file) }).pipe(
                  Effect.zipRight(Effect.suspend(() => record(name, file, { sha256: hash.digest("hex"), bytes: size })))
                )
              ).pipe(
                Effect.tap(() =>
                  Effect.sync(() => {
                    state = "closed"
                    openWriters.delete(name)
                  })
                )
              )
            )
            return { write, close } satisfies ArtifactWriter
          })
        const commit = (draft: ManifestDraft, resultJson: string) =>
          Effect.gen(function* () {
            if (openWriters.size > 0) {
              return yield* Effect.die(
                new Error(`Artifact(s) ${[...openWriters.keys()].join(", ")} were not written and closed successfully.`)
              )
            }
            const resultBytes = new TextEncoder().encode(resultJson)
            const result = { sha256: Canonical.sha256(resultBytes), bytes: resultBytes.length }
            const artifacts = Object.fromEntries(Object.entries(sums).sort(([a], [b]) => (a < b ? -1 : 1)))
            const manifest: Manifest = {
              version: 1,
              ...draft,
              host: { hostname: hostname(), platform: process.platform, arch: process.arch, node: process.version },
              result,
              artifacts,
              // Content only: the recorded mtimes differ between bit-identical runs.
              outputDigest: Canonical.digest({
                result: result.sha256,
                artifacts: Object.fromEntries(
                  Object.entries(artifacts).map(([n, a]) => [n, { sha256: a.sha256, bytes: a.bytes }])
                )
              })
            }
            yield* fs
              .writeFile(path.join(tmp, "result.json"), resultBytes)
              .pipe(Effect.mapError(ioError("writeFile", tmp)))
            yield* fs
              .writeFileString(path.join(tmp, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`)
              .pipe(Effect.mapError(ioError("writeFile", tmp)))
            // A forced rerun replaces the entry: move the old one out first, then rename the new one in.
            if (yield* fs.exists(entryDir(key)).pipe(Effect.orElseSucceed(() => false))) {
              const old = `${tmp}.old`
              yield* fs.rename(entryDir(key), old).pipe(Effect.mapError(ioError("rename", entryDir(key))))
              yield* Effect.addFinalizer(() => fs.remove(old, { recursive: true }).pipe(Effect.ignore))
            }
            yield* fs.rename(tmp, entryDir(key)).pipe(Effect.mapError(ioError("rename", entryDir(key))))
            committed = true
            return manifest
          }).pipe(Effect.scoped)
        return { dir: tmp, writeArtifact, openArtifact, commit } satisfies Staging
      })

    const lock: Cache["lock"] = (key) =>
      Effect.gen(function* () {
        const lockfile = yield* Effect.promise(() => import("proper-lockfile"))
        const locksDir = special(".locks")
        yield* mkdirs(locksDir).pipe(Effect.mapError((e) => new LockError({ key, reason: "Other", detail: e.message })))
        const target = path.join(locksDir, key)
        let compromised = false
        const release = yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: () =>
              lockfile.lock(target, {
                realpath: false,
                stale: lockStale,
                update: Math.floor(lockStale / 4),
                retries: 0,
                onCompromised: () => {
                  compromised = true
                }
              }),
            catch: (e) => {
              const code = (e as { code?: string }).code
              return code === "ELOCKED"
                ? new LockError({ key, reason: "Held", detail: "another process is computing it" })
                : new LockError({ key, reason: "Other", detail: String((e as Error).message ?? e) })
            }
          }),
          (release) => Effect.promise(() => release().catch(() => undefined))
        )
        void release
        return { compromised: () => compromised }
      })

    const checkpoints = (key: string): CheckpointStore => {
      const base = path.join(special(".checkpoints"), key)
      let seq = -1
      const list = fs.readDirectory(base).pipe(
        Effect.map((names) => names.filter((n) => /^ckpt-\d+$/.test(n)).sort()),
        Effect.orElseSucceed((): Array<string> => [])
      )
      const readOne = (name: string) =>
        Effect.gen(function* () {
          const dirPath = path.join(base, name)
          const index = JSON.parse(yield* fs.readFileString(path.join(dirPath, "index.json"))) as {
            state: FileSum
            arrays: Record<string, FileSum>
          }
          const stateBytes = yield* checkFile(key, path.join(dirPath, "state.json"), "state.json", index.state)
          const arrays: Record<string, NdArray.NdArray> = {}
          for (const [arrayName, sum] of Object.entries(index.arrays)) {
            const bytes = yield* checkFile(key, path.join(dirPath, `${arrayName}.npy`), arrayName, sum)
            arrays[arrayName] = NdArray.decodeNpy(bytes)
          }
          return { state: JSON.parse(new TextDecoder().decode(stateBytes)) as unknown, arrays }
        })
      const load = Effect.gen(function* () {
        const names = yield* list
        for (const name of [...names].reverse()) {
          const loaded = yield* readOne(name).pipe(Effect.option)
          if (Option.isSome(loaded)) return loaded
        }
        return Option.none()
      })
      const write = (state: unknown, arrays: Readonly<Record<string, NdArray.NdArray>>) =>
        Effect.gen(function* () {
          if (seq < 0) {
            const names = yield* list
            seq = names.length === 0 ? 0 : Number(names[names.length - 1]!.slice(5))
          }
          seq += 1
          const name = `ckpt-${String(seq).padStart(9, "0")}`
          const tmp = path.join(base, `.tmp-${process.pid}-${name}`)
          yield* mkdirs(tmp)
          const stateBytes = new TextEncoder().encode(JSON.stringify(state))
          const index = {
            state: { sha256: Canonical.sha256(stateBytes), bytes: stateBytes.length },
            arrays: {} as Record<string, FileSum>
          }
          yield* fs.writeFile(path.join(tmp, "state.json"), stateBytes).pipe(Effect.mapError(ioError("writeFile", tmp)))
          for (const [arrayName, array] of Object.entries(arrays)) {
            const bytes = NdArray.encodeNpy(array)
            index.arrays[arrayName] = { sha256: Canonical.sha256(bytes), bytes: bytes.length }
            yield* fs
              .writeFile(path.join(tmp, `${arrayName}.npy`), bytes)
              .pipe(Effect.mapError(ioError("writeFile", tmp)))
          }
          yield* fs
            .writeFileString(path.join(tmp, "index.json"), JSON.stringify(index))
            .pipe(Effect.mapError(ioError("writeFile", tmp)))
          yield* fs.rename(tmp, path.join(base, name)).pipe(Effect.mapError(ioError("rename", tmp)))
          for (const old of yield* list) {
            if (old < name) yield* fs.remove(path.join(base, old), { recursive: true }).pipe(Effect.ignore)
          }
        })
      const clear = fs.remove(base, { recursive: true }).pipe(Effect.ignore)
      return { load, write, clear }
    }

    const keys = fs.readDirectory(dir).pipe(
      Effect.map((names) => names.filter(isKey).sort()),
      Effect.catchTag("SystemError", (e) => (e.reason === "NotFound" ? Effect.succeed([]) : Effect.fail(e))),
      Effect.mapError(ioError("readDirectory", dir))
    )

    const remove: Cache["remove"] = (key) =>
      fs.remove(entryDir(key), { recursive: true }).pipe(Effect.mapError(ioError("remove", entryDir(key))))

    const runFile = (pipeline: string) => path.join(special(".runs"), `${pipeline}.json`)
    const readRun: Cache["readRun"] = (pipeline) =>
      fs.readFileString(runFile(pipeline)).pipe(
        Effect.map((text) => Option.some(JSON.parse(text) as RunRecord)),
        Effect.orElseSucceed(() => Option.none<RunRecord>())
      )
    const writeRun: Cache["writeRun"] = (record) =>
      writeAtomic(runFile(record.pipeline), `${JSON.stringify(record, null, 2)}\n`)

    const sweep: Cache["sweep"] = ({ keep, dryRun }) =>
      Effect.gen(function* () {
        const removed: Array<string> = []
        const rm = (p: string) =>
          Effect.gen(function* () {
            removed.push(p)
            if (!dryRun) yield* fs.remove(p, { recursive: true }).pipe(Effect.mapError(ioError("remove", p)))
          })
        const listOf = (p: string) => fs.readDirectory(p).pipe(Effect.orElseSucceed((): Array<string> => []))
        for (const name of yield* listOf(special(".corrupt"))) yield* rm(path.join(special(".corrupt"), name))
        for (const name of yield* listOf(special(".checkpoints"))) {
          if (!keep.has(name)) yield* rm(path.join(special(".checkpoints"), name))
        }
        const lockfile = yield* Effect.promise(() => import("proper-lockfile"))
        for (const name of yield* listOf(special(".tmp"))) {
          const key = name.slice(0, 64)
          const held = yield* Effect.promise(() =>
            lockfile.check(path.join(special(".locks"), key), { realpath: false, stale: lockStale }).catch(() => false)
          )
          if (!held) yield* rm(path.join(special(".tmp"), name))
        }
        return removed
      })

    const readManifestUnverified: Cache["readManifestUnverified"] = (key) =>
      readManifest(key).pipe(Effect.orElseSucceed(() => Option.none<Manifest>()))

    return {
      dir,
      lockStaleMs: lockStale,
      readManifestUnverified,
      entryDir,
      artifactPath,
      verify,
      quarantine,
      readResult,
      readArtifact,
      verifyArtifact,
      readArtifactRows,
      stage,
      lock,
      checkpoints,
      keys,
      remove,
      readRun,
      writeRun,
      sweep
    } satisfies Cache
  })

/** The file-system cache as a Layer. */
export const layer = (options: Options) => Layer.effect(Cache, make(options))
