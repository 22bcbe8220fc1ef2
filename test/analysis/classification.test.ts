import { assert, describe, it } from "vitest"
import { confusionMatrix } from "../../src/analysis/confusionMatrix.js"
import { discriminability } from "../../src/analysis/discriminability.js"
import { alternate, cycling, grid, synthetic } from "./synthetic.js"

const classOf = (theta: number) => (theta >= 0 || theta <= -Math.PI ? 1 : 0)

describe("discriminability", () => {
  // Output 0.3 or 0.7 (by class) ± 0.1; readout D·r with D = (1, 0) and r_0 = 2y − 1 ± 0.25.
  const recording = synthetic({
    task: "classification",
    N: 2,
    trials: 1,
    samples: 120,
    angleIndex: cycling(10),
    decoder: [1, 0],
    rate: (_t, i, s, theta) => (i === 0 ? 2 * classOf(theta) - 1 + 0.25 * alternate(s) : 7),
    target: (_t, _d, _s, theta) => classOf(theta),
    output: (_t, _d, s, theta) => 0.3 + 0.4 * classOf(theta) + 0.1 * alternate(s)
  })

  it("gives d′ of the output and of the readout, overall and across the class boundary", () => {
    const result = discriminability(recording)
    assert.deepStrictEqual(result.counts, { class0: 60, class1: 60 })
    assert.approximately(result.output.dPrime!, 4, 1e-5)
    assert.approximately(result.readout.dPrime!, 8, 1e-5)
    assert.approximately(result.output.mean1!, 0.7, 1e-6)
    assert.approximately(result.output.std0!, 0.1, 1e-6)
    // Boundaries: −π (class 1) | −5π/6 (class 0) and a_6 ≈ 0 (class 0) | π/6 (class 1).
    assert.deepStrictEqual(
      result.boundaryPairs.map(({ angle0, angle1 }) => [angle0, angle1]),
      [
        [grid[1], grid[0]],
        [grid[6], grid[7]]
      ]
    )
    assert.strictEqual(result.adjacentPairs.length, 12)
    for (const pair of result.adjacentPairs) {
      const across = classOf(pair.angleA) !== classOf(pair.angleB)
      assert.strictEqual(pair.acrossBoundary, across)
      assert.approximately(pair.output!, across ? 4 : 0, 1e-5)
      assert.approximately(pair.readout!, across ? 8 : 0, 1e-5)
    }
    assert.approximately(result.adjacentPairs[0]!.midpoint, (-11 * Math.PI) / 12, 1e-12)
    assert.approximately(result.adjacentPairs[11]!.midpoint, (11 * Math.PI) / 12, 1e-12)
    for (const pair of result.boundaryPairs) {
      assert.approximately(pair.output.dPrime!, 4, 1e-5)
      assert.approximately(pair.readout.dPrime!, 8, 1e-5)
    }
  })
})

describe("confusionMatrix", () => {
  // Right (0.9 / 0.1) except every 4th sample of each class: 3 errors per block of 12.
  const recording = synthetic({
    task: "classification",
    N: 1,
    trials: 1,
    samples: 144,
    angleIndex: cycling(12),
    rate: () => 1,
    target: (_t, _d, _s, theta) => classOf(theta),
    output: (_t, _d, s, theta) => {
      const y = classOf(theta)
      const wrong = s % 4 === (y === 1 ? 0 : 1)
      return wrong === (y === 1) ? 0.1 : 0.9
    }
  })

  it("counts predictions against targets and normalizes each row", () => {
    const result = confusionMatrix(recording)
    assert.deepStrictEqual(result.counts, [
      [54, 18],
      [18, 54]
    ])
    assert.deepStrictEqual(result.rates, [
      [0.75, 0.25],
      [0.25, 0.75]
    ])
    assert.strictEqual(result.truePositives, 54)
    assert.strictEqual(result.falseNegatives, 18)
  })
})
