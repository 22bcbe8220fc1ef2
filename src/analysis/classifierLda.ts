/**
 * Linear discriminant analysis of the classifier's population activity: the reference's
 * `classifier_lda` (`pl_plotters_cr.py`). The samples are labelled class 1 if θ > θ_thresh and
 * class 0 otherwise (θ = −π and θ = θ_thresh are class 0, as there), and r is projected on Fisher's
 * discriminant w = S_w⁻¹(μ₁ − μ₀), S_w the pooled within-class scatter (sklearn's
 * `LinearDiscriminantAnalysis` gives this direction for two classes, up to scale). Then
 *
 *   d′ = |m₁ − m₀| / √(½·(v₁ + v₀)),   m_c, v_c the mean and population variance of wᵀr in class c,
 *
 * the best d′ any linear readout of the population reaches, against which the decoder's own
 * (`discriminability`) can be compared. A ridge of 1e-10·tr(S_w)/N is added to S_w so that a neuron
 * pinned at the rate clamp (zero variance) does not make it singular. Every sample counts.
 */
import { lusolve } from "mathjs"
import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups } from "./angleGroups.js"
import { binEdges, type Histogram, histogramAccumulator } from "./histogram.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

export interface ClassifierLdaOptions extends GroupingOptions {
  /** θ_thresh (default 0). */
  readonly boundary?: number
  /** Histogram bins of the projection (default 60). */
  readonly bins?: number
}

export interface ClassifierLda {
  readonly dPrime: number | null
  /** The unit discriminant direction w (N). */
  readonly direction: Array<number>
  readonly counts: { class0: number; class1: number }
  /**
   * Histograms of the projection of each class, in units of the pooled standard deviation around the
   * midpoint of the class means: the class means sit at ∓d′/2 (class 0 left).
   */
  readonly class0: Histogram
  readonly class1: Histogram
}

/** x = A⁻¹b for a small dense n × n matrix given row-major (mathjs's LU decomposition with partial pivoting). */
export const solve = (matrix: ArrayLike<number>, rhs: ArrayLike<number>, n: number): Float64Array => {
  const a = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => matrix[r * n + c]!))
  const b = Array.from({ length: n }, (_, r) => rhs[r]!)
  let x: Array<Array<number>>
  try {
    x = lusolve(a, b) as Array<Array<number>>
  } catch (e) {
    throw new Error(`solve: the matrix is singular (${e instanceof Error ? e.message : String(e)})`)
  }
  return Float64Array.from(x, (row) => row[0]!)
}

export const classifierLda = (recording: Recording, options: ClassifierLdaOptions = {}): ClassifierLda => {
  const boundary = options.boundary ?? 0
  const bins = Math.max(1, Math.floor(options.bins ?? 60))
  const { N, angles, counts, means, covariances } = rateMoments(recording, options)
  const classOf = (g: number) => (angles[g]! > boundary ? 1 : 0)
  // Class means and scatter matrices from the per-angle moments.
  const n = [0, 0]
  const mu = [new Float64Array(N), new Float64Array(N)]
  angles.forEach((_, g) => {
    const c = classOf(g)
    n[c]! += counts[g]!
    for (let i = 0; i < N; i++) mu[c]![i]! += counts[g]! * means[g * N + i]!
  })
  for (const c of [0, 1]) for (let i = 0; i < N; i++) mu[c]![i]! /= n[c]!
  const scatter = [new Float64Array(N * N), new Float64Array(N * N)]
  angles.forEach((_, g) => {
    const c = classOf(g)
    const S = scatter[c]!
    for (let i = 0; i < N; i++) {
      const di = means[g * N + i]! - mu[c]![i]!
      for (let j = 0; j < N; j++) {
        const dj = means[g * N + j]! - mu[c]![j]!
        S[i * N + j]! += counts[g]! * (covariances[g * N * N + i * N + j]! + di * dj)
      }
    }
  })
  const empty = (edges: Array<number>): Histogram => ({
    edges,
    counts: new Array<number>(edges.length - 1).fill(0),
    density: new Array<number>(edges.length - 1).fill(0),
    total: 0
  })
  const fallback = (): ClassifierLda => ({
    dPrime: null,
    direction: new Array<number>(N).fill(0),
    counts: { class0: n[0]!, class1: n[1]! },
    class0: empty(binEdges(-4, 4, bins)),
    class1: empty(binEdges(-4, 4, bins))
  })
  if (n[0] === 0 || n[1] === 0) return fallback()

  const within = new Float64Array(N * N)
  let trace = 0
  for (let k = 0; k < N * N; k++) within[k] = scatter[0]![k]! + scatter[1]![k]!
  for (let i = 0; i < N; i++) trace += within[i * N + i]!
  if (!(trace > 0)) return fallback()
  for (let i = 0; i < N; i++) within[i * N + i]! += (1e-10 * trace) / N
  const difference = Float64Array.from({ length: N }, (_, i) => mu[1]![i]! - mu[0]![i]!)
  const w = solve(within, difference, N)
  const norm = Math.hypot(...w)
  if (!(norm > 0)) return fallback()
  for (let i = 0; i < N; i++) w[i]! /= norm

  const project = (x: ArrayLike<number>) => {
    let sum = 0
    for (let i = 0; i < N; i++) sum += w[i]! * x[i]!
    return sum
  }
  const quadratic = (S: Float64Array, count: number) => {
    let sum = 0
    for (let i = 0; i < N; i++) {
      let row = 0
      for (let j = 0; j < N; j++) row += S[i * N + j]! * w[j]!
      sum += w[i]! * row
    }
    return sum / count
  }
  const m0 = project(mu[0]!)
  const m1 = project(mu[1]!)
  const pooled = Math.sqrt((quadratic(scatter[0]!, n[0]!) + quadratic(scatter[1]!, n[1]!)) / 2)
  if (!(pooled > 0)) return fallback()
  const dPrime = Math.abs(m1 - m0) / pooled

  // Histograms of (wᵀr − midpoint)/pooled, oriented so that class 1 lies to the right.
  const sign = m1 >= m0 ? 1 : -1
  const midpoint = (m0 + m1) / 2
  const reach = dPrime / 2 + 5
  const edges = binEdges(-reach, reach, bins)
  const histograms = [histogramAccumulator(edges), histogramAccumulator(edges)]
  const { label } = angleGroups(recording, options)
  const { trials, samples, rates } = recording
  const y = new Float64Array(samples)
  for (let trial = 0; trial < trials; trial++) {
    y.fill(0)
    for (let i = 0; i < N; i++) {
      const row = (trial * N + i) * samples
      for (let s = 0; s < samples; s++) y[s]! += w[i]! * rates[row + s]!
    }
    for (let s = 0; s < samples; s++) {
      const g = label[trial * samples + s]!
      if (g >= 0) histograms[classOf(g)]!.add((sign * (y[s]! - midpoint)) / pooled)
    }
  }
  return {
    dPrime,
    direction: Array.from(w, (v) => v * sign),
    counts: { class0: n[0]!, class1: n[1]! },
    class0: histograms[0]!.result(),
    class1: histograms[1]!.result()
  }
}
