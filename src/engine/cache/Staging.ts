/**
 * Writing an entry: a temporary directory under `.tmp/` receives the artifacts (whole, or in
 * pieces through an {@link ArtifactWriter}, hashed as they are written), then the result and the
 * manifest; `commit` renames it into place. Every file is fsynced before the rename and the cache
 * folder after it, so an entry that looks whole after a crash or a power loss is whole. A staging
 * directory that is not committed is removed when its scope closes (a `kill -9` leaves it behind
 * for `gc`).
 *
 * @module Staging
 */
import { createHash } from "node:crypto"
import { hostname } from "node:os"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Canonical from "../Canonical.js"
import { type CacheIoError, ioError } from "../Errors.js"
import * as SideFile from "../SideFile.js"
import { syncDirectory } from "../SideFile.js"
import * as Inspect from "./Inspect.js"
import type { Layout } from "./Layout.js"
import { checksumOf, type FileSum, type Manifest, type ManifestDraft } from "./Manifest.js"

/** An artifact written in pieces; `close` syncs it and records its size and checksum. */
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
  /**
   * Writes result and manifest, runs `guard` (e.g. "the lock is still ours"), then renames the
   * directory into place, replacing an existing entry. A failing guard commits nothing.
   */
  readonly commit: <E>(
    draft: ManifestDraft,
    resultJson: string,
    guard?: Effect.Effect<void, E>
  ) => Effect.Effect<Manifest, CacheIoError | E>
}

const plainName = (name: string) =>
  name.includes("/") || name.includes("\\") || name.startsWith(".") || name === ""
    ? Effect.die(new Error(`Artifact names are plain file names; "${name}" is not.`))
    : Effect.void

/** `stage(key)`: a fresh staging directory for `key`, removed with the scope unless committed. */
export const make = (layout: Layout) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const services = yield* Effect.context<FileSystem.FileSystem | Path.Path>()

    const writeDurably = (file: string, bytes: Uint8Array) =>
      SideFile.writeDurably(file, bytes).pipe(Effect.provide(services))

    return (key: string) =>
      Effect.gen(function* () {
        yield* SideFile.makeDirectories(layout.tmp).pipe(Effect.provide(services))
        const tmp = `${layout.tmp}/${key}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`
        yield* SideFile.makeDirectories(`${tmp}/artifacts`).pipe(Effect.provide(services))
        let committed = false
        yield* Effect.addFinalizer(() =>
          committed ? Effect.void : fs.remove(tmp, { recursive: true }).pipe(Effect.ignore)
        )
        const sums: Record<string, FileSum> = {}
        /** Artifacts opened and not closed successfully, with their scopes (a failed writer stays here). */
        const openWriters = new Map<string, Scope.CloseableScope>()
        yield* Effect.addFinalizer(() =>
          Effect.forEach([...openWriters.values()], (scope) => Scope.close(scope, Exit.void), { discard: true })
        )
        const artifactFile = (name: string) => Effect.as(plainName(name), `${tmp}/artifacts/${name}`)
        // The stamp (inode, mtime, ctime) of the file as written, for the quick check of unread artifacts.
        const record = (name: string, file: string, sum: Pick<FileSum, "sha256" | "bytes">) =>
          Effect.map(Inspect.stamp(file), (stamp) => {
            sums[name] = {
              ...sum,
              ...(stamp === undefined ? {} : { mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino })
            }
            return sums[name]
          })
        const fresh = (name: string) =>
          openWriters.has(name)
            ? Effect.die(new Error(`Artifact "${name}" is open for writing in pieces.`))
            : Object.hasOwn(sums, name)
              ? Effect.die(new Error(`Artifact "${name}" is written twice.`))
              : Effect.void

        const writeArtifact: Staging["writeArtifact"] = (name, bytes) =>
          Effect.gen(function* () {
            const file = yield* artifactFile(name)
            yield* fresh(name)
            yield* writeDurably(file, bytes)
            yield* record(name, file, { sha256: Canonical.sha256(bytes), bytes: bytes.length })
          })

        const openArtifact: Staging["openArtifact"] = (name) =>
          Effect.gen(function* () {
            const file = yield* artifactFile(name)
            yield* fresh(name)
            const scope = yield* Scope.make()
            openWriters.set(name, scope)
            const handle = yield* fs
              .open(file, { flag: "w" })
              .pipe(Scope.extend(scope), Effect.mapError(ioError("open", file)))
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
                  handle.writeAll(bytes).pipe(
                    Effect.mapError(ioError("write", file)),
                    Effect.tap(() =>
                      Effect.sync(() => {
                        hash.update(bytes)
                        size += bytes.length
                      })
                    )
                  )
                )
              )
            const close = Effect.zipRight(
              usable,
              failed(
                handle.sync.pipe(
                  Effect.mapError(ioError("sync", file)),
                  Effect.zipRight(Scope.close(scope, Exit.void)),
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

        const commit: Staging["commit"] = (draft, resultJson, guard) =>
          Effect.gen(function* () {
            if (openWriters.size > 0) {
              return yield* Effect.die(
                new Error(`Artifact(s) ${[...openWriters.keys()].join(", ")} were not written and closed successfully.`)
              )
            }
            const resultBytes = new TextEncoder().encode(resultJson)
            const result = { sha256: Canonical.sha256(resultBytes), bytes: resultBytes.length }
            const artifacts = Object.fromEntries(Object.entries(sums).sort(([a], [b]) => (a < b ? -1 : 1)))
            const unsummed: Manifest = {
              version: 2,
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
            const manifest: Manifest = { ...unsummed, checksum: checksumOf(unsummed) }
            yield* writeDurably(`${tmp}/result.json`, resultBytes)
            yield* writeDurably(
              `${tmp}/manifest.json`,
              new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`)
            )
            yield* syncDirectory(`${tmp}/artifacts`)
            yield* syncDirectory(tmp)
            if (guard !== undefined) yield* guard
            const target = layout.entry(key)
            // A rerun replaces the entry: move the old one out first, then rename the new one in.
            // Whatever stands there (not followed: a dangling link too) is moved out of the way.
            if ((yield* Inspect.kind(target)) !== "missing") {
              const old = `${tmp}.old`
              yield* fs.rename(target, old).pipe(Effect.mapError(ioError("rename", target)))
              yield* Effect.addFinalizer(() => fs.remove(old, { recursive: true }).pipe(Effect.ignore))
            }
            yield* fs.rename(tmp, target).pipe(Effect.mapError(ioError("rename", target)))
            committed = true
            yield* syncDirectory(layout.dir)
            return manifest
          }).pipe(Effect.scoped, Effect.provide(services))

        return { dir: tmp, writeArtifact, openArtifact, commit } satisfies Staging
      })
  })
