/**
 * `Staging.openArtifact`: an artifact written in pieces is checksummed like one written whole; a
 * writer that was not closed successfully makes `commit` refuse the entry; misuse (closing twice,
 * writing an open artifact whole) is a defect; no file handle outlives the staging scope.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { assert, describe } from "vitest"
import * as Cache from "../../src/engine/Cache.js"
import * as Canonical from "../../src/engine/Canonical.js"
import { tempDir } from "./helpers.js"

const draft = (key: string): Cache.ManifestDraft => ({
  key,
  stage: "s",
  node: "s",
  pipeline: "p",
  params: {},
  upstream: {},
  fingerprint: { digest: "d", files: [], packages: {} },
  services: [],
  outputSchema: "o",
  runtime: "node20",
  seed: 1,
  startedAt: new Date(0).toISOString(),
  finishedAt: new Date(0).toISOString(),
  seconds: 0,
  resumed: false
})
const key = (n: number) => String(n).padStart(64, "0")
const withCache = (dir: string) => Effect.provide(Layer.provideMerge(Cache.layer({ dir }), NodeContext.layer))
/** Open file descriptors of this process (Linux). */
const openFds = () => readdirSync("/proc/self/fd").length

describe("Staging.openArtifact", () => {
  it.live("checksums the pieces like the whole, and leaves no handle open", () =>
    Effect.gen(function* () {
      const dir = tempDir("writer")
      const before = openFds()
      const manifest = yield* Effect.scoped(
        Effect.gen(function* () {
          const cache = yield* Cache.Cache
          const staging = yield* cache.stage(key(1))
          const writer = yield* staging.openArtifact("a.bin")
          yield* writer.write(new Uint8Array([1, 2, 3]))
          yield* writer.write(new Uint8Array([4, 5]))
          yield* writer.close
          return yield* staging.commit(draft(key(1)), "{}")
        })
      ).pipe(withCache(dir))
      const bytes = readFileSync(join(dir, key(1), "artifacts", "a.bin"))
      assert.deepStrictEqual([...bytes], [1, 2, 3, 4, 5])
      const { sha256, bytes: size } = manifest.artifacts["a.bin"]!
      assert.deepStrictEqual({ sha256, size }, { sha256: Canonical.sha256(new Uint8Array([1, 2, 3, 4, 5])), size: 5 })
      assert.strictEqual(openFds(), before)
    })
  )

  it.live("refuses to commit an artifact left open, closes its handle and removes the staging directory", () =>
    Effect.gen(function* () {
      const dir = tempDir("writer")
      const before = openFds()
      const exit = yield* Effect.exit(
        Effect.scoped(
          Effect.gen(function* () {
            const cache = yield* Cache.Cache
            const staging = yield* cache.stage(key(2))
            const writer = yield* staging.openArtifact("a.bin")
            yield* writer.write(new Uint8Array([1]))
            return yield* staging.commit(draft(key(2)), "{}")
          })
        ).pipe(withCache(dir))
      )
      assert.isTrue(Exit.isFailure(exit))
      assert.include(String(Exit.isFailure(exit) ? exit.cause : ""), "were not written and closed successfully")
      assert.deepStrictEqual(
        readdirSync(dir).filter((n) => !n.startsWith(".")),
        []
      )
      assert.deepStrictEqual(readdirSync(join(dir, ".tmp")), [])
      assert.strictEqual(openFds(), before)
    })
  )

  it.live("closing twice, or writing an open artifact whole, is a defect", () =>
    Effect.gen(function* () {
      const dir = tempDir("writer")
      const twice = yield* Effect.exit(
        Effect.scoped(
          Effect.gen(function* () {
            const staging = yield* (yield* Cache.Cache).stage(key(3))
            const writer = yield* staging.openArtifact("a.bin")
            yield* writer.close
            yield* writer.close
          })
        ).pipe(withCache(dir))
      )
      assert.include(String(Exit.isFailure(twice) ? twice.cause : ""), `Artifact "a.bin" is closed`)
      const whole = yield* Effect.exit(
        Effect.scoped(
          Effect.gen(function* () {
            const staging = yield* (yield* Cache.Cache).stage(key(4))
            yield* staging.openArtifact("a.bin")
            yield* staging.writeArtifact("a.bin", new Uint8Array([1]))
          })
        ).pipe(withCache(dir))
      )
      assert.include(String(Exit.isFailure(whole) ? whole.cause : ""), "is open for writing in pieces")
    })
  )
})
