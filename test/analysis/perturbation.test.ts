/**
 * Issue #19's geometry (src/analysis/perturbation.ts) on covariances with a known answer: the
 * noise-floor rule finds the planted shared dimensions, the intuitive decoder lies in the manifold
 * and reads nothing of the mean, a within-manifold perturbation stays in the manifold's span and an
 * outside one leaves it (numerically), and the selection rule picks the most impairing matched pair.
 */
import { assert, describe, it } from "vitest"
import { principalAxes } from "../../src/analysis/closedLoop.js"
import {
  type Candidate,
  derangingPermutation,
  intuitiveDecoder,
  manifoldDimension,
  outsideManifold,
  outsideShare,
  quadraticForm,
  selectPair,
  withinManifold
} from "../../src/analysis/perturbation.js"
import { stream } from "../../src/model/random.js"

/** Σ = σ²I + Σ_j a_j u_j u_jᵀ: private noise and `shared.length` shared directions of variance a_j. */
const planted = (N: number, shared: ReadonlyArray<number>, seed: number) => {
  const rng = stream(seed, "perturbation/planted")
  const covariance = new Float64Array(N * N)
  for (let i = 0; i < N; i++) covariance[i * N + i] = 0.01
  const directions: Array<Float64Array> = []
  for (const a of shared) {
    const u = Float64Array.from({ length: N }, () => rng.normal(0, 1))
    for (const v of directions) {
      const c = u.reduce((acc, x, i) => acc + x * v[i]!, 0)
      for (let i = 0; i < N; i++) u[i] = u[i]! - c * v[i]!
    }
    const norm = Math.hypot(...u)
    for (let i = 0; i < N; i++) u[i] = u[i]! / norm
    directions.push(u)
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) covariance[i * N + j] = covariance[i * N + j]! + a * u[i]! * u[j]!
  }
  const mean = Float64Array.from({ length: N }, (_, i) => 0.5 + 0.01 * i)
  const { eigenvalues, axes } = principalAxes(covariance, N)
  return { N, covariance, mean, eigenvalues, axes, directions }
}

describe("the BCI perturbation experiment's geometry (issue #19)", () => {
  it("the noise-floor rule finds the planted shared dimensions; a given k is kept", () => {
    const c = planted(30, [0.05, 0.03, 0.02, 0.01], 1)
    assert.strictEqual(manifoldDimension(c.eigenvalues, { margin: 0.2, min: 2, max: 10 }), 4)
    assert.strictEqual(manifoldDimension(c.eigenvalues, { margin: 0.2, min: 2, max: 3 }), 3)
    assert.strictEqual(manifoldDimension(planted(30, [], 2).eigenvalues, { margin: 0.2, min: 2, max: 10 }), 2)
    assert.strictEqual(manifoldDimension(c.eigenvalues, { k: 6 }), 6)
  })

  it("the intuitive decoder lies in the manifold, reads nothing of the mean rate, and has the output's sd", () => {
    const c = planted(30, [0.05, 0.03, 0.02, 0.01], 3)
    const d = intuitiveDecoder(c, { margin: 0.2, min: 2, max: 10 }, 0.01, stream(3, "w"))
    assert.strictEqual(d.k, 4)
    assert.isBelow(outsideShare(d.decoder, d.axes), 1e-12)
    assert.isBelow(Math.abs(d.decoder.reduce((acc, x, i) => acc + x * c.mean[i]!, 0)), 1e-15)
    assert.approximately(Math.sqrt(quadraticForm(c.covariance, d.decoder)), 0.01, 1e-15)
    // The manifold's span is the planted directions' (each is inside it).
    for (const u of c.directions) assert.isBelow(outsideShare(u, d.axes), 1e-9)
  })

  it("a within-manifold perturbation stays in the manifold's span, an outside one leaves it", () => {
    const c = planted(40, [0.05, 0.04, 0.03, 0.02, 0.015, 0.01], 4)
    const d = intuitiveDecoder(c, { margin: 0.2, min: 2, max: 10 }, 0.01, stream(4, "w"))
    const rng = stream(4, "perms")
    for (let t = 0; t < 20; t++) {
      const within = withinManifold(d, derangingPermutation(d.k, rng))
      assert.isBelow(outsideShare(within, d.axes), 1e-12, "within")
      // The same norm (a permutation of w), another decoder.
      assert.approximately(Math.hypot(...within), Math.hypot(...d.decoder), 1e-12)
      const outside = outsideManifold(d.decoder, derangingPermutation(c.N, rng))
      assert.isAbove(outsideShare(outside, d.axes), 0.5, "outside")
      assert.approximately(Math.hypot(...outside), Math.hypot(...d.decoder), 1e-12)
    }
  })

  it("permutations are never the identity", () => {
    const rng = stream(5, "perms")
    for (const n of [2, 3, 10]) {
      for (let t = 0; t < 50; t++) {
        const p = derangingPermutation(n, rng)
        assert.deepStrictEqual(
          [...p].sort((a, b) => a - b),
          Array.from({ length: n }, (_, i) => i)
        )
        assert.isTrue(p.some((x, i) => x !== i))
      }
    }
  })

  it("selects the most impairing pair whose reward rates are within the tolerance, else the closest", () => {
    const c = (kind: Candidate["kind"], rewardRate: number): Candidate => ({ kind, permutation: [1, 0], rewardRate })
    const list = [c("within", 0.05), c("within", 0.3), c("within", 0.34), c("outside", 0.33), c("outside", 0.4)]
    // Within 0.04: (0.30, 0.33) and (0.34, 0.33); the more impairing (its larger rate 0.33 < 0.34) is taken.
    assert.deepInclude(selectPair(list, 0.04), { within: 1, outside: 3, matched: true })
    // Within 0.02 only (0.34, 0.33) is close enough.
    assert.deepInclude(selectPair(list, 0.02), { within: 2, outside: 3, matched: true })
    const far = [c("within", 0.05), c("outside", 0.3), c("outside", 0.2)]
    assert.deepInclude(selectPair(far, 0.02), { within: 0, outside: 2, matched: false })
  })
})
