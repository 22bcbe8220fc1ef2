import { assert, describe, it } from "vitest"
import { decoderAlignedNoise } from "../../src/analysis/decoderAlignedNoise.js"
import { pca } from "../../src/analysis/pca.js"
import { cycling, synthetic } from "./synthetic.js"

const dot = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) => a.reduce((acc, x, k) => acc + x * b[k]!, 0)
const z = (s: number) => [1, -1, 1, -1][s % 4]!
const w = (s: number) => [1, 1, -1, -1][s % 4]!
/** Hadamard row i of size 8: (−1)^popcount(i & s); rows 1…7 are zero-mean and orthogonal. */
const hadamard = (i: number, s: number) => {
  let bits = i & (s % 8)
  let parity = 0
  while (bits) {
    parity ^= bits & 1
    bits >>= 1
  }
  return parity ? -1 : 1
}

describe("pca", () => {
  // Activity on a plane: r = c + 2z·u1 + w·u2, variances 4 and 1 along orthonormal u1, u2.
  const u1 = [0.5, 0.5, 0.5, 0.5, 0]
  const u2 = [0.5, -0.5, 0.5, -0.5, 0]
  const recording = synthetic({
    N: 5,
    trials: 1,
    samples: 48,
    angleIndex: cycling(4),
    rate: (_t, i, s) => 3 + i + 2 * z(s) * u1[i]! + w(s) * u2[i]!
  })

  it("gives the variance explained, loadings and trajectories", () => {
    const result = pca(recording, { components: 2 })
    assert.approximately(result.eigenvalues[0]!, 4, 1e-5)
    assert.approximately(result.eigenvalues[1]!, 1, 1e-5)
    const expected = [0.8, 0.2, 0, 0, 0]
    expected.forEach((f, k) => {
      assert.approximately(result.varianceExplained[k]!, f, 1e-6)
    })
    assert.approximately(result.cumulative[4]!, 1, 1e-9)
    assert.approximately(result.participationRatio, 25 / 17, 1e-5)
    assert.approximately(Math.abs(dot(result.loadings[0]!, u1)), 1, 1e-6)
    assert.approximately(Math.abs(dot(result.loadings[1]!, u2)), 1, 1e-6)
    result.center.forEach((c, i) => {
      assert.approximately(c, 3 + i, 1e-6)
    })
    const sign = Math.sign(dot(result.loadings[0]!, u1))
    result.trajectory.projection[0]!.forEach((p, k) => {
      assert.approximately(p, sign * 2 * z(k), 1e-5)
    })
    assert.strictEqual(result.trajectory.sample.length, 48)
    for (const { projection } of result.angleMeans) assert.approximately(projection[0]!, 0, 1e-5)
  })
})

describe("decoderAlignedNoise", () => {
  // Decoder rows e1 and e1 + e2: the decoder subspace is span(e1, e2) in N = 6 dimensions.
  const decoder = [1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0]

  it("finds noise along the decoder: share, enrichment and angles", () => {
    // Noise 2z along (e1 + e2)/√2 (variance 4, in the subspace) and w along e3 (variance 1, outside).
    const recording = synthetic({
      N: 6,
      trials: 1,
      samples: 96,
      angleIndex: cycling(8),
      decoder,
      rate: (_t, i, s, theta) => 10 + Math.cos(theta + i) + (i < 2 ? (2 * z(s)) / Math.SQRT2 : i === 2 ? w(s) : 0)
    })
    const result = decoderAlignedNoise(recording)
    assert.strictEqual(result.decoderDimension, 2)
    assert.approximately(result.decoderShare!, 0.8, 1e-6)
    assert.approximately(result.randomShare, 2 / 6, 1e-15)
    assert.approximately(result.enrichment!, 2.4, 1e-5)
    assert.approximately(result.noiseFractions[0]!, 0.8, 1e-6)
    assert.approximately(result.axisAngles[0]!, 0, 1e-3)
    assert.approximately(result.axisAngles[1]!, Math.PI / 2, 1e-3)
    assert.approximately(result.principalAngles[0]!, 0, 1e-3)
    assert.approximately(result.principalAngles[1]!, Math.PI / 2, 1e-3)
    for (const { share } of result.shareByAngle) assert.approximately(share!, 0.8, 1e-6)
  })

  it("gives the random-subspace share k/N for isotropic noise", () => {
    const recording = synthetic({
      N: 6,
      trials: 1,
      samples: 96,
      angleIndex: cycling(8),
      decoder,
      rate: (_t, i, s) => 10 + hadamard(i + 1, s)
    })
    const result = decoderAlignedNoise(recording)
    assert.approximately(result.decoderShare!, 2 / 6, 1e-6)
    assert.approximately(result.enrichment!, 1, 1e-5)
  })
})
