import { assert, describe, it } from "vitest"
import { biasVariance } from "../../src/analysis/biasVariance.js"
import { errorByAngle } from "../../src/analysis/errorByAngle.js"
import { outputSamples } from "../../src/analysis/outputSamples.js"
import { outputStatistics } from "../../src/analysis/outputStatistics.js"
import { cycling, grid, synthetic } from "./synthetic.js"

const unitTarget = (d: number, theta: number) => (d === 0 ? Math.cos(theta) : Math.sin(theta))

describe("errorByAngle (estimation)", () => {
  // Output = target + (0.05·(g + 1), 0) at angle g; step 0 has output = target = 0 (quirk 3).
  const offset = (theta: number) => 0.05 * (grid.indexOf(theta) + 1)
  const recording = synthetic({
    N: 1,
    trials: 1,
    samples: 120,
    angleIndex: cycling(10),
    rate: () => 1,
    target: (_t, d, s, theta) => (s === 0 ? 0 : unitTarget(d, theta)),
    output: (_t, d, s, theta) => (s === 0 ? 0 : unitTarget(d, theta) + (d === 0 ? offset(theta) : 0))
  })

  it("gives testMse over every sample, step 0 included, and the MSE per angle", () => {
    const result = errorByAngle(recording)
    assert.strictEqual(result.task, "estimation")
    if (result.task !== "estimation") return
    let total = -(0.05 ** 2)
    for (let g = 0; g < 12; g++) total += 10 * (0.05 * (g + 1)) ** 2
    assert.approximately(result.testMse!, total / 120, 1e-7)
    assert.strictEqual(result.samples, 120)
    assert.strictEqual(result.mseByAngle.length, 12)
    assert.approximately(result.mseByAngle[0]!.mse, (9 * 0.05 ** 2) / 10, 1e-7)
    for (let g = 1; g < 12; g++) {
      assert.strictEqual(result.mseByAngle[g]!.angle, grid[g])
      assert.approximately(result.mseByAngle[g]!.mse, (0.05 * (g + 1)) ** 2, 1e-7)
    }
  })
})

describe("errorByAngle (classification)", () => {
  // Target as README §4.1(e); the output is right (0.9 or 0.2) except at every 5th sample, where it
  // is certain and wrong (1 or 0), so the clip makes its log-likelihood log(1e-4).
  const classOf = (theta: number) => (theta >= 0 || theta <= -Math.PI ? 1 : 0)
  const recording = synthetic({
    task: "classification",
    N: 1,
    trials: 2,
    samples: 120,
    angleIndex: cycling(10),
    rate: () => 1,
    target: (_t, _d, _s, theta) => classOf(theta),
    output: (_t, _d, s, theta) => {
      const y = classOf(theta)
      if (s % 5 === 0) return 1 - y
      return y === 1 ? 0.9 : 0.2
    }
  })

  it("gives accuracy and clipped log-likelihood overall and by angle", () => {
    const result = errorByAngle(recording)
    assert.strictEqual(result.task, "classification")
    if (result.task !== "classification") return
    const ll1 = (8 * Math.log(0.9) + 2 * Math.log(1e-4)) / 10
    const ll0 = (8 * Math.log(0.8) + 2 * Math.log(1e-4)) / 10
    assert.approximately(result.accuracy!, 0.8, 1e-12)
    // Class 1 at −π and at the 5 positive angles; a_6 = −8.9e-16 is class 0 (quirk 12).
    assert.approximately(result.logLikelihood!, (6 * ll1 + 6 * ll0) / 12, 1e-6)
    result.logLikelihoodByAngle.forEach(({ angle, logLikelihood }) => {
      assert.approximately(logLikelihood, classOf(angle) === 1 ? ll1 : ll0, 1e-6)
    })
    assert.strictEqual(classOf(grid[6]!), 0)
    result.accuracyByAngle.forEach(({ accuracy, count }) => {
      assert.approximately(accuracy, 0.8, 1e-12)
      assert.strictEqual(count, 20)
    })
  })
})

describe("outputStatistics and biasVariance", () => {
  // Output = 0.8·(cos θ, sin θ) + one of ±a·u, ±b·v over each 4 samples: Cov = a²/2·uuᵀ + b²/2·vvᵀ.
  const a = 0.3
  const b = 0.1
  const phi = 0.4
  const u = [Math.cos(phi), Math.sin(phi)]
  const v = [-Math.sin(phi), Math.cos(phi)]
  const pattern = [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1]
  ]
  const recording = synthetic({
    N: 1,
    trials: 1,
    samples: 144,
    angleIndex: cycling(12),
    rate: () => 1,
    target: (_t, d, _s, theta) => unitTarget(d, theta),
    output: (_t, d, s, theta) => {
      const [c1, c2] = pattern[s % 4]!
      return 0.8 * unitTarget(d, theta) + a * c1! * u[d]! + b * c2! * v[d]!
    }
  })

  it("gives the mean, covariance and covariance ellipse of the output per angle", () => {
    const stats = outputStatistics(recording)
    assert.strictEqual(stats.byAngle.length, 12)
    for (const entry of stats.byAngle) {
      assert.approximately(entry.mean[0]!, 0.8 * Math.cos(entry.angle), 1e-6)
      assert.approximately(entry.mean[1]!, 0.8 * Math.sin(entry.angle), 1e-6)
      assert.approximately(entry.target[0]!, Math.cos(entry.angle), 1e-6)
      const expected = (i: number, j: number) => (a * a * u[i]! * u[j]! + b * b * v[i]! * v[j]!) / 2
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) assert.approximately(entry.covariance[i]![j]!, expected(i, j), 1e-7)
      assert.approximately(entry.ellipse!.major, a / Math.SQRT2, 1e-6)
      assert.approximately(entry.ellipse!.minor, b / Math.SQRT2, 1e-5)
      assert.approximately(entry.ellipse!.orientation, phi, 1e-5)
    }
  })

  it("splits the MSE into squared bias and variance", () => {
    const { overall, byAngle } = biasVariance(recording)
    for (const entry of byAngle) {
      assert.approximately(entry.bias2, 0.2 ** 2, 1e-6)
      assert.approximately(entry.variance, (a * a + b * b) / 2, 1e-6)
      assert.approximately(entry.bias2 + entry.variance, entry.mse, 1e-12)
    }
    assert.approximately(overall!.mse, 0.04 + 0.05, 1e-6)
    assert.approximately(overall!.bias2 + overall!.variance, overall!.mse, 1e-12)
  })
})

describe("outputSamples", () => {
  // Output = (sample index, angle index): the kept samples show which ones were chosen.
  const recording = synthetic({
    N: 1,
    trials: 2,
    samples: 120,
    angleIndex: cycling(10),
    rate: () => 1,
    output: (trial, d, s) => (d === 0 ? trial * 120 + s : Math.floor(s / 10))
  })

  it("keeps evenly spaced samples of every angle, from every trial", () => {
    const result = outputSamples(recording, { perAngle: 4 })
    assert.strictEqual(result.angleIndex.length, 48)
    for (let g = 0; g < 12; g++) {
      const kept = result.outputs[0]!.filter((_, k) => result.angleIndex[k] === g)
      // 20 samples of angle g (10 per trial), every 5th: two from each trial.
      assert.deepStrictEqual(kept, [10 * g, 10 * g + 5, 120 + 10 * g, 120 + 10 * g + 5])
    }
    result.angleIndex.forEach((g, k) => {
      assert.strictEqual(result.outputs[1]![k], g)
    })
    assert.strictEqual(outputSamples(recording, { perAngle: 50 }).angleIndex.length, 240)
  })
})
