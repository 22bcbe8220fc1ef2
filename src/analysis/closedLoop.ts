/**
 * Analyses of a closed-loop recording (the `bci` task, reference README §10.4): there is no
 * stimulus, so the statistics are over time. Every function leaves out sample 0 of each trial (the
 * initial rate r_0 and the recorded objective carried over from the previous trial, quirk 3/4).
 *
 * - the reward rate: the share of samples whose decoder output lies in the window;
 * - the output's distribution against the window;
 * - the covariance of the rates, its principal axes (the network's intrinsic manifold) and the
 *   reference's `noise_volume_bci` along the decoder: the variance along the decoder axis over that
 *   along the top principal axis, and the overlap of the decoder axis with every principal axis;
 * - principal angles between two manifolds, and the share of the variance a subspace explains.
 */
import { decoderAxes } from "./decoderAxes.js"
import { symmetricEigen } from "./symmetricEigen.js"

/** A closed-loop test recording, as the `test` stage writes it (one decoder output). */
export interface ClosedLoopRecording {
  readonly N: number
  readonly trials: number
  /** Samples per trial (recorded steps 0, 20, 40, …). */
  readonly samples: number
  /** trials × N × samples, the clamped rate. */
  readonly rates: Float32Array
  /** trials × samples: the decoder output D·r^u. */
  readonly outputs: Float32Array
  /** trials × samples: the recorded objective, 1 where the output was in the window, else 0. */
  readonly reward: Float32Array
  /** 1 × N: the BCI decoder D. */
  readonly decoder: Float64Array
}

/** The reward window (bciLow, bciHigh), open at both ends. */
export interface RewardWindow {
  readonly low: number
  readonly high: number
}

/** The fraction of samples (1 … samples−1 of every trial) with reward 1, overall and per trial (null: none). */
export const rewardRate = (recording: ClosedLoopRecording) => {
  const { trials, samples, reward } = recording
  const byTrial: Array<number | null> = []
  let total = 0
  let count = 0
  for (let trial = 0; trial < trials; trial++) {
    let sum = 0
    for (let s = 1; s < samples; s++) sum += reward[trial * samples + s]!
    byTrial.push(samples > 1 ? sum / (samples - 1) : null)
    total += sum
    count += samples - 1
  }
  return { overall: count > 0 ? total / count : null, byTrial }
}

/** The decoder output's mean, standard deviation, share below, in and above the window, and a histogram. */
export const outputDistribution = (recording: ClosedLoopRecording, window: RewardWindow, bins = 60) => {
  const { trials, samples, outputs } = recording
  const values: Array<number> = []
  for (let trial = 0; trial < trials; trial++) {
    for (let s = 1; s < samples; s++) values.push(outputs[trial * samples + s]!)
  }
  const n = values.length
  if (n === 0) return { mean: null, sd: null, below: null, inside: null, above: null, edges: [], counts: [] }
  const mean = values.reduce((a, b) => a + b, 0) / n
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / n)
  let below = 0
  let above = 0
  for (const v of values) {
    if (v <= window.low) below++
    else if (v >= window.high) above++
  }
  // The histogram spans the window with room either side, and ±4 sd around the mean.
  const width = window.high - window.low
  const from = Math.min(window.low - width, mean - 4 * sd)
  const to = Math.max(window.high + width, mean + 4 * sd)
  const step = (to - from) / bins
  const counts = new Array<number>(bins).fill(0)
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - from) / step)))]! += 1
  const edges = Array.from({ length: bins + 1 }, (_, k) => from + k * step)
  return { mean, sd, below: below / n, inside: (n - below - above) / n, above: above / n, edges, counts }
}

/** The rates' mean (N) and covariance (N × N, row-major, population form) over samples 1 … of every trial. */
export const rateMoments = (recording: ClosedLoopRecording) => {
  const { N, trials, samples, rates } = recording
  const mean = new Float64Array(N)
  const covariance = new Float64Array(N * N)
  const n = trials * Math.max(0, samples - 1)
  if (n === 0) return { N, samples: 0, mean, covariance }
  const at = (trial: number, i: number, s: number) => rates[(trial * N + i) * samples + s]!
  for (let trial = 0; trial < trials; trial++)
    for (let i = 0; i < N; i++) for (let s = 1; s < samples; s++) mean[i] = mean[i]! + at(trial, i, s)
  for (let i = 0; i < N; i++) mean[i] = mean[i]! / n
  const x = new Float64Array(N)
  for (let trial = 0; trial < trials; trial++) {
    for (let s = 1; s < samples; s++) {
      for (let i = 0; i < N; i++) x[i] = at(trial, i, s) - mean[i]!
      for (let i = 0; i < N; i++) {
        const xi = x[i]!
        const row = i * N
        for (let j = 0; j < N; j++) covariance[row + j] = covariance[row + j]! + xi * x[j]!
      }
    }
  }
  for (let k = 0; k < N * N; k++) covariance[k] = covariance[k]! / n
  return { N, samples: n, mean, covariance }
}

/** The principal axes of a covariance (descending variance): the intrinsic manifold's coordinates. */
export const principalAxes = (covariance: Float64Array, N: number) => {
  const { values, vectors } = symmetricEigen(covariance, N)
  const eigenvalues = values.map((v) => Math.max(0, v))
  const total = eigenvalues.reduce((a, b) => a + b, 0)
  const varianceExplained = eigenvalues.map((v) => (total > 0 ? v / total : 0))
  let running = 0
  const cumulative = varianceExplained.map((v) => (running += v))
  const squares = eigenvalues.reduce((a, b) => a + b * b, 0)
  return {
    eigenvalues,
    varianceExplained,
    cumulative,
    /** (Σλ)² / Σλ²: the effective dimensionality. */
    participationRatio: squares > 0 ? (total * total) / squares : 0,
    /** Unit axes, vectors[k] for eigenvalues[k]. */
    axes: vectors
  }
}

/** The smallest k whose first k principal axes explain at least `share` of the variance (0 if none). */
export const dimensionFor = (cumulative: ReadonlyArray<number>, share: number): number => {
  const k = cumulative.findIndex((c) => c >= share - 1e-12)
  return k < 0 ? cumulative.length : k + 1
}

const quadratic = (covariance: Float64Array, v: ArrayLike<number>, N: number): number => {
  let sum = 0
  for (let i = 0; i < N; i++) {
    let row = 0
    for (let j = 0; j < N; j++) row += covariance[i * N + j]! * v[j]!
    sum += v[i]! * row
  }
  return sum
}

/**
 * The reference's `noise_volume_bci(r_record, decoder)` for a one-row decoder: with v the unit
 * decoder axis (`V_T[0]` of the decoder's SVD) and e_1 the top principal axis of the rates'
 * covariance Σ, `projectedVolume` = vᵀΣv, `totalVolume` = e_1ᵀΣe_1 (the top eigenvalue), their
 * ratio `volumeFraction` (1: the decoder reads the direction of largest variance), and
 * `overlap[k]` = v·e_k for every principal axis (the reference's `decoder_variance_overlap`).
 */
export const noiseVolumeBci = (
  covariance: Float64Array,
  axes: ReturnType<typeof principalAxes>,
  decoder: Float64Array,
  N: number
) => {
  const v = decoderAxes(decoder, decoder.length / N, N).axes[0]
  if (v === undefined || axes.axes.length === 0) {
    return { volumeFraction: null, totalVolume: null, projectedVolume: null, overlap: [] as Array<number> }
  }
  const projectedVolume = quadratic(covariance, v, N)
  const totalVolume = quadratic(covariance, axes.axes[0]!, N)
  const overlap = axes.axes.map((e) => e.reduce((acc, x, i) => acc + x * v[i]!, 0))
  return {
    volumeFraction: totalVolume > 0 ? projectedVolume / totalVolume : null,
    totalVolume,
    projectedVolume,
    overlap
  }
}

/**
 * Principal angles (radians, ascending) between the subspaces spanned by two sets of k orthonormal
 * N-vectors: the arccosines of the singular values of A·Bᵀ (square roots of the eigenvalues of
 * (A Bᵀ)(A Bᵀ)ᵀ).
 */
export const principalAngles = (
  a: ReadonlyArray<ArrayLike<number>>,
  b: ReadonlyArray<ArrayLike<number>>
): Array<number> => {
  const k = Math.min(a.length, b.length)
  if (k === 0) return []
  const N = a[0]!.length
  const dot = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    let sum = 0
    for (let i = 0; i < N; i++) sum += x[i]! * y[i]!
    return sum
  }
  const m = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => dot(a[i]!, b[j]!)))
  const gram = new Float64Array(k * k)
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) gram[i * k + j] = m[i]!.reduce((acc, x, l) => acc + x * m[j]![l]!, 0)
  const { values } = symmetricEigen(gram, k)
  return values.map((s) => Math.acos(Math.min(1, Math.sqrt(Math.max(0, s))))).sort((x, y) => x - y)
}

/** The share of Σ's total variance inside the span of orthonormal vectors (tr(QΣQᵀ) / tr Σ; null if Σ = 0). */
export const varianceShare = (
  covariance: Float64Array,
  basis: ReadonlyArray<ArrayLike<number>>,
  N: number
): number | null => {
  let trace = 0
  for (let i = 0; i < N; i++) trace += covariance[i * N + i]!
  if (!(trace > 0)) return null
  return basis.reduce((acc, q) => acc + quadratic(covariance, q, N), 0) / trace
}
