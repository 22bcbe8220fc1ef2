import { assert, describe, it } from "vitest"
import { boundaryCompare } from "../../src/analysis/boundaryCompare.js"
import { classifierLda, solve } from "../../src/analysis/classifierLda.js"
import { confusionMatrix } from "../../src/analysis/confusionMatrix.js"
import { discriminability } from "../../src/analysis/discriminability.js"
import type { Recording } from "../../src/analysis/recording.js"
import { alternate, cycling, grid, mulberry32, synthetic } from "./synthetic.js"

/** The target's class (README §4.1(e)): θ ≥ 0 or θ ≤ −π. */
const classOf = (theta: number) => (theta >= 0 || theta <= -Math.PI ? 1 : 0)
/** The reference's d′ split (`d_prime_calc`): θ > 0 "up". */
const up = (theta: number) => (theta > 0 ? 1 : 0)

/** np.mean and np.var (ddof 0) of a list. */
const meanVar = (v: ReadonlyArray<number>) => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length
  return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length }
}

/** Samples in the reference's concatenated order (trial after trial): θ and the rates r. */
const flatten = (rec: Recording) => {
  const out: Array<{ theta: number; r: Array<number>; o: number }> = []
  for (let t = 0; t < rec.trials; t++) {
    for (let s = 0; s < rec.samples; s++) {
      out.push({
        theta: rec.angles[t * rec.samples + s]!,
        r: Array.from({ length: rec.N }, (_, i) => rec.rates[(t * rec.N + i) * rec.samples + s]!),
        o: rec.outputs[t * rec.samples + s]!
      })
    }
  }
  return out
}
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** A noisy 4-neuron classifier recording: class-dependent means, correlated noise, three trials. */
const noisy = (() => {
  const random = mulberry32(11)
  const noise = Array.from({ length: 3 * 4 * 240 }, () => random() - 0.5)
  return synthetic({
    task: "classification",
    N: 4,
    trials: 3,
    samples: 240,
    angleIndex: (trial, s) => (Math.floor(s / 20) + 5 * trial) % 12,
    decoder: [0.8, -0.3, 0.1, 0.05],
    rate: (t, i, s, theta) => {
      const common = noise[(t * 4 + 0) * 240 + s]!
      return 1 + 0.5 * i + (i === 0 ? 0.6 : -0.2) * Math.sin(theta) + 0.3 * common + 0.2 * noise[(t * 4 + i) * 240 + s]!
    },
    target: (_t, _d, _s, theta) => classOf(theta),
    output: (t, _d, s, theta) => 1 / (1 + Math.exp(-4 * Math.sin(theta) - noise[(t * 4 + 1) * 240 + s]!))
  })
})()

describe("discriminability (the reference's d_prime_calc)", () => {
  // Output 0.3 or 0.7 (θ > 0 or not) ± 0.1; readout D·r with D = (1, 0) and r_0 = 2·up − 1 ± 0.25.
  const recording = synthetic({
    task: "classification",
    N: 2,
    trials: 1,
    samples: 120,
    angleIndex: cycling(10),
    decoder: [1, 0],
    rate: (_t, i, s, theta) => (i === 0 ? 2 * up(theta) - 1 + 0.25 * alternate(s) : 7),
    target: (_t, _d, _s, theta) => classOf(theta),
    output: (_t, _d, s, theta) => 0.3 + 0.4 * up(theta) + 0.1 * alternate(s)
  })

  it("splits θ > 0 from θ < 0 (−π and the grid's −8.9e-16 are down) and gives d′ of the readout and the output", () => {
    const result = discriminability(recording)
    // Up: π/6 … 5π/6 (5 angles); down: −π … a_6 (7 angles); 10 samples each.
    assert.deepStrictEqual(result.counts, { down: 70, up: 50 })
    assert.approximately(result.readout.dPrime!, 8, 1e-5)
    assert.approximately(result.output.dPrime!, 4, 1e-5)
    assert.approximately(result.output.meanUp!, 0.7, 1e-6)
    assert.approximately(result.output.stdDown!, 0.1, 1e-6)
    assert.deepStrictEqual(
      result.boundaryPairs.map(({ angleDown, angleUp }) => [angleDown, angleUp]),
      [
        [grid[6], grid[7]],
        [grid[0], grid[11]]
      ]
    )
    assert.strictEqual(result.adjacentPairs.length, 12)
    for (const pair of result.adjacentPairs) {
      const across = up(pair.angleA) !== up(pair.angleB)
      assert.strictEqual(pair.acrossBoundary, across)
      assert.approximately(pair.output!, across ? 4 : 0, 1e-5)
      assert.approximately(pair.readout!, across ? 8 : 0, 1e-5)
    }
    assert.approximately(result.adjacentPairs[0]!.midpoint, (-11 * Math.PI) / 12, 1e-12)
    assert.approximately(result.adjacentPairs[11]!.midpoint, (11 * Math.PI) / 12, 1e-12)
  })

  it("equals a direct port of d_prime_calc on a noisy recording", () => {
    const samples = flatten(noisy)
    const readout = (s: (typeof samples)[number]) => dot(noisy.decoder, s.r)
    const upSet = meanVar(samples.filter((s) => s.theta > 0).map(readout))
    const downSet = meanVar(samples.filter((s) => s.theta < 0).map(readout))
    const expected = Math.abs(upSet.mean - downSet.mean) / Math.sqrt(0.5 * (upSet.variance + downSet.variance))
    const result = discriminability(noisy)
    assert.approximately(result.readout.dPrime!, expected, 1e-9 * expected)
    // The target split (θ ≥ 0 or θ ≤ −π) is a different statistic on this recording.
    const byTarget = (c: number) => meanVar(samples.filter((s) => classOf(s.theta) === c).map(readout))
    const t1 = byTarget(1)
    const t0 = byTarget(0)
    const targetSplit = Math.abs(t1.mean - t0.mean) / Math.sqrt(0.5 * (t1.variance + t0.variance))
    assert.isAbove(Math.abs(targetSplit - expected), 1e-3)
  })

  it("splits at the class boundary it is given", () => {
    const shifted = discriminability(noisy, { boundary: 1 })
    const samples = flatten(noisy)
    const readout = (s: (typeof samples)[number]) => dot(noisy.decoder, s.r)
    const a = meanVar(samples.filter((s) => s.theta > 1).map(readout))
    const b = meanVar(samples.filter((s) => s.theta < 1).map(readout))
    assert.approximately(
      shifted.readout.dPrime!,
      Math.abs(a.mean - b.mean) / Math.sqrt(0.5 * (a.variance + b.variance)),
      1e-9
    )
  })
})

describe("classifierLda (the reference's classifier_lda)", () => {
  it("projects on S_w⁻¹(μ₁ − μ₀) and gives the d′ of the projection, as the formula computed from the samples", () => {
    const samples = flatten(noisy)
    const N = noisy.N
    const classes = samples.map((s) => (s.theta > 0 ? 1 : 0))
    const mean = (c: number) => {
      const members = samples.filter((_, k) => classes[k] === c)
      return Array.from({ length: N }, (_, i) => members.reduce((a, s) => a + s.r[i]!, 0) / members.length)
    }
    const mu = [mean(0), mean(1)]
    const within = new Float64Array(N * N)
    samples.forEach((s, k) => {
      const m = mu[classes[k]!]!
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) within[i * N + j]! += (s.r[i]! - m[i]!) * (s.r[j]! - m[j]!)
    })
    const w = solve(
      within,
      mu[1]!.map((v, i) => v - mu[0]![i]!),
      N
    )
    const projected = (c: number) => meanVar(samples.filter((_, k) => classes[k] === c).map((s) => dot(w, s.r)))
    const p0 = projected(0)
    const p1 = projected(1)
    const expected = Math.abs(p1.mean - p0.mean) / Math.sqrt(0.5 * (p1.variance + p0.variance))
    const result = classifierLda(noisy)
    assert.approximately(result.dPrime!, expected, 1e-6 * expected)
    const norm = Math.hypot(...w)
    const cosine = Math.abs(dot(result.direction, w)) / norm
    assert.approximately(cosine, 1, 1e-9)
    // No linear readout separates the classes better than the discriminant.
    assert.isAtLeast(result.dPrime! + 1e-9, discriminability(noisy).readout.dPrime!)
    assert.strictEqual(result.class0.total + result.class1.total, samples.length)
    assert.strictEqual(result.counts.class1, classes.filter((c) => c === 1).length)
  })

  it("solve inverts a small system", () => {
    const x = solve([4, 1, 0, 1, 3, 1, 0, 1, 2], [1, 2, 3], 3)
    const back = [4 * x[0]! + x[1]!, x[0]! + 3 * x[1]! + x[2]!, x[1]! + 2 * x[2]!]
    for (let i = 0; i < 3; i++) assert.approximately(back[i]!, i + 1, 1e-12)
  })

  it("solve refuses a singular system by name", () => {
    assert.throws(() => solve([1, 2, 2, 4], [1, 1], 2), /solve: the matrix is singular/)
  })
})

describe("boundaryCompare (the reference's boundary_compare)", () => {
  it("compares the readout at θ_range[7] vs [5] and [11] vs [1] with d′", () => {
    const result = boundaryCompare(noisy)
    assert.strictEqual(result.frequent!.anglePositive, grid[7])
    assert.strictEqual(result.frequent!.angleNegative, grid[5])
    assert.strictEqual(result.rare!.anglePositive, grid[11])
    assert.strictEqual(result.rare!.angleNegative, grid[1])
    const samples = flatten(noisy)
    const readoutAt = (g: number) =>
      samples.filter((s) => Math.abs(s.theta - grid[g]!) < 1e-6).map((s) => dot(noisy.decoder, s.r))
    for (const [pair, a, b] of [
      [result.frequent!, 7, 5],
      [result.rare!, 11, 1]
    ] as const) {
      const x = meanVar(readoutAt(a))
      const y = meanVar(readoutAt(b))
      const expected = Math.abs(x.mean - y.mean) / Math.sqrt(0.5 * (x.variance + y.variance))
      assert.approximately(pair.dPrime!, expected, 1e-9 * expected)
      assert.strictEqual(pair.positive.total, readoutAt(a).length)
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
