/**
 * `Upstream.readArrayRows`: rows of a large upstream array read one piece at a time, equal to the
 * whole array's rows, with the file checksum-verified (streaming) before the first piece; a
 * flipped byte fails the reading stage with the cache's corruption error, naming the file.
 */
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import { checksumOf } from "../../src/engine/cache/Manifest.js"
import * as NdArray from "../../src/engine/NdArray.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as Stage from "../../src/engine/Stage.js"
import { run, tempDir } from "./helpers.js"

const ROWS = 7
const COLS = 5

const grid = Stage.make({
  name: "grid",
  module: import.meta.url,
  description: "Writes a ROWS × COLS array with entry (i, j) = 10·i + j + 0.5.",
  params: Schema.Struct({}),
  output: Schema.Struct({}),
  run: (ctx) =>
    Effect.gen(function* () {
      const data = Float64Array.from({ length: ROWS * COLS }, (_, k) => 10 * Math.floor(k / COLS) + (k % COLS) + 0.5)
      yield* ctx.writeArray("grid.npy", NdArray.make("f8", [ROWS, COLS], data))
      return {}
    })
})

const rows = Stage.make({
  name: "rows",
  module: import.meta.url,
  description: "Reads the grid back one row at a time, then two rows at once.",
  params: Schema.Struct({ tag: Schema.Number }),
  inputs: { grid },
  output: Schema.Struct({
    rows: Schema.Array(Schema.Array(Schema.Number)),
    pair: Schema.Array(Schema.Number),
    shape: Schema.Array(Schema.Number)
  }),
  run: (ctx) =>
    Effect.gen(function* () {
      const out: Array<Array<number>> = []
      for (let i = 0; i < ROWS; i++) {
        out.push(Array.from((yield* ctx.inputs.grid.readArrayRows("grid.npy", i, 1)).data))
      }
      const pair = yield* ctx.inputs.grid.readArrayRows("grid.npy", 3, 2)
      return { rows: out, pair: Array.from(pair.data), shape: [...pair.shape] }
    })
})

/** Reads the whole grid (`readArray`), or an artifact name the grid does not have. */
const whole = Stage.make({
  name: "whole",
  module: import.meta.url,
  description: "Reads an artifact of the grid whole.",
  params: Schema.Struct({ artifact: Schema.String }),
  inputs: { grid },
  output: Schema.Struct({ sum: Schema.Number }),
  run: (ctx) =>
    Effect.map(ctx.inputs.grid.readArray(ctx.params.artifact), (a) => {
      let sum = 0
      for (let k = 0; k < a.data.length; k++) sum += a.data[k]!
      return { sum }
    })
})

const wholePipeline = Pipeline.make({
  name: "array-whole",
  description: "",
  params: Schema.Struct({ artifact: Schema.optionalWith(Schema.String, { default: () => "grid.npy" }) }),
  seed: () => 1,
  build: (p, use) => [use(whole, { params: { artifact: p.artifact }, inputs: { grid: use(grid, { params: {} }) } })]
})

/** Flips one data byte of a file, keeping its size and mtime (its ctime moves: the quick check sees it). */
const flipByte = (file: string) => {
  const bytes = readFileSync(file)
  const { mtime } = statSync(file)
  bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0x01
  writeFileSync(file, bytes)
  utimesSync(file, mtime, mtime)
}

/**
 * Damage no quick check can see (bit rot under the file system): a flipped byte, and the entry's
 * manifest rewritten to the file's new stamp (its checksum recomputed), so only reading the bytes
 * finds it.
 */
const rot = (entry: string, artifact: string) => {
  const file = join(entry, "artifacts", artifact)
  flipByte(file)
  const manifest = JSON.parse(readFileSync(join(entry, "manifest.json"), "utf8"))
  const s = statSync(file)
  manifest.artifacts[artifact] = { ...manifest.artifacts[artifact], mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino }
  manifest.checksum = checksumOf(manifest)
  writeFileSync(join(entry, "manifest.json"), JSON.stringify(manifest))
}

const pipeline = Pipeline.make({
  name: "array-rows",
  description: "",
  params: Schema.Struct({ tag: Schema.optionalWith(Schema.Number, { default: () => 0 }) }),
  seed: () => 1,
  build: (p, use) => [use(rows, { params: { tag: p.tag }, inputs: { grid: use(grid, { params: {} }) } })]
})

describe("Upstream.readArrayRows", () => {
  it.live("reads rows equal to the array's, and refuses a file with a flipped byte", () =>
    Effect.gen(function* () {
      const cache = tempDir("rows")
      const first = yield* run(pipeline, [], cache)
      assert.deepStrictEqual(first.status, { grid: "ran", rows: "ran" })
      const gridKey = first.plan.nodes.find((n) => n.name === "grid")!.key
      const file = join(cache, gridKey, "artifacts", "grid.npy")
      const whole = NdArray.decodeNpy(new Uint8Array(readFileSync(file)))
      const rowsKey = first.plan.nodes.find((n) => n.name === "rows")!.key
      const result = JSON.parse(readFileSync(join(cache, rowsKey, "result.json"), "utf8"))
      for (let i = 0; i < ROWS; i++) {
        assert.deepStrictEqual(result.rows[i], Array.from(whole.data.subarray(i * COLS, (i + 1) * COLS)), `row ${i}`)
      }
      assert.deepStrictEqual(result.pair, Array.from(whole.data.subarray(3 * COLS, 5 * COLS)))
      assert.deepStrictEqual(result.shape, [2, COLS])

      // A flipped data byte, with size and mtime kept: the grid's quick check sees its ctime moved,
      // so the run moves it aside and recomputes it before the reading stage uses a row.
      flipByte(file)
      const second = yield* run(pipeline, ["tag=1"], cache)
      assert.deepStrictEqual(second.status, { grid: "ran", rows: "ran" })
      assert.strictEqual(readdirSync(join(cache, ".corrupt")).length, 1)
      // Damage no quick check sees: the reading stage notices it before it uses any row; the run
      // moves the grid aside, recomputes it and reruns the reader, once.
      rot(join(cache, gridKey), "grid.npy")
      const third = yield* run(pipeline, ["tag=2"], cache)
      assert.deepStrictEqual(third.status, { grid: "ran", rows: "ran" })
      assert.strictEqual(readdirSync(join(cache, ".corrupt")).length, 2)
      const rowsAgain = JSON.parse(readFileSync(join(cache, third.plan.nodes[1]!.key, "result.json"), "utf8"))
      assert.deepStrictEqual(rowsAgain.rows, result.rows, "the rerun reader read the recomputed grid")
    })
  )

  it.live("readArray: a corrupt upstream is moved aside and recomputed; a wrong name is the reader's error", () =>
    Effect.gen(function* () {
      const cache = tempDir("whole")
      const first = yield* run(wholePipeline, [], cache)
      assert.deepStrictEqual(first.status, { grid: "ran", whole: "ran" })
      const gridKey = first.plan.nodes.find((n) => n.name === "grid")!.key
      const gridDir = join(cache, gridKey)

      // A name the grid never wrote: the reading stage fails naming what exists, the grid stays.
      const typo = yield* Effect.either(run(wholePipeline, ["artifact=gird.npy"], cache))
      assert.strictEqual(typo._tag, "Left")
      if (typo._tag === "Left") assert.match(String(typo.left), /has no artifact "gird\.npy"; it has: grid\.npy/)
      assert.isTrue(existsSync(gridDir), "a healthy upstream is not moved aside for a reader's typo")

      // Damage no quick check sees, found by the read: the grid is moved aside, recomputed, and the
      // reader rerun in the same run, to the same result as the first.
      const wholeResult = join(cache, first.plan.nodes.find((n) => n.name === "whole")!.key, "result.json")
      const before = readFileSync(wholeResult, "utf8")
      rot(gridDir, "grid.npy")
      const again = yield* run(wholePipeline, [], cache, { rerun: ["whole"] })
      assert.deepStrictEqual(again.status, { grid: "ran", whole: "ran" })
      assert.strictEqual(readdirSync(join(cache, ".corrupt")).length, 1)
      assert.strictEqual(readFileSync(wholeResult, "utf8"), before)
    })
  )
})

/**
 * Writes the same grid one row at a time (`writeArrayRows`); `extra` appends that many more or fewer
 * values in the last row, and `extra` = 99 appends the last row as float32 instead.
 */
const streamed = Stage.make({
  name: "streamed-grid",
  module: import.meta.url,
  description: "Writes the grid of `grid` row by row.",
  params: Schema.Struct({ extra: Schema.Number }),
  output: Schema.Struct({}),
  run: (ctx) =>
    Effect.gen(function* () {
      yield* ctx.writeArrayRows("grid.npy", "f8", [ROWS, COLS], (append) =>
        Effect.gen(function* () {
          for (let i = 0; i < ROWS; i++) {
            const last = i === ROWS - 1
            const wrongType = last && ctx.params.extra === 99
            const length = last && !wrongType ? COLS + ctx.params.extra : COLS
            const row = Float64Array.from({ length }, (_, j) => 10 * i + j + 0.5)
            yield* append(wrongType ? (Float32Array.from(row) as unknown as Float64Array) : row)
          }
        })
      )
      return {}
    })
})

const streamedPipeline = Pipeline.make({
  name: "array-streamed",
  description: "",
  params: Schema.Struct({ extra: Schema.optionalWith(Schema.Number, { default: () => 0 }) }),
  seed: () => 1,
  build: (p, use) => [
    use(streamed, { params: { extra: p.extra } }),
    use(rows, { params: { tag: 0 }, inputs: { grid: use(grid, { params: {} }) } })
  ]
})

describe("StageContext.writeArrayRows", () => {
  it.live(
    "writes the same bytes and checksum as writeArray; a short, long or mistyped artifact is a defect and commits nothing",
    () =>
      Effect.gen(function* () {
        const cache = tempDir("streamed")
        const first = yield* run(streamedPipeline, [], cache)
        const keyOf = (name: string) => first.plan.nodes.find((n) => n.name === name)!.key
        const manifest = (name: string) =>
          JSON.parse(readFileSync(join(cache, keyOf(name), "manifest.json"), "utf8")) as {
            artifacts: Record<string, { sha256: string; bytes: number }>
          }
        const whole = manifest("grid").artifacts["grid.npy"]!
        const pieces = manifest("streamed-grid").artifacts["grid.npy"]!
        assert.deepStrictEqual(
          { sha256: pieces.sha256, bytes: pieces.bytes },
          { sha256: whole.sha256, bytes: whole.bytes }
        )
        assert.deepStrictEqual(
          readFileSync(join(cache, keyOf("streamed-grid"), "artifacts", "grid.npy")),
          readFileSync(join(cache, keyOf("grid"), "artifacts", "grid.npy"))
        )
        for (const extra of [-1, 1]) {
          const bad = yield* Effect.either(run(streamedPipeline, [`extra=${extra}`], cache))
          const message = bad._tag === "Left" ? String(bad.left) : JSON.stringify(bad.right.status)
          assert.match(message, extra < 0 ? /34 of the 35 elements/ : /more than the 35 elements/)
          const entries = readdirSync(cache).filter((n) => /^[0-9a-f]{64}$/.test(n))
          assert.strictEqual(entries.length, 3, "no entry for the failed stage")
          assert.deepStrictEqual(readdirSync(join(cache, ".tmp")), [], "no half-written staging directory")
        }
      })
  )
})
