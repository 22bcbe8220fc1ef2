import { assert, describe, it } from "vitest"
import { compareRules } from "../../src/analysis/compareRules.js"
import { noiseSweepTable } from "../../src/analysis/noiseSweepTable.js"
import type { Recording } from "../../src/analysis/recording.js"
import { seedSpread } from "../../src/analysis/seedSpread.js"
import { summarize } from "../../src/analysis/summarize.js"
import { cycling, grid, mulberry32, referenceSettings, synthetic, zeroNetwork } from "./synthetic.js"

/** Throws if a value anywhere in a JSON-able object is a non-finite number or a typed array. */
const assertPlainJson = (value: unknown, path = "result"): void => {
  if (typeof value === "number") assert.isTrue(Number.isFinite(value), `${path} is ${value}`)
  else if (ArrayBuffer.isView(value)) assert.fail(`${path} is a typed array`)
  else if (Array.isArray(value)) {
    for (const [k, v] of value.entries()) assertPlainJson(v, `${path}[${k}]`)
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) assertPlainJson(v, `${path}.${key}`)
  }
}

/**
 * A recording of the full test size (100 trials × 40 neurons × 5000 samples, 5 presentations of
 * 1000 samples): cosine-tuned rates plus uniform noise on [−½, ½], outputs = target + uniform noise
 * on [−h, h] per component, so the MSE is 2h²/3 except at step 0 where output = target = 0.
 */
const fullSize = (h: number): Recording => {
  const trials = 100
  const N = 40
  const samples = 5000
  const random = mulberry32(7)
  const preferred = Array.from({ length: N }, () => -Math.PI + 2 * Math.PI * random())
  const decoder = Float64Array.from({ length: 2 * N }, () => (random() - 0.5) / 20)
  const angles = new Float32Array(trials * samples)
  const rates = new Float32Array(trials * N * samples)
  const outputs = new Float32Array(trials * 2 * samples)
  const targets = new Float32Array(trials * 2 * samples)
  for (let trial = 0; trial < trials; trial++) {
    for (let p = 0; p < 5; p++) {
      const theta = grid[Math.floor(random() * 12)]!
      angles.fill(theta, trial * samples + p * 1000, trial * samples + (p + 1) * 1000)
    }
    for (let i = 0; i < N; i++) {
      const row = (trial * N + i) * samples
      for (let s = 0; s < samples; s++) {
        rates[row + s] = 2 + Math.cos(angles[trial * samples + s]! - preferred[i]!) + random() - 0.5
      }
    }
    for (let s = 1; s < samples; s++) {
      const theta = angles[trial * samples + s]!
      targets[trial * 2 * samples + s] = Math.cos(theta)
      targets[(trial * 2 + 1) * samples + s] = Math.sin(theta)
      outputs[trial * 2 * samples + s] = Math.cos(theta) + h * (2 * random() - 1)
      outputs[(trial * 2 + 1) * samples + s] = Math.sin(theta) + h * (2 * random() - 1)
    }
  }
  return { task: "estimation", N, targetDim: 2, trials, samples, rates, outputs, targets, angles, decoder }
}

describe("summarize", () => {
  it("summarizes a full-size estimation recording in a small JSON result", () => {
    const h = 0.3
    const summary = summarize(fullSize(h), referenceSettings, zeroNetwork(40))
    assertPlainJson(summary)
    assert.isBelow(JSON.stringify(summary).length, 300_000)
    assert.strictEqual(summary.task, "estimation")
    if (summary.task !== "estimation") return
    assert.approximately(summary.testMse!, ((2 * h * h) / 3) * (4999 / 5000), 0.002)
    assert.strictEqual(summary.mseByAngle.length, 12)
    for (const { mse } of summary.mseByAngle) assert.approximately(mse, 0.06, 0.004)
    assert.approximately(summary.priorWeightedMse!, 0.06, 0.004)
    // Isotropic, independent noise: the decoder gets its random share and no correlations.
    assert.approximately(summary.decoderAlignedNoise.randomShare, 2 / 40, 1e-15)
    assert.approximately(summary.decoderAlignedNoise.enrichment!, 1, 0.05)
    assert.approximately(summary.correlations.meanNoiseCorrelation!, 0, 0.01)
    // Signal (variance ≈ ½ per neuron) lives in 2 dimensions, noise (1/12 per neuron) in all 40.
    assert.approximately(summary.pca.cumulative[1]!, (20 + 2 / 12) / (20 + 40 / 12), 0.03)
    assert.strictEqual(
      summary.preferredAngles.counts.reduce((a, b) => a + b, 0),
      40
    )
    assert.strictEqual(summary.outputByAngle.length, 12)
  })

  it("summarizes a classification recording with accuracy, log-likelihood and d′", () => {
    const classOf = (theta: number) => (theta >= 0 || theta <= -Math.PI ? 1 : 0)
    const recording = synthetic({
      task: "classification",
      N: 3,
      trials: 1,
      samples: 120,
      angleIndex: cycling(10),
      decoder: [1, -1, 0],
      rate: (_t, i, s, theta) => 1 + classOf(theta) * (i === 0 ? 1 : 0) + 0.1 * ((s * (i + 1)) % 3),
      target: (_t, _d, _s, theta) => classOf(theta),
      output: (_t, _d, s, theta) => (s % 10 === 0 ? 1 - classOf(theta) : 0.25 + 0.5 * classOf(theta))
    })
    const summary = summarize(recording, referenceSettings, zeroNetwork(3))
    assertPlainJson(summary)
    assert.strictEqual(summary.task, "classification")
    if (summary.task !== "classification") return
    assert.approximately(summary.accuracy!, 0.9, 1e-12)
    assert.strictEqual(summary.accuracyByAngle.length, 12)
    assert.strictEqual(summary.logLikelihoodByAngle.length, 12)
    assert.approximately(summary.logLikelihood!, (9 * Math.log(0.75) + Math.log(1e-4)) / 10, 1e-6)
    assert.deepStrictEqual(summary.confusionMatrix.counts, [
      [54, 6],
      [6, 54]
    ])
    assert.isAbove(summary.dPrime!, 0)
    assert.isAbove(summary.outputDPrime!, 0)
    assert.isAbove(summary.ldaDPrime!, 0)
  })
})

/** An estimation summary whose MSE is exactly offset² (output = target + (offset, 0)). */
const withMse = (offset: number) =>
  summarize(
    synthetic({
      N: 2,
      trials: 1,
      samples: 48,
      angleIndex: cycling(4),
      rate: (_t, i, s) => 1 + ((s + i) % 3),
      target: (_t, d, _s, theta) => (d === 0 ? Math.cos(theta) : Math.sin(theta)),
      output: (_t, d, _s, theta) => (d === 0 ? Math.cos(theta) + offset : Math.sin(theta))
    }),
    referenceSettings,
    zeroNetwork(2)
  )

describe("compareRules and noiseSweepTable", () => {
  it("tabulates rules against the three-factor baseline", () => {
    const table = compareRules([
      { rule: "decoder-only", summary: withMse(0.5), objectiveMean: [-3, -2, -1] },
      { rule: "three-factor", summary: withMse(0.25) },
      { rule: "no-baseline", summary: withMse(0.5) }
    ])
    assert.strictEqual(table.baseline, "three-factor")
    assert.deepStrictEqual(
      table.rows.map((r) => r.rule),
      ["decoder-only", "three-factor", "no-baseline"]
    )
    assert.approximately(table.rows[0]!.testMse!, 0.25, 1e-6)
    assert.approximately(table.rows[0]!.relativeToBaseline!, 4, 1e-5)
    assert.deepStrictEqual(
      table.rows.map((r) => r.rank),
      [2, 1, 2]
    )
    assert.strictEqual(table.rows[0]!.finalObjective, -1)
    assert.strictEqual(table.rows[1]!.finalObjective, null)
  })

  it("lays out test error against σ for each rule", () => {
    const table = noiseSweepTable([
      { rule: "three-factor", sigma: 0.4, summary: withMse(0.3) },
      { rule: "three-factor", sigma: 0.2, summary: withMse(0.1) },
      { rule: "decoder-only", sigma: 0.2, summary: withMse(0.2) }
    ])
    assert.strictEqual(table.metric, "testMse")
    assert.deepStrictEqual(table.sigmas, [0.2, 0.4])
    assert.deepStrictEqual(table.rules, ["three-factor", "decoder-only"])
    assert.approximately(table.rows[0]!.values[0]!, 0.01, 1e-6)
    assert.approximately(table.rows[0]!.values[1]!, 0.04, 1e-6)
    assert.strictEqual(table.rows[1]!.values[1], null)
    assert.deepStrictEqual(
      table.series[1]!.points.map((p) => p.sigma),
      [0.2]
    )
    assert.throws(() =>
      noiseSweepTable([
        { rule: "a", sigma: 0.1, summary: withMse(0) },
        { rule: "a", sigma: 0.1, summary: withMse(0) }
      ])
    )
  })
})

describe("seedSpread", () => {
  // The recordings are float32, so the MSEs are exact to about 1e-7.
  it("gives median, mean, sample sd, range and the median seed", () => {
    // MSEs 0.01, 0.04, 0.09, 0.16, 0.25 in scrambled seed order.
    const spread = seedSpread([
      { seed: 5, summary: withMse(0.5) },
      { seed: 9, summary: withMse(0.1) },
      { seed: 3, summary: withMse(0.3) },
      { seed: 1, summary: withMse(0.4) },
      { seed: 2, summary: withMse(0.2) }
    ])
    assert.strictEqual(spread.metric, "testMse")
    assert.deepStrictEqual(
      spread.rows.map((r) => r.seed),
      [5, 9, 3, 1, 2]
    )
    assert.strictEqual(spread.count, 5)
    assert.approximately(spread.median!, 0.09, 1e-6)
    assert.strictEqual(spread.medianSeed, 3)
    assert.approximately(spread.mean!, 0.11, 1e-6)
    // Σ(v − 0.11)² = 0.01 + 0.0049 + 0.0004 + 0.0025 + 0.0196 = 0.0374; /4.
    assert.approximately(spread.sd!, Math.sqrt(0.0374 / 4), 1e-6)
    assert.approximately(spread.min!, 0.01, 1e-6)
    assert.approximately(spread.max!, 0.25, 1e-6)
  })

  it("averages the two middle values of an even count; the median seed is the lower one", () => {
    const spread = seedSpread([
      { seed: 4, summary: withMse(0.4) },
      { seed: 1, summary: withMse(0.1) },
      { seed: 3, summary: withMse(0.3) },
      { seed: 2, summary: withMse(0.2) }
    ])
    assert.approximately(spread.median!, (0.04 + 0.09) / 2, 1e-6)
    assert.strictEqual(spread.medianSeed, 2)
  })

  it("leaves out a seed without a finite result", () => {
    const nan = { ...withMse(0.3), testMse: Number.NaN }
    const spread = seedSpread([
      { seed: 1, summary: withMse(0.2) },
      { seed: 2, summary: nan },
      { seed: 3, summary: withMse(0.1) }
    ])
    assert.strictEqual(spread.count, 2)
    assert.strictEqual(spread.rows.length, 3)
    assert.approximately(spread.min!, 0.01, 1e-6)
    assert.approximately(spread.max!, 0.04, 1e-6)
    assert.strictEqual(spread.medianSeed, 3)
  })

  it("has no statistics without values, no sd for one value, and rejects a repeated seed", () => {
    const one = seedSpread([{ seed: 7, summary: withMse(0.2) }])
    assert.strictEqual(one.sd, null)
    assert.strictEqual(one.medianSeed, 7)
    const none = seedSpread([])
    assert.strictEqual(none.median, null)
    assert.strictEqual(none.medianSeed, null)
    assert.throws(
      () =>
        seedSpread([
          { seed: 1, summary: withMse(0.1) },
          { seed: 1, summary: withMse(0.2) }
        ]),
      /seed 1 is given twice/
    )
  })
})
