import { assert, describe, it } from "vitest"
import { noiseCorrelations } from "../../src/analysis/noiseCorrelations.js"
import { signalCorrelations } from "../../src/analysis/signalCorrelations.js"
import { signalNoisePairs } from "../../src/analysis/signalNoisePairs.js"
import { cycling, synthetic } from "./synthetic.js"

// Two orthogonal zero-mean patterns over each block of 4 samples.
const z = (s: number) => [1, -1, 1, -1][s % 4]!
const w = (s: number) => [1, 1, -1, -1][s % 4]!
// Neuron 0: 1 + cos θ + z; 1: 2 + cos θ − z; 2: 3 − cos θ + w; 3: constant.
const recording = synthetic({
  N: 4,
  trials: 2,
  samples: 144,
  angleIndex: cycling(12),
  rate: (_t, i, s, theta) => [1 + Math.cos(theta) + z(s), 2 + Math.cos(theta) - z(s), 3 - Math.cos(theta) + w(s), 5][i]!
})

describe("noiseCorrelations", () => {
  it("correlates the rates around their angle mean, per angle and on average", () => {
    const result = noiseCorrelations(recording)
    assert.strictEqual(result.byAngle.length, 12)
    for (const matrix of [...result.byAngle, result.average]) {
      assert.approximately(matrix[0]![1]!, -1, 1e-6)
      assert.approximately(matrix[0]![2]!, 0, 1e-6)
      assert.approximately(matrix[1]![2]!, 0, 1e-6)
      assert.strictEqual(matrix[0]![0], 1)
      assert.strictEqual(matrix[3]![3], null)
      assert.strictEqual(matrix[0]![3], null)
    }
    // Off-diagonal defined pairs: (0,1) twice at −1, (0,2) and (1,2) twice at 0.
    assert.approximately(result.meanOffDiagonal!, -2 / 6, 1e-6)
  })
})

describe("signalCorrelations and signalNoisePairs", () => {
  it("correlates the tuning curves across angles and pairs them with the noise correlations", () => {
    const { matrix } = signalCorrelations(recording)
    assert.approximately(matrix[0]![1]!, 1, 1e-6)
    assert.approximately(matrix[0]![2]!, -1, 1e-6)
    assert.strictEqual(matrix[3]![0], null)
    const { pairs, relation } = signalNoisePairs(recording)
    assert.deepStrictEqual(
      pairs.map(({ i, j }) => [i, j]),
      [
        [0, 1],
        [0, 2],
        [1, 2]
      ]
    )
    assert.approximately(pairs[0]!.signal, 1, 1e-6)
    assert.approximately(pairs[0]!.noise, -1, 1e-6)
    assert.approximately(relation!, -1, 1e-6)
  })
})
