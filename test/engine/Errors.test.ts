import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { SystemError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import * as Cache from "../../src/engine/Cache.js"
import * as Engine from "../../src/engine/Engine.js"
import * as LocalRunner from "../../src/engine/LocalRunner.js"
import * as NdArray from "../../src/engine/NdArray.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as Progress from "../../src/engine/Progress.js"
import * as Scheduler from "../../src/engine/Scheduler.js"
import * as Stage from "../../src/engine/Stage.js"
import * as WorkerPool from "../../src/engine/WorkerPool.js"
import { slow } from "./fixtures/pipelines.js"
import { tasksModule } from "./fixtures/tasks.js"
import { plan, run, tempDir } from "./helpers.js"

const one = (stage: Stage.Any) =>
  Pipeline.make({
    name: "one",
    description: "",
    params: Schema.Struct({}),
    seed: () => 1,
    build: (_, use) => [use(stage, { params: {}, inputs: {} } as never)]
  })

const failing = Stage.make({
  name: "failing",
  module: import.meta.url,
  description: "Writes an artifact, then fails.",
  params: Schema.Struct({}),
  output: Schema.Struct({}),
  run: (ctx) =>
    Effect.gen(function* () {
      yield* ctx.writeText("partial.txt", "half")
      return yield* Effect.fail("the toy stage gave up")
    })
})

const taskFailing = Stage.make({
  name: "task-failing",
  module: import.meta.url,
  description: "Runs a worker task that throws.",
  params: Schema.Struct({}),
  output: Schema.Struct({}),
  run: (ctx) => Effect.as(ctx.runTask({ module: tasksModule, export: "fail" }, {}), {})
})

const writer = Stage.make({
  name: "writer",
  module: import.meta.url,
  description: "Writes one artifact.",
  params: Schema.Struct({}),
  output: Schema.Struct({}),
  run: (ctx) =>
    Effect.gen(function* () {
      yield* ctx.writeArray("values.npy", NdArray.fromNumbers([1, 2, 3]))
      yield* ctx.writeText("a.txt", "a")
      return {}
    })
})

describe("errors", () => {
  it.live("a failing stage reports its name and cause and leaves no entry", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const r = yield* Effect.either(run(one(failing), [], cache))
      assert.strictEqual(r._tag, "Left")
      if (r._tag === "Left") {
        assert.strictEqual(r.left._tag, "StageFailedError")
        assert.include(r.left.message, 'Stage "failing" failed')
        assert.include(r.left.message, "the toy stage gave up")
      }
      assert.deepStrictEqual(
        readdirSync(cache).filter((n) => !n.startsWith(".")),
        []
      )
      assert.deepStrictEqual(readdirSync(join(cache, ".tmp")), [], "the temporary directory was removed")
    })
  )

  it.live("a worker task that throws fails its stage with the task's error", () =>
    Effect.gen(function* () {
      const r = yield* Effect.either(run(one(taskFailing), [], tempDir("cache")))
      assert.strictEqual(r._tag, "Left")
      if (r._tag === "Left") {
        assert.include(r.left.message, "tasks.ts#fail failed")
        assert.include(r.left.message, "toy task failure")
      }
    })
  )

  // Disk full wherever the entry is written: the .npy artifact (written in pieces), a text
  // artifact, the JSON result and the manifest. Each fails the run with DiskFull and commits nothing.
  for (const [what, target] of [
    ["a .npy artifact", "values.npy"],
    ["a text artifact", "a.txt"],
    ["the JSON result", "result.json"],
    ["the manifest", "manifest.json"]
  ] as const) {
    it.live(`a full disk while writing ${what} fails with DiskFull, says what to do, and commits nothing`, () =>
      Effect.gen(function* () {
        const cache = tempDir("cache")
        const p = yield* plan(one(writer), [], cache)
        const r = yield* runOnFullDisk(p, cache, (path) => path.endsWith(target), { record: false })
        assertDiskFull(r, target)
        assert.isFalse(existsSync(join(cache, p.nodes[0]!.key)), "no entry was committed")
        assert.deepStrictEqual(readdirSync(join(cache, ".tmp")), [], "the staging directory was removed")
      })
    )
  }

  // The side files and checkpoints are written like entries: a full disk fails the run with the
  // same advice and leaves neither an entry nor a partial file.
  it.live("a full disk while writing the run record fails before anything runs, and leaves no file", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const p = yield* plan(one(writer), [], cache)
      const r = yield* runOnFullDisk(p, cache, (path) => path.includes("/.runs/"), {})
      assertDiskFull(r, ".runs/")
      assert.isFalse(existsSync(join(cache, p.nodes[0]!.key)), "no entry was committed")
      assert.deepStrictEqual(readdirSync(join(cache, ".runs")), [], "no record, and no temporary file")
    })
  )

  it.live("a full disk while writing a checkpoint fails the stage, commits nothing, leaves no partial checkpoint", () =>
    Effect.gen(function* () {
      const cache = tempDir("cache")
      const p = yield* plan(slow, ["trials=3", "length=10"], cache)
      const key = p.nodes[0]!.key
      const r = yield* runOnFullDisk(p, cache, (path) => path.includes("/.checkpoints/"), { record: false })
      assertDiskFull(r, `.checkpoints/${key}/`)
      assert.isFalse(existsSync(join(cache, key)), "no entry was committed")
      assert.deepStrictEqual(readdirSync(join(cache, ".tmp")), [], "the staging directory was removed")
      const left = existsSync(join(cache, ".checkpoints", key)) ? readdirSync(join(cache, ".checkpoints", key)) : []
      assert.deepStrictEqual(left, [], "no partial checkpoint folder")
    })
  )
})

/** Runs a plan on a file system whose writes fail with ENOSPC for the files `full` selects. */
const runOnFullDisk = (
  p: Effect.Effect.Success<ReturnType<typeof plan>>,
  cache: string,
  full: (path: string) => boolean,
  options: Scheduler.RunOptions
) => {
  const enospc = (path: string) =>
    new SystemError({
      reason: "Unknown",
      module: "FileSystem",
      method: "write",
      pathOrDescriptor: path,
      description: "ENOSPC: no space left on device"
    })
  const fullDisk = Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (fs) => ({
      ...fs,
      open: (path: string, options?: FileSystem.OpenFileOptions) =>
        Effect.map(fs.open(path, options), (file) =>
          full(path)
            ? new Proxy(file, {
                get: (f, p) =>
                  p === "write" || p === "writeAll" ? () => Effect.fail(enospc(path)) : Reflect.get(f, p, f)
              })
            : file
        )
    }))
  ).pipe(Layer.provide(NodeContext.layer))
  const layer = Engine.layer({
    runner: LocalRunner.layer({ memoryBudget: 2 ** 30 }),
    cache: Cache.layer({ dir: cache }),
    progress: Layer.succeed(Progress.Progress, Progress.silent),
    pool: Layer.scoped(WorkerPool.WorkerPool, WorkerPool.make(1))
  }).pipe(
    // The right side of a merge wins: the failing FileSystem replaces the real one.
    Layer.provideMerge(Layer.merge(NodeContext.layer, fullDisk))
  )
  return Effect.either(
    Effect.flatMap(Scheduler.Scheduler, (s) => s.run(p, { checkpointIntervalMs: 0, ...options })).pipe(
      Effect.provide(layer)
    )
  )
}

/** The run failed with DiskFull, saying what to do and naming the file. */
const assertDiskFull = (
  r: Either.Either<unknown, { _tag: string; message: string; reason?: string }>,
  file: string
) => {
  assert.strictEqual(r._tag, "Left")
  if (r._tag === "Left") {
    assert.strictEqual(r.left._tag, "CacheIoError", r.left.message)
    assert.strictEqual(r.left.reason, "DiskFull")
    assert.include(r.left.message, "the disk is full")
    assert.include(r.left.message, file)
  }
}
