import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import type * as Cache from "../../src/engine/Cache.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as Stage from "../../src/engine/Stage.js"
import * as Status from "../../src/engine/Status.js"
import { toy, toyB, toyPipeline } from "./fixtures/pipelines.js"
import { Scaler } from "./fixtures/scaler.js"
import { toyStages } from "./fixtures/stages.js"
import { engineLayer, plan, run, tempDir } from "./helpers.js"

/** A temporary "project" whose files the toy stages' fingerprints point at. */
const project = () => {
  const dir = tempDir("project")
  mkdirSync(join(dir, "helpers"))
  const files: Record<string, string> = {
    "source.ts": "export const source = 1\n",
    "scale.ts": 'import { mid } from "./helpers/mid.js"\nexport const scale = mid * 2\n',
    "helpers/mid.ts": 'import { deep } from "./deep.js"\nexport const mid = deep + 1\n',
    "helpers/deep.ts": "// the deepest helper\nexport const deep = 41\n",
    "sum.ts": "export const sum = (a: number, b: number) => a + b\n",
    "other.ts": "export const other = 2\n"
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const url = (name: string) => pathToFileURL(join(dir, name)).href
  const stages = toyStages({
    source: url("source.ts"),
    scale: url("scale.ts"),
    sum: url("sum.ts"),
    other: url("other.ts")
  })
  return { dir, pipeline: toyPipeline(stages, "toy-project") }
}

describe("incremental runs", () => {
  it.live("a comment-only edit reruns nothing; a helper two imports away reruns its stage and descendants", () =>
    Effect.gen(function* () {
      const { dir, pipeline } = project()
      const cache = tempDir("cache")
      const first = yield* run(pipeline, [], cache)
      assert.deepStrictEqual(first.status, { source: "ran", scale: "ran", sum: "ran", other: "ran" })

      const deep = join(dir, "helpers/deep.ts")
      writeFileSync(deep, "/** reworded comment */\nexport const deep   =   41 // trailing\n\n")
      const afterComment = yield* run(pipeline, [], cache)
      assert.deepStrictEqual(afterComment.status, { source: "cached", scale: "cached", sum: "cached", other: "cached" })

      writeFileSync(deep, "export const deep = 42\n")
      const afterEdit = yield* run(pipeline, [], cache)
      assert.deepStrictEqual(afterEdit.status, { source: "cached", scale: "ran", sum: "ran", other: "cached" })
      // The fingerprint covered the helper two imports away.
      const manifest = JSON.parse(readFileSync(join(cache, afterEdit.plan.nodes[1]!.key, "manifest.json"), "utf8"))
      assert.isTrue(manifest.fingerprint.files.some((f: { path: string }) => f.path.endsWith("helpers/deep.ts")))
    })
  )

  it.live("a param change reruns only its dependents", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      yield* run(toy, [], cache)
      const offset = yield* run(toy, ["offset=2"], cache)
      assert.deepStrictEqual(offset.status, { source: "cached", scale: "ran", sum: "ran", other: "cached" })
      const k = yield* run(toy, ["offset=2", "k=3"], cache)
      assert.deepStrictEqual(k.status, { source: "cached", scale: "cached", sum: "cached", other: "ran" })
      // 2 and 2.0 are one value: nothing reruns.
      const same = yield* run(toy, ["offset=2.0", "k=3"], cache)
      assert.deepStrictEqual(same.status, { source: "cached", scale: "cached", sum: "cached", other: "cached" })
    })
  )

  it.live("swapping a Layer A → B → A re-hits A's cache", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const a = yield* run(toy, [], cache)
      const b = yield* run(toyB, [], cache)
      assert.deepStrictEqual(b.status, { source: "cached", scale: "ran", sum: "ran", other: "cached" })
      assert.notStrictEqual(a.plan.nodes[1]!.key, b.plan.nodes[1]!.key)
      const again = yield* run(toy, [], cache)
      assert.deepStrictEqual(again.status, { source: "cached", scale: "cached", sum: "cached", other: "cached" })
      assert.deepStrictEqual(
        again.report.stages.map((s) => s.key),
        a.report.stages.map((s) => s.key)
      )
    })
  )

  it.live("a flipped byte or a truncated file is detected, moved aside and recomputed", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const first = yield* run(toy, [], cache)
      const scaleKey = first.plan.nodes.find((n) => n.name === "scale")!.key
      const artifact = join(cache, scaleKey, "artifacts", "scaled.npy")
      const bytes = readFileSync(artifact)
      bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0x01
      writeFileSync(artifact, bytes)
      const second = yield* run(toy, [], cache)
      assert.deepStrictEqual(second.status, { source: "cached", scale: "ran", sum: "cached", other: "cached" })
      assert.strictEqual(readdirSync(join(cache, ".corrupt")).length, 1)
      assert.strictEqual(
        second.report.stages[1]!.outputDigest,
        first.report.stages[1]!.outputDigest,
        "the recomputed entry equals the original"
      )

      const sumKey = first.plan.nodes.find((n) => n.name === "sum")!.key
      const result = join(cache, sumKey, "result.json")
      writeFileSync(result, readFileSync(result).subarray(0, 4))
      const third = yield* run(toy, [], cache)
      assert.deepStrictEqual(third.status, { source: "cached", scale: "cached", sum: "ran", other: "cached" })
      assert.strictEqual(readdirSync(join(cache, ".corrupt")).length, 2)
    })
  )

  it.live("artifacts nobody reads are checked by their stamp: a write that keeps size and mtime is caught (F8)", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const first = yield* run(toy, [], cache)
      const scaleKey = first.plan.nodes.find((n) => n.name === "scale")!.key
      const artifact = join(cache, scaleKey, "artifacts", "scaled.npy")
      const { mtime } = statSync(artifact)
      const bytes = readFileSync(artifact)
      bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x10
      writeFileSync(artifact, bytes)
      utimesSync(artifact, mtime, mtime) // a silent change: same size, same mtime (the ctime moved)
      const quick = yield* run(toy, [], cache)
      assert.deepStrictEqual(quick.status, { source: "cached", scale: "ran", sum: "cached", other: "cached" })
      assert.deepStrictEqual(
        quick.report.stages.map((s) => s.outputDigest),
        first.report.stages.map((s) => s.outputDigest),
        "the recomputed entry has the first run's bytes"
      )
      const deep = yield* run(toy, [], cache, { verify: true })
      assert.deepStrictEqual(deep.status, { source: "cached", scale: "cached", sum: "cached", other: "cached" })
    })
  )

  it.live("--rerun recomputes just that stage; a dry run writes nothing", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const dry = yield* run(toy, [], cache, { dryRun: true })
      assert.deepStrictEqual(dry.status, {
        source: "would-run",
        scale: "would-run",
        sum: "would-run",
        other: "would-run"
      })
      assert.deepStrictEqual(
        readdirSync(cache).filter((n) => !n.startsWith(".")),
        []
      )
      yield* run(toy, [], cache)
      const forced = yield* run(toy, [], cache, { rerun: ["scale"] })
      assert.deepStrictEqual(forced.status, { source: "cached", scale: "ran", sum: "cached", other: "cached" })
    })
  )

  it.live("a changed output Schema changes the stage's key and its consumers' keys", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const stages = toyStages()
      const wider = {
        ...stages.source,
        output: Schema.Struct({ n: Schema.Int, extra: Schema.optional(Schema.String) })
      }
      const widerStages = { ...stages, source: wider as typeof stages.source }
      const a = yield* plan(toyPipeline(stages), [], cache)
      const b = yield* plan(toyPipeline(widerStages), [], cache)
      assert.notStrictEqual(a.nodes[0]!.key, b.nodes[0]!.key)
      assert.notStrictEqual(a.nodes[1]!.key, b.nodes[1]!.key, "the consumer's key changes too")
      assert.strictEqual(a.nodes[3]!.key, b.nodes[3]!.key, "an unrelated stage keeps its key")
    })
  )

  it.live("status names the param, the upstream, the source file and the corrupt artifact", () =>
    Effect.gen(function* () {
      const { dir, pipeline } = project()
      const cache = tempDir("cache")
      const first = yield* run(pipeline, [], cache)
      writeFileSync(join(dir, "helpers/deep.ts"), "export const deep = 7\n")
      const srcKey = first.plan.nodes[0]!.key
      const values = join(cache, srcKey, "artifacts", "values.npy")
      const bytes = readFileSync(values)
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x80
      writeFileSync(values, bytes)
      const p = yield* plan(pipeline, ["offset=5"], cache)
      const states = yield* Status.explain(p).pipe(Effect.provide(engineLayer(cache)))
      const byName = Object.fromEntries(states.map((s) => [s.name, s]))
      assert.strictEqual(byName["other"]!.state, "fresh")
      assert.strictEqual(byName["source"]!.state, "stale")
      assert.include(byName["source"]!.reasons.join("\n"), "artifacts/values.npy does not match its checksum")
      const scale = byName["scale"]!.reasons.join("\n")
      assert.include(scale, "param offset changed from 0 to 5")
      assert.include(scale, "helpers/deep.ts changed")
      assert.include(byName["sum"]!.reasons.join("\n"), 'upstream "scale" (input scaled) changed')
      // status only reads: the corrupt entry is still in place.
      assert.isTrue(existsSync(values))
    })
  )

  it.live("a stage requiring a service the pipeline does not provide fails before anything runs", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const stages = toyStages()
      const bare = Pipeline.make({
        name: "bare",
        description: "no services",
        params: Schema.Struct({}),
        seed: () => 1,
        build: (_, use) => [
          use(stages.scale, { params: { offset: 0 }, inputs: { values: use(stages.source, { params: { n: 2 } }) } })
        ]
      })
      const r = yield* Effect.either(run(bare, [], cache))
      assert.strictEqual(r._tag, "Left")
      if (r._tag === "Left") {
        assert.strictEqual(r.left._tag, "PipelineDefinitionError")
        assert.include(r.left.message, `requires service "${Scaler.key}"`)
      }
      assert.isFalse(existsSync(join(cache, ".runs")))
    })
  )

  it.live("an interrupted stage leaves no entry and resumes bit-identically from its checkpoint", () =>
    Effect.gen(function* () {
      const stages = toyStages()
      const slow = Pipeline.make({
        name: "slow-inproc",
        description: "",
        params: Schema.Struct({}),
        seed: () => 11,
        build: (_, use) => [use(stages.slow, { params: { trials: 10, length: 200, sleepMs: 60 } })]
      })
      const reference = yield* run(slow, [], tempDir("cache"))
      const cache = tempDir("cache")
      const key = reference.plan.nodes[0]!.key
      const fiber = yield* Effect.fork(run(slow, [], cache))
      const ckpts = join(cache, ".checkpoints", key)
      while (!existsSync(ckpts) || readdirSync(ckpts).filter((n) => n.startsWith("ckpt-")).length === 0) {
        yield* Effect.sleep("20 millis")
      }
      yield* Effect.sleep("150 millis")
      yield* fiberInterrupt(fiber)
      assert.isFalse(existsSync(join(cache, key)), "no visible entry after the interrupt")
      const resumed = yield* run(slow, [], cache)
      assert.strictEqual(resumed.status["slow"], "resumed")
      assert.strictEqual(resumed.report.stages[0]!.outputDigest, reference.report.stages[0]!.outputDigest)
      const manifest = JSON.parse(readFileSync(join(cache, key, "manifest.json"), "utf8")) as Cache.Manifest
      assert.isTrue(manifest.resumed)
      assert.isFalse(existsSync(ckpts), "the checkpoint is removed once the entry is committed")
    })
  )
})

const fiberInterrupt = <A, E>(fiber: import("effect/Fiber").RuntimeFiber<A, E>) =>
  Effect.flatMap(
    Effect.promise(() => import("effect/Fiber")),
    (F) => F.interrupt(fiber)
  )

void Stage.isStage
