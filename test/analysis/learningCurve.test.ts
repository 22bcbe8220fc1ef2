import { assert, describe, it } from "vitest"
import { learningCurve } from "../../src/analysis/learningCurve.js"

describe("learningCurve", () => {
  it("keeps a short series and smooths it with a centered moving average", () => {
    const ramp = Array.from({ length: 100 }, (_, k) => 2 * k - 5)
    const result = learningCurve(ramp, { window: 5 })
    assert.deepStrictEqual(
      result.x,
      Array.from({ length: 100 }, (_, k) => k)
    )
    assert.deepStrictEqual(result.value, ramp)
    // A centered average of a line is the line, the shrinking ends included.
    result.smoothed.forEach((v, k) => {
      assert.approximately(v, 2 * k - 5, 1e-12)
    })
    const steps = learningCurve([0, 0, 3, 0, 0], { window: 3 })
    assert.deepStrictEqual(steps.smoothed, [0, 1, 1, 1, 0])
  })

  it("averages long series in bins and skips non-finite values", () => {
    const series = Array.from({ length: 1000 }, (_, k) => (k === 3 ? Number.NaN : k))
    const result = learningCurve(series, { maxPoints: 10, window: 1 })
    assert.strictEqual(result.value.length, 10)
    assert.strictEqual(result.x[1], 149.5)
    assert.strictEqual(result.value[1], 149.5)
    assert.approximately(result.value[0]!, (4950 - 3) / 99, 1e-12)
    assert.deepStrictEqual(result.smoothed, result.value)
  })
})
