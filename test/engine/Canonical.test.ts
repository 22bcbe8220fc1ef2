import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { assert, describe, it } from "vitest"
import * as Canonical from "../../src/engine/Canonical.js"
import * as Params from "../../src/engine/Params.js"
import { ToyParams } from "./fixtures/pipelines.js"

describe("Canonical", () => {
  it("sorts keys and writes numbers in shortest round-trip form", () => {
    assert.strictEqual(Canonical.stringify({ b: 1.0, a: [0.1, -0, 1e21] }), '{"a":[0.1,0,1e+21],"b":1}')
    assert.strictEqual(Canonical.digest({ x: 1, y: 2 }), Canonical.digest({ y: 2, x: 1 }))
    assert.notStrictEqual(Canonical.digest({ x: 1 }), Canonical.digest({ x: 1.5 }))
    assert.strictEqual(Canonical.stringify(Number.NaN), '{"$number":"NaN"}')
  })
})

describe("Params", () => {
  const parse = (sets: ReadonlyArray<string>) =>
    Effect.runSync(
      Params.parseSets(ToyParams, "toy", sets).pipe(
        Effect.flatMap((input) => Params.decode(ToyParams, "toy", input)),
        Effect.either
      )
    )

  it("coerces --set strings by the Schema: numbers, booleans, literals, dotted keys", () => {
    const r = parse(["n=3", "offset=1.0", "verbose=true", "mode=slow", "nested.depth=5"])
    assert.strictEqual(r._tag, "Right")
    if (r._tag === "Right") {
      assert.strictEqual(r.right.n, 3)
      assert.strictEqual(r.right.offset, 1)
      assert.strictEqual(r.right.verbose, true)
      assert.strictEqual(r.right.mode, "slow")
      assert.deepStrictEqual(r.right.nested, { depth: 5 })
    }
  })

  it("coerces into an optional union of a literal and a refined integer (`dimension=auto|3`)", () => {
    const Dim = Schema.Struct({
      dimension: Schema.optionalWith(Schema.Union(Schema.Literal("auto"), Schema.Int.pipe(Schema.positive())), {
        default: () => "auto" as const
      })
    })
    const run = (sets: ReadonlyArray<string>) =>
      Effect.runSync(
        Params.parseSets(Dim, "dim", sets).pipe(
          Effect.flatMap((input) => Params.decode(Dim, "dim", input)),
          Effect.either
        )
      )
    const three = run(["dimension=3"])
    assert.deepStrictEqual(three._tag === "Right" ? three.right : three.left, { dimension: 3 })
    const auto = run(["dimension=auto"])
    assert.deepStrictEqual(auto._tag === "Right" ? auto.right : auto.left, { dimension: "auto" })
    assert.strictEqual(run(["dimension=-2"])._tag, "Left")
    assert.strictEqual(run(["dimension=many"])._tag, "Left")
  })

  it("reports every bad value and key with its path", () => {
    const r = parse(["n=2.5", "bogus=1", "nested.depth=x", "mode=medium"])
    assert.strictEqual(r._tag, "Left")
    if (r._tag === "Left") {
      const byPath = Object.fromEntries(r.left.issues.map((i) => [i.path, i.message]))
      assert.strictEqual(byPath["n"], "Expected an integer, actual 2.5")
      assert.match(byPath["bogus"]!, /is not a param; valid params: n, offset, k, verbose, mode, seed, nested/)
      assert.strictEqual(byPath["nested.depth"], 'Expected number, actual "x"')
      assert.match(byPath["mode"]!, /Expected "fast" \| "slow"/)
      assert.match(r.left.message, /nothing was run/)
    }
  })

  it("rejects a set without '='", () => {
    const r = parse(["n"])
    assert.strictEqual(r._tag, "Left")
  })

  it("encodes decoded params canonically, so 1.0 and 1 give one key", () => {
    const S = Schema.Struct({ x: Schema.Number })
    const a = Effect.runSync(Params.encode(S, { x: 1.0 }))
    const b = Effect.runSync(Params.encode(S, { x: 1 }))
    assert.strictEqual(Canonical.digest(a), Canonical.digest(b))
  })
})
