/**
 * Issue #22's rows F7 and F9, as the issue tried them (the damage fuzzer, `Damage.test.ts`, covers
 * every other pair): a path of an entry or a checkpoint replaced by something else was never moved
 * aside, and every later run failed; a manifest that no longer lists an artifact failed every
 * `--rerun` of its reader with a stack trace, and `--verify` did not see it. Each run now moves the
 * damage aside and recomputes, giving the first run's bytes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe } from "vitest"
import * as Cache from "../../src/engine/Cache.js"
import * as Status from "../../src/engine/Status.js"
import { slow, toy } from "./fixtures/pipelines.js"
import { engineLayer, run, tempDir } from "./helpers.js"

const digests = (r: { report: { stages: ReadonlyArray<{ name: string; outputDigest: string }> } }) =>
  Object.fromEntries(r.report.stages.map((s) => [s.name, s.outputDigest]))

describe("F7: a path of an entry replaced by something else", () => {
  const cases = [
    [
      "the entry's folder → a dangling symlink",
      (entry: string) => {
        rmSync(entry, { recursive: true })
        symlinkSync(`${entry}.gone`, entry)
      }
    ],
    [
      "result.json → a folder",
      (entry: string) => {
        rmSync(join(entry, "result.json"))
        mkdirSync(join(entry, "result.json"))
      }
    ],
    [
      "an artifact → a folder",
      (entry: string) => {
        rmSync(join(entry, "artifacts", "scaled.npy"))
        mkdirSync(join(entry, "artifacts", "scaled.npy"))
      }
    ],
    [
      "artifacts/ → a file",
      (entry: string) => {
        rmSync(join(entry, "artifacts"), { recursive: true })
        writeFileSync(join(entry, "artifacts"), "")
      }
    ]
  ] as const
  for (const [what, damage] of cases) {
    it.live(`${what}: status names it, the next run moves it aside and recomputes, and the run after is cached`, () =>
      Effect.gen(function* () {
        const cache = tempDir("f7")
        const first = yield* run(toy, [], cache)
        const scale = first.plan.nodes.find((n) => n.name === "scale")!
        damage(join(cache, scale.key))
        const status = yield* Status.explain(first.plan).pipe(Effect.provide(engineLayer(cache)))
        const reasons = status.find((s) => s.name === "scale")!.reasons.join("; ")
        assert.match(reasons, /is corrupt/, reasons)
        const second = yield* run(toy, [], cache)
        assert.deepStrictEqual(second.status, { source: "cached", scale: "ran", sum: "cached", other: "cached" })
        assert.deepStrictEqual(digests(second), digests(first))
        assert.strictEqual(readdirSync(join(cache, ".corrupt")).length, 1, "moved aside")
        const third = yield* run(toy, [], cache)
        assert.deepStrictEqual(third.status, { source: "cached", scale: "cached", sum: "cached", other: "cached" })
      })
    )
  }

  it.live(".checkpoints/<key> → a dangling symlink: moved aside with a warning, and the stage runs", () =>
    Effect.gen(function* () {
      const cache = tempDir("f7-ckpt")
      const sets = ["trials=3", "length=50", "sleepMs=0"]
      const reference = yield* run(slow, sets, tempDir("f7-ckpt-ref"))
      const key = reference.plan.nodes[0]!.key
      mkdirSync(join(cache, ".checkpoints"), { recursive: true })
      symlinkSync(join(cache, "nowhere"), join(cache, ".checkpoints", key))
      const again = yield* run(slow, sets, cache)
      assert.strictEqual(again.status["slow"], "ran")
      assert.deepStrictEqual(digests(again), digests(reference))
      assert.isTrue(readdirSync(join(cache, ".corrupt")).some((n) => n.startsWith(`checkpoints-${key}`)))
    })
  )
})

describe("F9: a manifest that no longer lists an artifact", () => {
  /** Drops an artifact from an entry's manifest (an older manifest, without a checksum, as the issue had it). */
  const forget = (entry: string, artifact: string) => {
    const m = JSON.parse(readFileSync(join(entry, "manifest.json"), "utf8"))
    delete m.artifacts[artifact]
    delete m.checksum
    writeFileSync(join(entry, "manifest.json"), JSON.stringify(m))
  }

  it.live("--rerun of its reader moves it aside, recomputes it and reruns the reader, in one run", () =>
    Effect.gen(function* () {
      const cache = tempDir("f9")
      const first = yield* run(toy, [], cache)
      const scale = first.plan.nodes.find((n) => n.name === "scale")!
      forget(join(cache, scale.key), "scaled.npy")
      const rerun = yield* run(toy, [], cache, { rerun: ["sum"] })
      assert.deepStrictEqual(rerun.status, { source: "cached", scale: "ran", sum: "ran", other: "cached" })
      assert.deepStrictEqual(digests(rerun), digests(first))
    })
  )

  it.live("--verify sees it: the entry is moved aside and recomputed", () =>
    Effect.gen(function* () {
      const cache = tempDir("f9-verify")
      const first = yield* run(toy, [], cache)
      const scale = first.plan.nodes.find((n) => n.name === "scale")!
      forget(join(cache, scale.key), "scaled.npy")
      const verified = yield* run(toy, [], cache, { verify: true })
      assert.deepStrictEqual(verified.status, { source: "cached", scale: "ran", sum: "cached", other: "cached" })
      assert.deepStrictEqual(digests(verified), digests(first))
      const deep = yield* Effect.either(
        Effect.flatMap(Cache.Cache, (c) => c.verify(scale.key, { deep: true })).pipe(Effect.provide(engineLayer(cache)))
      )
      assert.strictEqual(deep._tag, "Right")
      assert.isTrue(existsSync(join(cache, ".corrupt")))
    })
  )
})
