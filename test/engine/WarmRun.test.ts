import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import * as Canonical from "../../src/engine/Canonical.js"
import * as Fingerprint from "../../src/engine/Fingerprint.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as Stage from "../../src/engine/Stage.js"
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

/** What the CLI does around a run: a snapshot of the sources when planned, the memo at the end. */
const snapshotOf = (
  cache: string,
  registry: string,
  planned: { plan: Parameters<typeof WarmRun.snapshot>[0]["plan"] }
) =>
  Effect.gen(function* () {
    const fingerprinter = yield* Fingerprint.make({ root, memoPath: join(cache, ".fingerprints.json") })
    return yield* WarmRun.snapshot({ root, registry, plan: planned.plan, fingerprinter })
  }).pipe(Effect.provide(engineLayer(cache)))

const recordFrom = (
  cache: string,
  files: Readonly<Record<string, string>>,
  done: Effect.Effect.Success<ReturnType<typeof run>>
) =>
  WarmRun.record({
    cacheDir: cache,
    root,
    sets: ["k=2"],
    plan: done.plan,
    files,
    stages: done.report.stages
  }).pipe(Effect.provide(engineLayer(cache)))

const recordRun = (cache: string, registry: string, done: Effect.Effect.Success<ReturnType<typeof run>>) =>
  Effect.flatMap(snapshotOf(cache, registry, done), (files) => recordFrom(cache, files, done))

describe("warm-run memo", () => {
  it.live("serves an unchanged run, and refuses after a source edit or a corrupt entry", () =>
    Effect.gen(function* () {
      const { dir, pipeline, registry } = project()
      const cache = tempDir("cache")
      const out = tempDir("out")
      const first = yield* run(pipeline, ["k=2"], cache)
      yield* recordRun(cache, registry, first)
      const serve = (sets: ReadonlyArray<string>, from: string = root) =>
        WarmRun.serve({ root: from, publishTo: join(out, "toy-warm"), pipeline: "toy-warm", sets }).pipe(
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
        assert.strictEqual(readFileSync(join(out, "toy-warm", "latest", "report.txt"), "utf8").slice(0, 3), "sum")
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

  it.live("records nothing when a source it depends on changed during the run", () =>
    Effect.gen(function* () {
      const { dir, pipeline, registry } = project()
      const cache = tempDir("cache")
      const first = yield* run(pipeline, ["k=2"], cache)
      const files = yield* snapshotOf(cache, registry, first)
      // An edit between planning and the end of the run (a long training, say).
      writeFileSync(join(dir, "helpers/h.ts"), "export const h = 2\n")
      yield* recordFrom(cache, files, first)
      assert.isFalse(existsSync(WarmRun.memoPath(cache, "toy-warm", ["k=2"])), "no memo for edited sources")
      // Unchanged sources: the memo is written and holds the hashes taken when the run was planned.
      writeFileSync(join(dir, "helpers/h.ts"), "export const h = 1\n")
      const again = yield* run(pipeline, ["k=2"], cache)
      const planned = yield* snapshotOf(cache, registry, again)
      yield* recordFrom(cache, planned, again)
      const memo = JSON.parse(readFileSync(WarmRun.memoPath(cache, "toy-warm", ["k=2"]), "utf8")) as WarmRun.Memo
      assert.deepStrictEqual(memo.files, planned)
    })
  )

  it.live("a damaged memo is a warning and a full run, never a failure", () =>
    Effect.gen(function* () {
      const { pipeline, registry } = project()
      const cache = tempDir("cache")
      const out = tempDir("out")
      const first = yield* run(pipeline, ["k=2"], cache)
      yield* recordRun(cache, registry, first)
      const memo = WarmRun.memoPath(cache, "toy-warm", ["k=2"])
      const text = readFileSync(memo, "utf8")
      for (const damaged of [text.slice(0, text.length / 2), "", text.replace(/"version":\s*4/, '"version": "4"')]) {
        writeFileSync(memo, damaged)
        const served = yield* WarmRun.serve({
          root,
          publishTo: join(out, "toy-warm"),
          pipeline: "toy-warm",
          sets: ["k=2"]
        }).pipe(Effect.provide(engineLayer(cache)))
        assert.isTrue(Option.isNone(served))
        assert.isFalse(existsSync(memo), "the damaged memo was moved aside")
        yield* recordRun(cache, registry, first)
      }
    })
  )

  it.live("a file a stage param names is part of the memo: editing it plans the run again", () =>
    Effect.gen(function* () {
      const { registry } = project()
      const cache = tempDir("cache")
      const out = tempDir("out")
      const data = join(tempDir("data"), "input.json")
      writeFileSync(data, "[1, 2, 3]\n")
      // As load-network: the file's path and digest are params, the digest computed when planning.
      const reader = Stage.make({
        name: "reader",
        module: import.meta.url,
        description: "Sums the numbers of a JSON file its params name.",
        params: Schema.Struct({ path: Schema.String, digest: Schema.String }),
        output: Schema.Struct({ sum: Schema.Number }),
        run: (ctx) =>
          Effect.sync(() => ({
            sum: (JSON.parse(readFileSync(ctx.params.path, "utf8")) as Array<number>).reduce((a, b) => a + b, 0)
          }))
      })
      const pipeline = Pipeline.make({
        name: "reads-file",
        description: "",
        params: Schema.Struct({ path: Schema.String }),
        build: (p, use) => [use(reader, { params: { path: p.path, digest: Canonical.sha256(readFileSync(p.path)) } })]
      })
      const first = yield* run(pipeline, [`path=${data}`], cache)
      const files = yield* snapshotOf(cache, registry, first)
      assert.property(files, data, "the named file is in the memo, by its absolute path")
      yield* WarmRun.record({
        cacheDir: cache,
        root,
        sets: [`path=${data}`],
        plan: first.plan,
        files,
        stages: first.report.stages
      }).pipe(Effect.provide(engineLayer(cache)))
      const serve = WarmRun.serve({
        root,
        publishTo: join(out, "reads-file"),
        pipeline: "reads-file",
        sets: [`path=${data}`]
      }).pipe(Effect.provide(engineLayer(cache)))
      assert.isTrue(Option.isSome(yield* serve), "unchanged: served")
      writeFileSync(data, "[1, 2, 4]\n")
      assert.isTrue(Option.isNone(yield* serve), "the file changed: the full run plans it again")
      const again = yield* run(pipeline, [`path=${data}`], cache)
      assert.strictEqual(again.status["reader"], "ran")
    })
  )
})
