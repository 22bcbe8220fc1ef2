import { createHash } from "node:crypto"
import seedrandom from "seedrandom"
import { assert, describe, it } from "vitest"
import { langevinAngles } from "../../src/model/inputs.js"
import { stream } from "../../src/model/random.js"
import { ksCritical, ksStatistic, normalCdf, vonMisesCdf } from "./helpers.js"

describe("random streams", () => {
  it("produce seedrandom's alea sequence for the seed string <seed>/<path>", () => {
    const ours = stream(42, "train/trial/3/noise")
    const theirs = seedrandom.alea("42/train/trial/3/noise")
    for (let k = 0; k < 1000; k++) assert.strictEqual(ours.uniform(), theirs())
    const ours2 = stream(42, "x")
    const theirs2 = seedrandom.alea("42/x")
    for (let k = 0; k < 100; k++) assert.strictEqual(ours2.uniformDouble(), theirs2.double())
  })

  it("depend on both the seed and the path", () => {
    const a = stream(1, "test/trial/0/noise").uniform()
    assert.notStrictEqual(a, stream(2, "test/trial/0/noise").uniform())
    assert.notStrictEqual(a, stream(1, "test/trial/1/noise").uniform())
    assert.strictEqual(a, stream(1, "test/trial/0/noise").uniform())
  })

  it("draw normal variates with the right moments and distribution (polar method)", () => {
    const rng = stream(7, "normal-moments")
    const n = 200_000
    const x = new Float64Array(n)
    for (let k = 0; k < n; k++) x[k] = rng.normal(0, 1)
    let m1 = 0
    for (const v of x) m1 += v
    m1 /= n
    let m2 = 0
    let m3 = 0
    let m4 = 0
    for (const v of x) {
      const d = v - m1
      m2 += d * d
      m3 += d * d * d
      m4 += d * d * d * d
    }
    m2 /= n
    m3 /= n
    m4 /= n
    assert.isBelow(Math.abs(m1), 5 / Math.sqrt(n), "mean")
    assert.isBelow(Math.abs(m2 - 1), 5 * Math.sqrt(2 / n), "variance")
    assert.isBelow(Math.abs(m3 / m2 ** 1.5), 5 * Math.sqrt(6 / n), "skewness")
    assert.isBelow(Math.abs(m4 / (m2 * m2) - 3), 5 * Math.sqrt(24 / n), "kurtosis")
    assert.isBelow(ksStatistic(x.subarray(0, 20_000), normalCdf), ksCritical(20_000))
    // Scaling: normal(μ, σ).
    const y = stream(7, "normal-scaled")
    let s = 0
    for (let k = 0; k < 10_000; k++) s += y.normal(3, 0.1)
    assert.closeTo(s / 10_000, 3, 0.005)
  })

  it("draw von Mises(0, 0.75) variates (Best–Fisher) that pass KS, and fail it against κ = 1.5", () => {
    const rng = stream(11, "von-mises")
    const n = 5000
    const x = new Float64Array(n)
    for (let k = 0; k < n; k++) x[k] = rng.vonMises(0, 0.75)
    for (const v of x) assert.isTrue(v >= -Math.PI && v <= Math.PI)
    assert.isBelow(ksStatistic(x, vonMisesCdf(0.75)), ksCritical(n))
    assert.isAbove(ksStatistic(x, vonMisesCdf(1.5)), ksCritical(n))
  })

  it("von Mises draws keep their bits for every κ the Best–Fisher loop handles (digests recorded before #22)", () => {
    // sha256 of 10 000 draws vonMises(0.3, κ) from stream(120994, `vonmises/${κ}`), recorded at 1fc8d41.
    const recorded: ReadonlyArray<readonly [number, string]> = [
      [1e-9, "398b84db8e54742cc7c4c7210fbff75224b49e75284612be860e4b109a5c38f2"],
      [1e-6, "c6e1abd86578336a06ac6c5cb814147a352be8d008eab9f54bec3ad60722f94c"],
      [0.01, "8dfeb844b89000585a38833f76924868b5fe77dd201b2a0291a18527f748669e"],
      [0.75, "89128f1b496862df0306cb2883d84b8b9ffef03bd2ca37799bd78330b0c4fd62"],
      [5, "0e07aebd96abe0c5606a96ce1f10ffd1843bbb2841863fb3e4137c64106c02f1"],
      [100, "d5a0bd7dd26a4afa16001400f2533dbdcf9c110eda1110aa8c70b74d17d35422"],
      [1e6, "bab039fc85e522e4758639b68285dfb62e745789510cbbe67cf7136c2083c6da"],
      [1e12, "32bcbc36c53754a7b93df40aa42816a4980a608093835b1c63aa7047d6b86091"],
      [1e15, "dcb2b506e2c8b8c876ebcde82f21822b79983a1591945eeb9ee25d19729863a3"]
    ]
    for (const [kappa, digest] of recorded) {
      const rng = stream(120994, `vonmises/${kappa}`)
      const out = new Float64Array(10_000)
      for (let i = 0; i < out.length; i++) out[i] = rng.vonMises(0.3, kappa)
      assert.strictEqual(createHash("sha256").update(new Uint8Array(out.buffer)).digest("hex"), digest, `κ = ${kappa}`)
      // And, independently of any recording, the sample's circular mean and mean resultant length
      // R̄ against the law's μ and A(κ) = I₁(κ)/I₀(κ) (series summed here), within 4 standard errors.
      // (The circular mean's standard error is 1/√(n·A·κ), Mardia & Jupp 4.8.)
      if (kappa >= 0.5 && kappa <= 1e6) {
        let c = 0
        let s = 0
        for (const t of out) {
          c += Math.cos(t - 0.3)
          s += Math.sin(t - 0.3)
        }
        const meanResultant = Math.hypot(c, s) / out.length
        const a = besselRatio(kappa)
        // Var(cos) = 1 − A/κ − A² for a von Mises law (Mardia & Jupp 3.5.20); sin's mean is 0.
        const se = Math.sqrt(Math.max(1 - a / kappa - a * a, 1e-12) / out.length)
        assert.closeTo(meanResultant, a, 4 * se + 1e-12, `R̄ at κ = ${kappa}`)
        assert.closeTo(Math.atan2(s, c), 0, 4 / Math.sqrt(out.length * a * kappa) + 1e-9, `μ at κ = ${kappa}`)
      }
    }
  })

  it("von Mises draws for κ beyond the exact sampler's reach end, in [−π, π], with variance 1/κ (F1)", () => {
    for (const kappa of [1e16, 1e17, 1e20, 1e100, 1e308, Number.POSITIVE_INFINITY]) {
      const rng = stream(3, `vonmises-large/${kappa}`)
      const n = 2000
      let sumSquares = 0
      for (let i = 0; i < n; i++) {
        const t = rng.vonMises(0.3, kappa)
        assert.isTrue(t >= -Math.PI && t <= Math.PI, `κ = ${kappa}: ${t}`)
        sumSquares += (t - 0.3) ** 2
      }
      if (Number.isFinite(kappa) && kappa < 1e30) assert.closeTo((sumSquares / n) * kappa, 1, 0.15, `κ = ${kappa}`)
      else assert.isBelow(sumSquares / n, 1e-20, `κ = ${kappa}`)
    }
    // Near ±π the normal draw wraps like the exact sampler's.
    const near = stream(4, "vonmises-wrap")
    for (let i = 0; i < 200; i++) assert.isAtMost(Math.abs(near.vonMises(Math.PI, 1e16)), Math.PI)
    assert.throws(() => stream(1, "x").vonMises(0, Number.NaN), RangeError)
    assert.throws(() => stream(1, "x").vonMises(0, -1), RangeError)
  })

  it("Langevin chain: long-run histogram is von Mises(μ, 2κ) — the reference's drift lacks the ½", () => {
    // §3.2: dθ = −κ·sin(θ − μ)·σ_s²·dt + σ_s·dW has stationary density ∝ exp(2κ cos(θ − μ)).
    // σ_s = 0.5 (instead of 0.06) only speeds mixing (relaxation ≈ 1/(κσ_s²) = 5 s); thinned
    // every 20 s, the samples are nearly independent.
    const params = { kappaIn: 0.75, muIn: 0, sigmaSampler: 0.5, dt: 0.01 }
    const S = 4_000_000
    const eta = stream(5, "langevin").fillNormal(new Float64Array(S), Math.sqrt(params.dt))
    const theta = langevinAngles(params, 0, eta, new Float64Array(S))
    const thinned: Array<number> = []
    for (let t = 20_000; t < S; t += 2000) thinned.push(theta[t]!)
    for (const v of thinned) assert.isTrue(v >= -Math.PI && v <= Math.PI)
    const n = thinned.length
    assert.isBelow(ksStatistic(thinned, vonMisesCdf(2 * params.kappaIn)), ksCritical(n))
    assert.isAbove(ksStatistic(thinned, vonMisesCdf(params.kappaIn)), ksCritical(n))
  })
})

describe("fillNormal", () => {
  it("gives the same numbers as repeated normal(0, sd) calls, across odd lengths and the cached variate", () => {
    const bulk = stream(3, "fill")
    const single = stream(3, "fill")
    for (const n of [5, 40, 1, 7, 40]) {
      const filled = bulk.fillNormal(new Float64Array(n), 0.1)
      for (let k = 0; k < n; k++) assert.strictEqual(filled[k], 0.1 * single.standardNormal())
    }
    assert.strictEqual(bulk.normal(0, 1), single.normal(0, 1))
  })
})

/** A(κ) = I₁(κ)/I₀(κ), both by their power series (Abramowitz & Stegun 9.6.10), scaled to avoid overflow. */
function besselRatio(kappa: number): number {
  // For large κ the series' terms overflow: use the asymptotic 1 − 1/(2κ) − 1/(8κ²) − 1/(8κ³).
  if (kappa > 500) return 1 - 1 / (2 * kappa) - 1 / (8 * kappa ** 2) - 1 / (8 * kappa ** 3)
  const q = (kappa * kappa) / 4
  let t0 = 1
  let t1 = kappa / 2
  let i0 = t0
  let i1 = t1
  for (let k = 1; k < 2000; k++) {
    t0 *= q / (k * k)
    t1 *= q / (k * (k + 1))
    i0 += t0
    i1 += t1
    if (t0 < i0 * 1e-17 && t1 < i1 * 1e-17) break
  }
  return i1 / i0
}
