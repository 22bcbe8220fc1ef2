import { assert, describe, it } from "vitest"
import { besselI0 } from "../../src/analysis/besselI0.js"
import { testAngles } from "../../src/analysis/testAngles.js"
import { vonMisesDensity } from "../../src/analysis/vonMisesDensity.js"

describe("testAngles", () => {
  it("reproduces numpy's arange(−π, π, 2π/12), quirks included (README §3.1)", () => {
    const angles = testAngles()
    assert.strictEqual(angles.length, 12)
    assert.strictEqual(angles[0], -Math.PI)
    assert.strictEqual(angles[3], -1.570796326794897)
    assert.strictEqual(angles[6], -8.881784197001252e-16)
  })
})

describe("besselI0", () => {
  // Reference values from mpmath.besseli(0, x) at 50 digits.
  const known: ReadonlyArray<readonly [number, number]> = [
    [0, 1],
    [0.75, 1.1456467780440014],
    [1, 1.2660658777520084],
    [2, 2.2795853023360673],
    [5, 27.239871823604446],
    [10, 2815.7166284662544],
    [30, 781672297823.97754]
  ]
  it("matches known values to 1e-14 relative", () => {
    for (const [x, expected] of known) {
      assert.approximately(besselI0(x) / expected, 1, 1e-14, `I0(${x})`)
      assert.strictEqual(besselI0(-x), besselI0(x))
    }
  })
})

describe("vonMisesDensity", () => {
  it("integrates to 1 over the circle and has the ratio exp(2κ) between the mode and the antimode", () => {
    const n = 2000
    let sum = 0
    const prior = { mu: 0, kappa: 0.75 }
    for (let k = 0; k < n; k++) sum += vonMisesDensity(-Math.PI + ((k + 0.5) * 2 * Math.PI) / n, prior)
    assert.approximately((sum * 2 * Math.PI) / n, 1, 1e-12)
    assert.approximately(vonMisesDensity(0, prior) / vonMisesDensity(Math.PI, prior), Math.exp(2 * prior.kappa), 1e-12)
    assert.approximately(vonMisesDensity(0, { mu: 0, kappa: 0 }), 1 / (2 * Math.PI), 1e-15)
  })
})
