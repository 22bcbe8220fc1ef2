/**
 * Property tests (fast-check): any array survives the .npy encoding exactly, and canonical JSON
 * is independent of key order and round-trips numbers exactly.
 */
import fc from "fast-check"
import { assert, describe, it } from "vitest"
import * as Canonical from "../../src/engine/Canonical.js"
import * as NdArray from "../../src/engine/NdArray.js"

const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })

describe("properties", () => {
  it("decodeNpy(encodeNpy(a)) is a, for float64 arrays of any shape and value", () => {
    fc.assert(
      fc.property(
        shapes.chain((shape) => {
          const size = shape.reduce((a, b) => a * b, 1)
          return fc.tuple(fc.constant(shape), fc.array(fc.double(), { minLength: size, maxLength: size }))
        }),
        ([shape, values]) => {
          const a = NdArray.make("f8", shape, Float64Array.from(values))
          const b = NdArray.decodeNpy(NdArray.encodeNpy(a))
          assert.strictEqual(b.dtype, "f8")
          assert.deepStrictEqual([...b.shape], shape)
          // Object.is: NaN equals NaN and −0 differs from +0, so this is bit-level equality.
          for (let k = 0; k < values.length; k++) assert.isTrue(Object.is(b.data[k], a.data[k]), `element ${k}`)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("canonical JSON ignores key order and round-trips finite numbers exactly", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
        (obj) => {
          const reversed = Object.fromEntries(Object.entries(obj).reverse())
          const text = Canonical.stringify(obj)
          assert.strictEqual(Canonical.stringify(reversed), text)
          const back = JSON.parse(text) as Record<string, number>
          for (const [k, v] of Object.entries(obj)) assert.isTrue(Object.is(back[k], v === 0 ? 0 : v), k)
        }
      ),
      { numRuns: 200 }
    )
  })
})
