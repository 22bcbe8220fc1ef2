/**
 * The sweep report's curve smoothing (stages/aggregate.ts): a centred moving average that never
 * averages across a gap in x, so a curve of two phases (bci-perturbation's intuitive phase, then
 * the adaptation) keeps its step at the perturbation.
 */
import { assert, describe, it } from "vitest"
import { smooth } from "../../stages/aggregate.js"

describe("curve smoothing", () => {
  it("averages evenly spaced points symmetrically, shrinking the window at the ends", () => {
    const x = [1, 2, 3, 4, 5]
    assert.deepStrictEqual(smooth([0, 3, 6, 9, 12], 3, x), [0, 3, 6, 9, 12])
    assert.deepStrictEqual(smooth([0, 0, 3, 0, 0], 3, x), [0, 1, 1, 1, 0])
  })
  it("never crosses a gap in x: the phases before and after are smoothed apart", () => {
    const x = [-4, -3, -2, -1, 1, 2, 3, 4]
    const y = [1, 1, 1, 1, 0, 0, 0, 0]
    assert.deepStrictEqual(smooth(y, 5, x), y)
  })
})
