/**
 * A stage's lineage (what reports print as provenance) is determined by its key: the same stage
 * run under two pipelines whose node names differ has the same key, so it must produce the same
 * bytes. Node names are not in keys; lineage must not carry them.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as Stage from "../../src/engine/Stage.js"
import { scalerA } from "./fixtures/scalerA.js"
import { toyStages } from "./fixtures/stages.js"
import { run, tempDir } from "./helpers.js"

const stages = toyStages()

/** Returns its lineage as it sees it. */
const witness = Stage.make({
  name: "witness",
  module: import.meta.url,
  description: "Returns its lineage.",
  params: Schema.Struct({}),
  inputs: { scaled: stages.scale },
  output: Schema.Struct({ lineage: Schema.String }),
  run: (ctx) => Effect.map(ctx.lineage, (lineage) => ({ lineage: JSON.stringify(lineage) }))
})

const named = (sourceName: string, scaleName: string) =>
  Pipeline.make({
    name: `lineage-${sourceName}`,
    description: "source → scale → witness, with chosen node names, and an unrelated node.",
    params: Schema.Struct({ seed: Schema.optionalWith(Schema.Int, { default: () => 4 }) }),
    seed: (p) => p.seed,
    services: () => [scalerA],
    build: (_p, use) => {
      const source = use(stages.source, { name: sourceName, params: { n: 5 } })
      const scaled = use(stages.scale, { name: scaleName, params: { offset: 1 }, inputs: { values: source } })
      return [use(witness, { inputs: { scaled } }), use(stages.other, { params: { k: 3 } })]
    }
  })

describe("lineage", () => {
  it.effect("is the same for the same key, whatever the upstream nodes are called", () =>
    Effect.gen(function* () {
      const a = yield* run(named("source", "scale"), [], tempDir("lineage-a"))
      const b = yield* run(named("stimuli", "scaled-stimuli"), [], tempDir("lineage-b"))
      const witnessA = a.report.stages.find((s) => s.name === "witness")!
      const witnessB = b.report.stages.find((s) => s.name === "witness")!
      assert.strictEqual(witnessA.status, "ran")
      assert.strictEqual(witnessB.status, "ran")
      assert.strictEqual(witnessA.key, witnessB.key)
      assert.strictEqual(witnessA.outputDigest, witnessB.outputDigest)
    })
  )

  it.effect("lists the transitive upstream runs, upstream first, by stage, key and params, and nothing else", () =>
    Effect.gen(function* () {
      const cache = tempDir("lineage-c")
      const { plan } = yield* run(named("stimuli", "scaled-stimuli"), [], cache)
      const keyOf = (name: string) => plan.nodes.find((n) => n.name === name)!.key
      const result = JSON.parse(readFileSync(join(cache, keyOf("witness"), "result.json"), "utf8"))
      assert.deepStrictEqual(JSON.parse(result.lineage), [
        { stage: "source", key: keyOf("stimuli"), params: { n: 5 } },
        { stage: "scale", key: keyOf("scaled-stimuli"), params: { offset: 1 } }
      ])
    })
  )
})
