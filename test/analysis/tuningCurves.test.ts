import { assert, describe, it } from "vitest"
import { angleGroups } from "../../src/analysis/angleGroups.js"
import { tuningCurves } from "../../src/analysis/tuningCurves.js"
import { alternate, cycling, grid, synthetic } from "./synthetic.js"

// r_i(θ) = b_i + a_i·cos(θ − φ_i) ± σ_i, the sign alternating sample by sample (mean 0 in every block).
const neurons = [
  { b: 5, a: 2, phi: 0.3, sigma: 0.5 },
  { b: 3, a: 1, phi: -2.5, sigma: 0.25 },
  { b: 1, a: 0, phi: 0, sigma: 0 }
]
const recording = synthetic({
  N: neurons.length,
  trials: 2,
  samples: 120,
  angleIndex: cycling(10),
  rate: (_t, i, s, theta) => {
    const { b, a, phi, sigma } = neurons[i]!
    return b + a * Math.cos(theta - phi) + sigma * alternate(s)
  }
})

describe("angleGroups", () => {
  it("matches float32 angles to the grid, +π to −π, and leaves out settling samples", () => {
    const groups = angleGroups(recording)
    assert.deepStrictEqual(groups.angles, grid)
    assert.deepStrictEqual(groups.counts, new Array(12).fill(20))
    const plusPi = synthetic({ N: 1, trials: 1, samples: 4, angleIndex: () => 0, rate: () => 1 })
    plusPi.angles.fill(Math.PI)
    assert.deepStrictEqual(angleGroups(plusPi).angles, [-Math.PI])
    const settled = angleGroups(recording, { settleSamples: 3 })
    assert.deepStrictEqual(settled.counts, new Array(12).fill(14))
    assert.strictEqual(settled.label[0], -1)
    assert.strictEqual(settled.label[3], 0)
    assert.strictEqual(settled.label[12], -1)
  })

  it("keeps only the angles that occur and rejects angles off the grid", () => {
    const two = synthetic({ N: 1, trials: 1, samples: 6, angleIndex: (_t, s) => (s < 3 ? 9 : 2), rate: () => 1 })
    assert.deepStrictEqual(angleGroups(two).angles, [grid[2], grid[9]])
    assert.deepStrictEqual(Array.from(angleGroups(two).label), [1, 1, 1, 0, 0, 0])
    const off = synthetic({ N: 1, trials: 1, samples: 2, angleIndex: () => 0, rate: () => 1 })
    off.angles[1] = 0.1
    assert.throws(() => angleGroups(off), /not a test angle/)
  })
})

describe("tuningCurves", () => {
  const tuning = tuningCurves(recording)

  it("gives the mean and std of each neuron's rate per angle", () => {
    neurons.forEach(({ b, a, phi, sigma }, i) => {
      grid.forEach((theta, g) => {
        assert.approximately(tuning.mean[i]![g]!, b + a * Math.cos(theta - phi), 1e-5)
        assert.approximately(tuning.std[i]![g]!, sigma, 1e-5)
      })
    })
  })

  it("finds the preferred angle by argmax and by vector sum", () => {
    // Nearest grid angles to 0.3 and −2.5 are π/6 (index 7) and −5π/6 (index 1).
    assert.deepStrictEqual(tuning.preferredAngle.slice(0, 2), [grid[7], grid[1]])
    assert.approximately(tuning.vectorPreferredAngle[0]!, 0.3, 1e-5)
    assert.approximately(tuning.vectorPreferredAngle[1]!, -2.5, 1e-5)
    // Cosine tuning on a uniform grid: |Σ r e^{iθ}| / Σ r = (6a)/(12b).
    assert.approximately(tuning.selectivity[0]!, 2 / 10, 1e-6)
    assert.approximately(tuning.selectivity[1]!, 1 / 6, 1e-6)
    assert.strictEqual(tuning.vectorPreferredAngle[2], 0)
    assert.strictEqual(tuning.selectivity[2], 0)
  })
})
