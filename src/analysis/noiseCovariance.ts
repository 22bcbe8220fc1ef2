/**
 * Covariance matrices by stimulus, and the average noise correlation by stimulus, as the
 * reference's plotters draw them (`pl_plotters_cr.py`: `covariance_plot`, `mass_cov_plotter`,
 * `avg_noise_correlations`; `pl_support_functions_cr.py`: `covariance`, `noise_correlations`
 * with `normalize=False`, `decoder_variance`). Covariances use the n − 1 normalization of `np.cov`.
 * Pass the reference's switch transient (see `SwitchTransient`) in `options` for the per-angle
 * (noise) statistics, as the reference does; `rateCovariance` (all samples) takes none.
 */
import type { GroupingOptions } from "./angleGroups.js"
import { noiseCorrelations } from "./noiseCorrelations.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

const unbiasedScale = (n: number) => (n > 1 ? n / (n - 1) : Number.NaN)

const nested = (flat: ArrayLike<number>, N: number, scale: number) =>
  Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => flat[i * N + j]! * scale))

/** `covariance`: the N × N covariance of the rates over all samples (signal and noise). */
export const rateCovariance = (recording: Recording, options: GroupingOptions = {}): Array<Array<number>> => {
  const { N, total, totalCovariance } = rateMoments(recording, options)
  return nested(totalCovariance, N, unbiasedScale(total))
}

export interface NoiseCovariances {
  readonly angles: Array<number>
  /** angles × N × N: the covariance of the rates at each test angle (`noise_correlations(normalize=False)`). */
  readonly byAngle: Array<Array<Array<number>>>
}

export const noiseCovariances = (recording: Recording, options: GroupingOptions = {}): NoiseCovariances => {
  const { N, angles, counts, covariances } = rateMoments(recording, options)
  return {
    angles,
    byAngle: angles.map((_, g) =>
      nested(covariances.subarray(g * N * N, (g + 1) * N * N), N, unbiasedScale(counts[g]!))
    )
  }
}

export interface AverageNoiseCorrelation {
  readonly angles: Array<number>
  /** Per angle: mean of |ρ_ij| over the defined pairs i ≠ j. */
  readonly mean: Array<number | null>
  /** Per angle: their (population) standard deviation, the error bar `avg_noise_correlations` draws. */
  readonly std: Array<number | null>
}

/**
 * `avg_noise_correlations`: the mean and spread of the absolute noise correlation over the
 * neuron pairs, at each test angle. The reference means |ρ| over the off-diagonal entries; its
 * indexing (`nc[idx]` with a 0/1 integer mask) actually selects rows 0 and 1 of the angle stack,
 * a bug we do not reproduce.
 */
export const averageNoiseCorrelation = (
  recording: Recording,
  options: GroupingOptions = {}
): AverageNoiseCorrelation => {
  const { N, angles, byAngle } = noiseCorrelations(recording, options)
  const mean: Array<number | null> = []
  const std: Array<number | null> = []
  for (const matrix of byAngle) {
    const values: Array<number> = []
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const v = matrix[i]![j]!
        if (i !== j && v !== null) values.push(Math.abs(v))
      }
    }
    if (values.length === 0) {
      mean.push(null)
      std.push(null)
      continue
    }
    const m = values.reduce((a, b) => a + b, 0) / values.length
    mean.push(m)
    std.push(Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length))
  }
  return { angles, mean, std }
}

export interface DecoderVariance {
  readonly angles: Array<number>
  /** angles × targetDim × targetDim: Cov(D·r) at each test angle (`decoder_variance`). */
  readonly covariance: Array<Array<Array<number>>>
  /** Per angle: its trace. */
  readonly trace: Array<number>
}

/** `decoder_variance`: the covariance of the decoder's readout D·r at each test angle. */
export const decoderVariance = (recording: Recording, options: GroupingOptions = {}): DecoderVariance => {
  const { N, angles, counts, covariances } = rateMoments(recording, options)
  const { decoder, targetDim: K } = recording
  const covariance = angles.map((_, g) => {
    const sigma = covariances.subarray(g * N * N, (g + 1) * N * N)
    const scale = unbiasedScale(counts[g]!)
    return Array.from({ length: K }, (_, a) =>
      Array.from({ length: K }, (_, b) => {
        let sum = 0
        for (let i = 0; i < N; i++) {
          let row = 0
          for (let j = 0; j < N; j++) row += sigma[i * N + j]! * decoder[b * N + j]!
          sum += decoder[a * N + i]! * row
        }
        return sum * scale
      })
    )
  })
  return { angles, covariance, trace: covariance.map((c) => c.reduce((acc, row, a) => acc + row[a]!, 0)) }
}
