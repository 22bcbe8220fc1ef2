/**
 * Builders of synthetic recordings with known statistics for the analysis tests.
 */
import type { NetworkWeights } from "../../src/analysis/networkWeights.js"
import type { Recording, Task } from "../../src/analysis/recording.js"
import { type AnalysisSettings, analysisSettings } from "../../src/analysis/settings.js"
import { testAngles } from "../../src/analysis/testAngles.js"

export const grid = testAngles()

export interface SyntheticSpec {
  readonly task?: Task
  readonly N: number
  readonly targetDim?: number
  readonly trials: number
  readonly samples: number
  /** Grid index of the angle of each (trial, sample). */
  readonly angleIndex: (trial: number, sample: number) => number
  readonly rate: (trial: number, neuron: number, sample: number, angle: number) => number
  readonly output?: (trial: number, dim: number, sample: number, angle: number) => number
  readonly target?: (trial: number, dim: number, sample: number, angle: number) => number
  readonly decoder?: ArrayLike<number>
}

export const synthetic = (spec: SyntheticSpec): Recording => {
  const { N, trials, samples } = spec
  const task = spec.task ?? "estimation"
  const targetDim = spec.targetDim ?? (task === "estimation" ? 2 : 1)
  const angles = new Float32Array(trials * samples)
  const rates = new Float32Array(trials * N * samples)
  const outputs = new Float32Array(trials * targetDim * samples)
  const targets = new Float32Array(trials * targetDim * samples)
  for (let trial = 0; trial < trials; trial++) {
    for (let s = 0; s < samples; s++) {
      const angle = grid[spec.angleIndex(trial, s)]!
      angles[trial * samples + s] = angle
      for (let i = 0; i < N; i++) rates[(trial * N + i) * samples + s] = spec.rate(trial, i, s, angle)
      for (let d = 0; d < targetDim; d++) {
        const k = (trial * targetDim + d) * samples + s
        outputs[k] = spec.output?.(trial, d, s, angle) ?? 0
        targets[k] = spec.target?.(trial, d, s, angle) ?? 0
      }
    }
  }
  const decoder = Float64Array.from(spec.decoder ?? new Float64Array(targetDim * N))
  return { task, N, targetDim, trials, samples, rates, outputs, targets, angles, decoder }
}

/** Every angle for `block` consecutive samples in turn: 0, 1, …, 11, 0, … (each trial the same). */
export const cycling =
  (block: number, count = 12) =>
  (_trial: number, sample: number) =>
    Math.floor(sample / block) % count

/** A deterministic ±1 sequence with mean 0 over each run of 2: +1, −1, +1, … */
export const alternate = (sample: number) => (sample % 2 === 0 ? 1 : -1)

/** The reference run's params as the analyses read them (prior von Mises(0, 0.75), boundary 0, 12 test angles, 8 s transient). */
export const referenceParams = {
  muIn: 0,
  kappaIn: 0.75,
  thetaThresh: 0,
  inputDim: 12,
  dt: 0.01,
  recordEvery: 20,
  switchSeconds: 200,
  switchTransientSeconds: 8
} as const

/** The reference run's analysis settings, from {@link referenceParams}. */
export const referenceSettings: AnalysisSettings = analysisSettings(referenceParams)

/** A network of N neurons with every weight and bias 0 (energy and currents then vanish but for the leak). */
export const zeroNetwork = (N: number, inputDim = 12): NetworkWeights => ({
  N,
  inputDim,
  weights: new Float64Array(N * N),
  inputWeights: new Float64Array(N * inputDim),
  biases: new Float64Array(N)
})

/** mulberry32: a small deterministic uniform generator on [0, 1). */
export const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
