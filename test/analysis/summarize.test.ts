import { assert, describe, it } from "vitest"
import type { NetworkWeights } from "../../src/analysis/networkWeights.js"
import type { Recording } from "../../src/analysis/recording.js"
import type { AnalysisSettings } from "../../src/analysis/settings.js"
import { analyzeClassification } from "../../src/analysis/tasks/classification.js"
import { analyzeEstimation } from "../../src/analysis/tasks/estimation.js"

/** The analysis summary of a recording of either stimulus task (its readout kind picks the task's analysis). */
const summarize = (recording: Recording, settings: AnalysisSettings, network: NetworkWeights) =>
  recording.task === "estimation"
    ? analyzeEstimation({ recording, settings, network }).summary
    : analyzeClassification({ recording, settings, network }).summary

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
