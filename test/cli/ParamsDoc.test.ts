/**
 * `pipeline params`'s table is read from the Schema (src/cli/ParamsDoc.ts): a field added to any
 * pipeline is documented with its type, default, bounds and description, with no code change.
 */
import * as Schema from "effect/Schema"
import { assert, describe, it } from "vitest"
import { registry } from "../../pipelines/index.js"
import { document, markdown, merge } from "../../src/cli/ParamsDoc.js"

/** A pipeline's params as a later task might add them. */
const later = Schema.Struct({
  trials: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, 500)), {
    default: () => 20
  }).annotations({
    description: "feedback trials"
  }),
  gain: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.positive(), Schema.lessThan(10)), {
    default: () => 0.5
  }).annotations({ description: "cursor gain" }),
  mode: Schema.optionalWith(Schema.Literal("open", "closed"), { default: () => "closed" as const }).annotations({
    description: "the loop"
  }),
  file: Schema.optional(Schema.String),
  size: Schema.optionalWith(Schema.Union(Schema.Literal("auto"), Schema.Number.pipe(Schema.int())), {
    default: () => "auto" as const
  })
}).pipe(Schema.filter(() => true))

describe("the params table", () => {
  it("reads type, default, bounds and meaning from any Schema", () => {
    assert.deepEqual(document(later), [
      { name: "trials", type: "integer", default: "20", bounds: "[1, 500]", meaning: "feedback trials" },
      { name: "gain", type: "number", default: "0.5", bounds: "(0, 10)", meaning: "cursor gain" },
      { name: "mode", type: "open \\| closed", default: "closed", bounds: "", meaning: "the loop" },
      { name: "file", type: "string", bounds: "", meaning: "" },
      { name: "size", type: "auto \\| integer", default: "auto", bounds: "", meaning: "" }
    ])
  })

  it("merges pipelines: a default that differs reads a / b", () => {
    const other = Schema.Struct({
      trials: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, 500)), { default: () => 40 })
    })
    const merged = merge([document(later), document(other)])
    assert.strictEqual(merged.find((p) => p.name === "trials")!.default, "20 / 40")
    assert.strictEqual(merged.find((p) => p.name === "gain")!.default, "0.5 / —")
    const row = markdown(merged)
      .split("\n")
      .find((l) => l.startsWith("| `trials`"))!
    assert.deepEqual(
      row.split("|").map((c) => c.trim()),
      ["", "`trials`", "integer", "`20 / 40`", "[1, 500]", "feedback trials", ""]
    )
  })

  it("every param of every registered pipeline has a meaning, and the estimation bounds are the documented limits", () => {
    for (const p of registry.pipelines) {
      for (const param of document(p.params)) assert.notStrictEqual(param.meaning, "", `${p.name}: ${param.name}`)
    }
    const estimation = document(registry.pipelines.find((p) => p.name === "estimation")!.params)
    const row = (name: string) => estimation.find((p) => p.name === name)!
    // The README's numbers (Results, "Every param is bounded"): written down, not read from the code.
    assert.deepInclude(row("trainTrials"), { default: "260", bounds: "[0, 100000]" })
    assert.deepInclude(row("testTrials"), { default: "100", bounds: "[0, 10000]" })
    assert.deepInclude(row("N"), { default: "40", bounds: "[1, 2000]" })
    assert.deepInclude(row("seed"), { default: "7" })
    assert.deepInclude(row("sigma"), { default: "0.2", bounds: "[0, 5]" })
    assert.deepInclude(row("kappa"), { default: "0.75", bounds: "(0, 700]" })
  })
})
