/**
 * The `analyze` stage on a recording with a known answer, run in-process by the engine: the
 * numbers it writes are the ones the recording was built to give, with the run's own params —
 * a κ = 2 prior weights the error with κ = 2, and the transient after each switch is left out of
 * the noise correlations.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { assert, describe } from "vitest"
import { testAngles } from "../../src/analysis/testAngles.js"
import * as NdArray from "../../src/engine/NdArray.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as Stage from "../../src/engine/Stage.js"
import { defaultParams } from "../../src/model/tasks/index.js"
import { stimulusAnalysisParams } from "../../stages/analyze.js"
import { estimation } from "../../stages/experiments/estimation.js"
import { test } from "../../stages/test.js"
import { run, tempDir } from "../engine/helpers.js"

const grid = testAngles()
const N = 4
const trials = 2
const samples = 5000
/** Recorded samples per presentation: 200 s / (0.01 s · 20). */
const presentation = 1000
/** The angle index of presentation p of trial t. */
const angleIndex = (t: number, p: number) => (7 * t + 5 * p) % 12
/** The output's offset from the target at grid angle g: MSE a_g² (except at step 0, where o = y = 0). */
const offset = (g: number) => 0.1 + 0.05 * g
/**
 * Noise: orthogonal ±1 patterns over blocks of 8 samples, counted from the first sample kept after
 * the 8 s transient (sample 41 of each presentation); the last 7 kept samples carry none. After the
 * transient the four neurons are exactly uncorrelated; with it, their common relaxation correlates them.
 */
const walsh = [
  [1, -1, 1, -1, 1, -1, 1, -1],
  [1, 1, -1, -1, 1, 1, -1, -1],
  [1, 1, 1, 1, -1, -1, -1, -1],
  [1, -1, -1, 1, 1, -1, -1, 1]
]
const rate = (i: number, s: number) => {
  const within = s % presentation
  const kept = within - 41
  const noise = kept >= 0 && kept < 952 ? 0.1 * walsh[i]![kept % 8]! : 0
  return 1 + 0.5 * i + 2 * Math.exp(-within / 5) + noise
}

/** A stage with the `test` stage's output: the synthetic recording and a network. */
const synthetic = Stage.make({
  name: "synthetic-recording",
  module: import.meta.url,
  description: "A recording built to give known answers.",
  params: Schema.Struct({}),
  output: test.output,
  run: (ctx) =>
    Effect.gen(function* () {
      const rates = new Float32Array(trials * N * samples)
      const outputs = new Float32Array(trials * 2 * samples)
      const targets = new Float32Array(trials * 2 * samples)
      const angles = new Float32Array(trials * samples)
      for (let t = 0; t < trials; t++) {
        for (let s = 0; s < samples; s++) {
          const g = angleIndex(t, Math.floor(s / presentation))
          const theta = grid[g]!
          angles[t * samples + s] = theta
          for (let i = 0; i < N; i++) rates[(t * N + i) * samples + s] = rate(i, s)
          if (s === 0) continue
          targets[t * 2 * samples + s] = Math.cos(theta)
          targets[(t * 2 + 1) * samples + s] = Math.sin(theta)
          outputs[t * 2 * samples + s] = Math.cos(theta) + offset(g)
          outputs[(t * 2 + 1) * samples + s] = Math.sin(theta)
        }
      }
      yield* ctx.writeArray("rates.npy", NdArray.make("f4", [trials, N, samples], rates))
      yield* ctx.writeArray("outputs.npy", NdArray.make("f4", [trials, 2, samples], outputs))
      yield* ctx.writeArray("targets.npy", NdArray.make("f4", [trials, 2, samples], targets))
      yield* ctx.writeArray("angles.npy", NdArray.make("f4", [trials, samples], angles))
      yield* ctx.writeArray("objective.npy", NdArray.make("f4", [trials, samples], new Float32Array(trials * samples)))
      const zeros = (rows: number, cols: number) => Array.from({ length: rows }, () => new Array<number>(cols).fill(0))
      return {
        task: "estimation",
        trials,
        N,
        targetDim: 2,
        samples,
        network: {
          N,
          inputDim: 12,
          targetDim: 2,
          weights: zeros(N, N),
          inputWeights: zeros(N, 12),
          biases: new Array<number>(N).fill(0),
          decoder: [
            [1, 0, 0, 0],
            [0, 1, 0, 0]
          ]
        },
        source: "synthetic",
        dt: 0.01,
        recordEvery: 20,
        switchSeconds: 200
      }
    })
})

const known = Pipeline.make({
  name: "analyze-known",
  description: "",
  params: Schema.Struct({ kappa: Schema.Number, mu: Schema.Number }),
  seed: () => 1,
  build: (p, use) => {
    const model = { ...defaultParams("estimation"), kappaIn: p.kappa, muIn: p.mu }
    const analyze = estimation.stages.analyze
    return [
      use(analyze, { params: stimulusAnalysisParams(model), inputs: { recording: use(synthetic, { params: {} }) } })
    ]
  }
})

describe("analyze, through the engine", () => {
  it.live("gives the recording's known MSE, weights it by the run's κ and drops the switch transient", () =>
    Effect.gen(function* () {
      const cache = tempDir("analyze-known")
      const { plan } = yield* run(known, ["kappa=2", "mu=0.5"], cache)
      const key = plan.nodes.find((n) => n.name === "analyze")!.key
      const summary = JSON.parse(readFileSync(join(cache, key, "result.json"), "utf8")) as {
        testMse: number
        mseByAngle: Array<{ angle: number; mse: number; count: number }>
        priorWeightedMse: number
        prior: { mu: number; kappa: number }
        correlations: { meanNoiseCorrelation: number }
      }
      // Per angle: a_g² on every sample but the trials' step 0 (error 0 there).
      const count = new Map<number, { n: number; zero: number }>()
      for (let t = 0; t < trials; t++) {
        for (let p = 0; p < samples / presentation; p++) {
          const g = angleIndex(t, p)
          const c = count.get(g) ?? { n: 0, zero: 0 }
          c.n += presentation
          if (p === 0) c.zero++
          count.set(g, c)
        }
      }
      const expectedByAngle = [...count.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([g, c]) => ({ g, mse: (offset(g) ** 2 * (c.n - c.zero)) / c.n }))
      assert.deepStrictEqual(
        summary.mseByAngle.map((e) => e.angle),
        expectedByAngle.map((e) => grid[e.g])
      )
      for (const [k, e] of summary.mseByAngle.entries()) assert.approximately(e.mse, expectedByAngle[k]!.mse, 1e-6)
      const weights = expectedByAngle.map((e) => Math.exp(2 * Math.cos(grid[e.g]! - 0.5)))
      const priorWeighted =
        expectedByAngle.reduce((acc, e, k) => acc + weights[k]! * e.mse, 0) / weights.reduce((a, b) => a + b, 0)
      assert.approximately(summary.priorWeightedMse, priorWeighted, 1e-6)
      assert.deepStrictEqual(summary.prior, { mu: 0.5, kappa: 2 })
      // Without the transient the neurons are uncorrelated; the relaxation would correlate them.
      assert.approximately(summary.correlations.meanNoiseCorrelation, 0, 1e-4)
      const details = JSON.parse(readFileSync(join(cache, key, "artifacts", "details.json"), "utf8")) as {
        settings: { switchTransient: { switchSteps: number; recordEvery: number; steps: number } }
      }
      assert.deepStrictEqual(details.settings.switchTransient, { switchSteps: 20_000, recordEvery: 20, steps: 800 })
    })
  )
})
