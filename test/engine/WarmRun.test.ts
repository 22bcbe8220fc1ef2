import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { assert, describe } from "vitest"
import { parseRun } from "../../src/cli/warm.js"
import * as Executor from "../../src/engine/Executor.js"
import * as Fingerprint from "../../src/engine/Fingerprint.js"
import * as WarmRun from "../../src/engine/WarmRun.js"
import { toyPipeline } from "./fixtures/pipelines.js"
import { toyStages } from "./fixtures/stages.js"
import { engineLayer, root, run, tempDir } from "./helpers.js"

const project = () => {
  const dir = tempDir("warm")
  mkdirSync(join(dir, "helpers"))
  writeFileSync(join(dir, "registry.ts"), 'import { stage } from "./stage.js"\nexport const all = [stage]\n')
  writeFileSync(join(dir, "stage.ts"), 'import { h } from "./helpers/h.js"\nexport const stage = h\n')
  writeFileSync(join(dir, "helpers/h.ts"), "export const h = 1\n")
  const url = (f: string) => pathToFileURL(join(dir, f)).href
  const pipeline = toyPipeline(toyStages({ scale: url("stage.ts") }), "toy-warm")
  return { dir, pipeline, registry: url("registry.ts") }
}

describe("warm-run memo", () => {
  it.live("serves an unchanged run, and refuses after a source edit or a corrupt entry", () =>
    Effect.gen(function* () {
      const { dir, pipeline, registry } = project()
      const cache = tempDir("cache")
      const out = tempDir("out")
      const first = yield* run(pipeline, ["k=2"], cache)
      const record = Effect.gen(function* () {
        const fingerprinter = yield* Fingerprint.make({ root, memoPath: join(cache, ".fingerprints.json") })
        yield* WarmRun.record({
          cacheDir: cache,
          root,
          registry,
          sets: ["k=2"],
          plan: first.plan,
          fingerprinter,
          stages: first.report.stages,
          publish: Executor.publishTargets(first.plan)
        })
      })
      yield* record.pipe(Effect.provide(engineLayer(cache)))
      const serve = (sets: ReadonlyArray<string>, from: string = root) =>
        WarmRun.serve({ root: from, cacheDir: cache, outDir: out, pipeline: "toy-warm", sets }).pipe(
          Effect.provide(engineLayer(cache))
        )

      // Another checkout sharing the cache checks its own sources against the memo: a copy of the
      // project whose sources differ is not served.
      const otherCheckout = tempDir("checkout")
      assert.isTrue(Option.isNone(yield* serve(["k=2"], otherCheckout)))

      const served = yield* serve(["k=2"])
      assert.isTrue(Option.isSome(served))
      if (Option.isSome(served)) {
        assert.deepStrictEqual(
          served.value.stages.map((s) => [s.name, s.key, s.outputDigest]),
          first.report.stages.map((s) => [s.name, s.key, s.outputDigest])
        )
        assert.strictEqual(readFileSync(join(out, "toy-warm", "report.txt"), "utf8").slice(0, 3), "sum")
      }
      assert.isTrue(Option.isNone(yield* serve(["k=3"])), "other arguments have no memo")

      // A file the registry reaches changes → the full run decides.
      writeFileSync(join(dir, "helpers/h.ts"), "// a comment\nexport const h = 1\n")
      assert.isTrue(Option.isNone(yield* serve(["k=2"])))
      writeFileSync(join(dir, "helpers/h.ts"), "export const h = 1\n")
      assert.isTrue(Option.isSome(yield* serve(["k=2"])), "restored content is served again")

      // A corrupt entry → the full run reports and recomputes it.
      const key = first.plan.nodes[1]!.key
      const file = join(cache, key, "artifacts", "scaled.npy")
      const bytes = readFileSync(file)
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1
      writeFileSync(file, bytes)
      assert.isTrue(Option.isNone(yield* serve(["k=2"])))
    })
  )

  it("takes only the plain run form", () => {
    assert.deepStrictEqual(parseRun(["run", "toy", "--set", "k=2", "--json", "--cache", "/c"]), {
      pipeline: "toy",
      sets: ["k=2"],
      json: true,
      cache: "/c",
      out: undefined
    })
    assert.isUndefined(parseRun(["run", "toy", "--force", "sum"]))
    assert.isUndefined(parseRun(["run", "toy", "--dry-run"]))
    assert.isUndefined(parseRun(["status", "toy"]))
    assert.isUndefined(parseRun(["run"]))
  })
})
