/**
 * A node's own root seed (`use(stage, { seed })`): it reaches the stage as `ctx.seed`, enters the
 * node's key, and a node given the pipeline's seed explicitly is the same node as one without.
 */
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import * as Pipeline from "../../src/engine/Pipeline.js"
import { toyStages } from "./fixtures/stages.js"
import { plan, run, tempDir } from "./helpers.js"

const stages = toyStages()
const seeded = (seeds: ReadonlyArray<number | undefined>) =>
  Pipeline.make({
    name: "seeded",
    description: "one source per seed",
    params: Schema.Struct({}),
    seed: () => 1,
    build: (_, use) =>
      seeds.map((seed, k) =>
        use(stages.source, { name: `source-${k}`, params: { n: 4 }, ...(seed === undefined ? {} : { seed }) })
      )
  })

describe("per-node seeds", () => {
  it.live("enter the key and the stage's streams; the pipeline's seed given explicitly changes nothing", () =>
    Effect.gen(function* () {
      const result = yield* run(seeded([undefined, 1, 3]), [], tempDir("cache"))
      const [implicit, explicit, other] = result.plan.nodes
      assert.strictEqual(implicit!.seed, 1)
      assert.strictEqual(explicit!.key, implicit!.key)
      assert.strictEqual(other!.seed, 3)
      assert.notStrictEqual(other!.key, implicit!.key)
      const digests = result.report.stages.map((s) => s.outputDigest)
      assert.strictEqual(digests[0], digests[1])
      // The toy source's values depend on ctx.seed: seed 3 writes different values.
      assert.notStrictEqual(digests[2], digests[0])
    })
  )

  it.live("a seed that is not a non-negative integer is a definition error", () =>
    Effect.gen(function* () {
      for (const bad of [-1, 1.5, Number.NaN]) {
        const r = yield* Effect.either(plan(seeded([bad]), [], tempDir("cache")))
        assert.strictEqual(r._tag, "Left")
        if (r._tag === "Left") {
          assert.strictEqual(r.left._tag, "PipelineDefinitionError")
          assert.include(r.left.message, `node "source-0" has seed`)
        }
      }
    })
  )
})
