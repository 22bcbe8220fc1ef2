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
