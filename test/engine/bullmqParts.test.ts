/**
 * The distributed executor's pure parts, without Redis: URL handling, the processor's plan
 * restriction, where the compiled processor is looked up, and the inline task pool's copying.
 */
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import { processorFile } from "../../src/engine/distributed/BullWorker.js"
import { inlinePool } from "../../src/engine/distributed/InlinePool.js"
import * as Queue from "../../src/engine/distributed/Queue.js"
import * as Plan from "../../src/engine/Plan.js"
import { repoRoot } from "../helpers/cli.js"

describe("Queue", () => {
  it("hides a Redis password in messages", () => {
    assert.strictEqual(Queue.redact("redis://plastic:s3cret@queue.lab:6379/2"), "redis://plastic:***@queue.lab:6379/2")
    assert.strictEqual(Queue.redact("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379")
    assert.notInclude(Queue.redact("rediss://:hunter2@h:1"), "hunter2")
  })

  it("takes redis:// and rediss:// URLs only", () => {
    assert.strictEqual(Queue.connection("rediss://h:6380").url, "rediss://h:6380")
    assert.isNull(Queue.connection("redis://h:6379").maxRetriesPerRequest)
    assert.throws(() => Queue.connection("http://h:6379"), /redis:\/\/ or rediss:\/\//)
  })

  it("gives a job its stage key as id and retries it", () => {
    const { options } = Effect.runSync(Queue.jobSettings)
    assert.strictEqual(options("ab".repeat(32)).jobId, "ab".repeat(32))
    assert.isAtLeast(options("ab".repeat(32)).attempts, 3)
  })

  it("refuses job data whose key is not a stage key before it reaches a file path", () => {
    const job = (key: string) => ({
      request: { kind: "run", pipeline: "estimation", params: {} },
      node: "train",
      key,
      force: false
    })
    const decode = Schema.decodeUnknownEither(Queue.JobData)
    assert.strictEqual(decode(job("ab".repeat(32)))._tag, "Right")
    for (const bad of ["../../etc/passwd", "AB".repeat(32), "ab".repeat(31), ""]) {
      assert.strictEqual(decode(job(bad))._tag, "Left", bad)
    }
    assert.throws(() => Queue.computationLog("/cache", "../../x"), /not a stage key/)
  })
})

describe("Plan.restrict (what the processor runs)", () => {
  // a → b → d, c → d, e (unrelated)
  const node = (name: string, inputs: Record<string, string>) => ({ name, inputs }) as unknown as Plan.PlannedNode
  const plan = {
    nodes: [node("a", {}), node("c", {}), node("e", {}), node("b", { x: "a" }), node("d", { y: "b", z: "c" })],
    targets: ["d", "e"]
  } as unknown as Plan.Plan

  it("restricts a plan to the node and its ancestors, in plan order", () => {
    const restricted = Plan.restrict(plan, "d")
    assert.deepStrictEqual(
      restricted.nodes.map((n) => n.name),
      ["a", "c", "b", "d"]
    )
    assert.deepStrictEqual(restricted.targets, ["d"])
    assert.deepStrictEqual(
      Plan.restrict(plan, "b").nodes.map((n) => n.name),
      ["a", "b"]
    )
  })

  it("is loaded from the compiled tree, also when the worker module is TypeScript", () => {
    const source = new URL("../../src/engine/distributed/BullWorker.ts", import.meta.url).href
    assert.strictEqual(processorFile(source), join(repoRoot, "dist", "src", "engine", "distributed", "processor.js"))
    const compiled = "file:///opt/app/dist/src/engine/distributed/BullWorker.js"
    assert.strictEqual(
      processorFile(compiled),
      fileURLToPath("file:///opt/app/dist/src/engine/distributed/processor.js")
    )
  })
})

describe("inlinePool", () => {
  const module = `data:text/javascript,${encodeURIComponent(
    "export const bump = (x) => { x.values[0] += 1; return x }; export const boom = () => { throw new Error('no') }"
  )}`

  it.effect("copies inputs and results as a thread pool would", () =>
    Effect.gen(function* () {
      const input = { values: new Float64Array([1, 2]) }
      const out = (yield* inlinePool.run({ module, export: "bump" }, input)) as typeof input
      assert.deepStrictEqual([...out.values], [2, 2])
      assert.deepStrictEqual([...input.values], [1, 2])
      const moved = { values: new Float64Array([5]) }
      yield* inlinePool.run({ module, export: "bump" }, moved, [moved.values.buffer])
      assert.strictEqual(moved.values.length, 0) // transferred, as to a worker thread
    })
  )

  it.effect("reports a throwing task as TaskFailedError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(inlinePool.run({ module, export: "boom" }, {}))
      assert.strictEqual(error._tag, "TaskFailedError")
      assert.include(error.detail, "no")
      const missing = yield* Effect.flip(inlinePool.run({ module, export: "absent" }, {}))
      assert.include(missing.detail, "has no exported function absent")
    })
  )
})
