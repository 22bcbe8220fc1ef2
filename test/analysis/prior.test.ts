import { assert, describe, it } from "vitest"
import type { EstimationError } from "../../src/analysis/errorByAngle.js"
import { preferredAngleDistribution } from "../../src/analysis/preferredAngleDistribution.js"
import { priorWeightedError } from "../../src/analysis/priorWeightedError.js"
import { cycling, grid, synthetic } from "./synthetic.js"

describe("preferredAngleDistribution", () => {
  // Cosine-tuned neurons preferring 0.1, 0.2, −3.1 (bin of −π, wrapping), 3.1 (same) and 1.0 (bin of π/3).
  const preferred = [0.1, 0.2, -3.1, 3.1, 1.0]
  const recording = synthetic({
    N: preferred.length,
    trials: 1,
    samples: 120,
    angleIndex: cycling(10),
    rate: (_t, i, _s, theta) => 2 + Math.cos(theta - preferred[i]!)
  })

  it("bins the vector-sum preferred angles on the circle against the prior", () => {
    const result = preferredAngleDistribution(recording, { prior: { mu: 0, kappa: 0.75 } })
    assert.strictEqual(result.neurons, 5)
    const expected = new Array(12).fill(0)
    expected[6] = 2
    expected[0] = 2
    expected[8] = 1
    assert.deepStrictEqual(result.counts, expected)
    assert.approximately(result.binWidth, Math.PI / 6, 1e-15)
    assert.approximately(result.density[6]!, 2 / (5 * (Math.PI / 6)), 1e-12)
    assert.approximately(
      result.priorMass.reduce((a, b) => a + b, 0),
      1,
      1e-9
    )
    assert.approximately(
      result.expectedCounts.reduce((a, b) => a + b, 0),
      5,
      1e-8
    )
    // The prior favours θ = 0: its bin gets exp(2κ)-ish more mass than the bin at −π.
    assert.isAbove(result.priorMass[6]! / result.priorMass[0]!, 4)
    assert.strictEqual(result.priorCurve.length, 181)
  })

  it("bins argmax preferred angles exactly on the test angles", () => {
    const result = preferredAngleDistribution(recording, { method: "argmax", prior: { mu: 0, kappa: 0.75 } })
    // argmax: 0.1 → a_6, 0.2 → a_6, −3.1 → −π, 3.1 → −π (0.04 away on the circle), 1.0 → π/3.
    const expected = new Array(12).fill(0)
    expected[6] = 2
    expected[0] = 2
    expected[8] = 1
    assert.deepStrictEqual(result.counts, expected)
  })
})

describe("priorWeightedError", () => {
  const errors = (mse: (g: number) => number): EstimationError => ({
    task: "estimation",
    samples: 12,
    testMse: null,
    mseByAngle: grid.map((angle, g) => ({ angle, mse: mse(g), count: 1 }))
  })

  it("weights each angle's error by the von Mises prior", () => {
    const kappa = 0.75
    const norm = grid.reduce((acc, a) => acc + Math.exp(kappa * Math.cos(a)), 0)
    const atZero = priorWeightedError(
      errors((g) => (g === 6 ? 1 : 0)),
      { mu: 0, kappa }
    )
    assert.approximately(atZero.mse!.priorWeighted, Math.exp(kappa) / norm, 1e-12)
    assert.approximately(atZero.mse!.uniform, 1 / 12, 1e-15)
    const constant = priorWeightedError(
      errors(() => 0.3),
      { mu: 0, kappa }
    )
    assert.approximately(constant.mse!.priorWeighted, 0.3, 1e-12)
    assert.approximately(
      constant.weights.reduce((a, w) => a + w.weight, 0),
      1,
      1e-12
    )
  })

  it("uses the κ and μ it is given: weights ∝ exp(κ·cos(a − μ)) at κ = 2, μ = 1", () => {
    // Error 1 at a single angle g picks out its normalized weight: exp(κ cos(a_g − μ)) / Σ_a exp(κ cos(a − μ)).
    const prior = { mu: 1, kappa: 2 }
    const norm = grid.reduce((acc, a) => acc + Math.exp(prior.kappa * Math.cos(a - prior.mu)), 0)
    for (const g of [0, 6, 8]) {
      const result = priorWeightedError(
        errors((h) => (h === g ? 1 : 0)),
        prior
      )
      assert.approximately(
        result.mse!.priorWeighted,
        Math.exp(prior.kappa * Math.cos(grid[g]! - prior.mu)) / norm,
        1e-12
      )
    }
    // κ matters: the paper's κ = 0.75 gives a different weight to the same angle.
    const other = priorWeightedError(
      errors((h) => (h === 8 ? 1 : 0)),
      { mu: 1, kappa: 0.75 }
    )
    assert.isAbove(Math.abs(other.mse!.priorWeighted - Math.exp(2 * Math.cos(grid[8]! - 1)) / norm), 0.01)
  })
})
