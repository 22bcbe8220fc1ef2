/**
 * The BCI perturbation experiment's geometry (issue #19; Sadtler et al. 2014, "Neural constraints
 * on learning", Nature 512:423): the network's intrinsic manifold from a calibration recording,
 * an intuitive decoder inside it, and the two kinds of perturbation of that decoder.
 *
 * - Manifold: the first k principal axes Q (k × N, orthonormal rows) of the calibration rates'
 *   covariance. k: the number of axes whose variance exceeds the median axis's by more than a
 *   margin (the noise floor: the private noise of the N neurons fills the spectrum's bulk), at
 *   least 2 and at most a cap; or given.
 * - Intuitive decoder: D = c·wQ, the readout w (unit, random) of the k factors z = Q(r − μ),
 *   with w ⟂ Qμ so that D·μ = 0: on the calibration recording the output D·r has mean 0 (the
 *   reward window's lower edge, bciLow = 0 by default) and, by the scale c, standard deviation
 *   `outputSd` (the window's width, 0.01, by default): about a third of the calibration samples
 *   are rewarded, and learning can raise it.
 * - Within-manifold perturbation: the factors read in another order, D' = c·(w P_k)Q: D' stays in
 *   the span of Q.
 * - Outside-manifold perturbation: the neurons' weights permuted, D'_i = D_{π(i)}: D' leaves it.
 */
import type { RandomStream } from "../model/random.js"

/** The manifold's dimension: given, or chosen by the noise-floor rule (see the module doc). */
export type DimensionRule =
  | { readonly k: number }
  | { readonly margin: number; readonly min: number; readonly max: number }

/** The number of principal axes (eigenvalues descending) the rule keeps. */
export const manifoldDimension = (eigenvalues: ReadonlyArray<number>, rule: DimensionRule): number => {
  const N = eigenvalues.length
  if ("k" in rule) return Math.max(1, Math.min(N, Math.round(rule.k)))
  const sorted = [...eigenvalues].sort((a, b) => a - b)
  const median = N % 2 === 1 ? sorted[(N - 1) / 2]! : (sorted[N / 2 - 1]! + sorted[N / 2]!) / 2
  const above = eigenvalues.filter((e) => e > (1 + rule.margin) * median).length
  return Math.max(rule.min, Math.min(rule.max, above, N))
}

const dotOf = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!
  return sum
}

/** vᵀΣv for a row-major N × N Σ. */
export const quadraticForm = (covariance: ArrayLike<number>, v: ArrayLike<number>): number => {
  const N = v.length
  let sum = 0
  for (let i = 0; i < N; i++) {
    let row = 0
    for (let j = 0; j < N; j++) row += covariance[i * N + j]! * v[j]!
    sum += v[i]! * row
  }
  return sum
}

/** The decoder c·wQ of factor weights w (k) on the manifold's axes Q (k rows of N). */
export const decoderOf = (
  weights: ArrayLike<number>,
  axes: ReadonlyArray<ArrayLike<number>>,
  scale: number
): Float64Array => {
  const N = axes[0]?.length ?? 0
  const D = new Float64Array(N)
  for (let j = 0; j < weights.length; j++) for (let i = 0; i < N; i++) D[i] = D[i]! + scale * weights[j]! * axes[j]![i]!
  return D
}

/** The intuitive decoder of a calibration (see the module doc). */
export interface IntuitiveDecoder {
  readonly k: number
  /** k × N, the manifold's axes (the covariance's first principal axes). */
  readonly axes: Array<Array<number>>
  /** The factor readout w (k, unit, ⟂ Qμ) and the scale c. */
  readonly weights: Array<number>
  readonly scale: number
  /** D = c·wQ (N). */
  readonly decoder: Array<number>
  /** D·μ (0 up to round-off) and the output's standard deviation √(DᵀΣD) on the calibration. */
  readonly outputMean: number
  readonly outputSd: number
}

/**
 * The intuitive decoder of a calibration with mean rate `mean` and covariance `covariance` whose
 * principal axes (descending) are `axes` with `eigenvalues`; w is drawn from `rng` (standard
 * normals, then made orthogonal to Qμ and of unit length).
 */
export const intuitiveDecoder = (
  calibration: {
    readonly mean: ArrayLike<number>
    readonly covariance: ArrayLike<number>
    readonly eigenvalues: ReadonlyArray<number>
    readonly axes: ReadonlyArray<ArrayLike<number>>
  },
  rule: DimensionRule,
  outputSd: number,
  rng: RandomStream
): IntuitiveDecoder => {
  const k = manifoldDimension(calibration.eigenvalues, rule)
  const axes = calibration.axes.slice(0, k).map((q) => Array.from(q))
  const projectedMean = axes.map((q) => dotOf(q, calibration.mean))
  let w = Array.from({ length: k }, () => rng.normal(0, 1))
  const m2 = dotOf(projectedMean, projectedMean)
  if (m2 > 0) {
    const along = dotOf(w, projectedMean) / m2
    w = w.map((x, j) => x - along * projectedMean[j]!)
  }
  const norm = Math.sqrt(dotOf(w, w))
  if (!(norm > 0))
    throw new Error(`the manifold's ${k} axes leave no readout orthogonal to the mean rate (k must be ≥ 2)`)
  w = w.map((x) => x / norm)
  const direction = decoderOf(w, axes, 1)
  const variance = quadraticForm(calibration.covariance, direction)
  if (!(variance > 0)) throw new Error("the calibration rates have no variance along the intuitive readout")
  const scale = outputSd / Math.sqrt(variance)
  const decoder = decoderOf(w, axes, scale)
  return {
    k,
    axes,
    weights: w,
    scale,
    decoder: Array.from(decoder),
    outputMean: dotOf(decoder, calibration.mean),
    outputSd: Math.sqrt(quadraticForm(calibration.covariance, decoder))
  }
}

/** A uniformly random permutation of 0 … n−1 (Fisher–Yates) that is not the identity (n ≥ 2). */
export const derangingPermutation = (n: number, rng: RandomStream): Array<number> => {
  for (;;) {
    const a = Array.from({ length: n }, (_, i) => i)
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniformDouble() * (i + 1))
      ;[a[i], a[j]] = [a[j]!, a[i]!]
    }
    if (n < 2 || a.some((x, i) => x !== i)) return a
  }
}

/** Within-manifold: the factors read in the order `permutation`: D' = c·(w P)Q, (wP)_j = w_{π(j)}. */
export const withinManifold = (decoder: IntuitiveDecoder, permutation: ReadonlyArray<number>): Float64Array =>
  decoderOf(
    permutation.map((p) => decoder.weights[p]!),
    decoder.axes,
    decoder.scale
  )

/** Outside-manifold: the neurons' weights in the order `permutation`: D'_i = D_{π(i)}. */
export const outsideManifold = (decoder: ArrayLike<number>, permutation: ReadonlyArray<number>): Float64Array =>
  Float64Array.from(permutation, (p) => decoder[p]!)

/** ‖v − QᵀQv‖ / ‖v‖: the share of v outside the span of the orthonormal rows Q (0: inside). */
export const outsideShare = (v: ArrayLike<number>, axes: ReadonlyArray<ArrayLike<number>>): number => {
  const rest = Float64Array.from(v as ArrayLike<number>)
  for (const q of axes) {
    const c = dotOf(q, v)
    for (let i = 0; i < rest.length; i++) rest[i] = rest[i]! - c * q[i]!
  }
  const norm = Math.sqrt(dotOf(v, v))
  return norm > 0 ? Math.sqrt(dotOf(rest, rest)) / norm : 0
}

/** A candidate perturbation and the reward rate it leaves the trained network immediately. */
export interface Candidate {
  readonly kind: "within" | "outside"
  readonly permutation: ReadonlyArray<number>
  readonly rewardRate: number
}

/**
 * The selection rule (as Sadtler et al. chose perturbations of similar initial difficulty): of the
 * within/outside pairs whose immediate reward rates differ by at most `tolerance`, the most
 * impairing one (the lowest of the pair's larger reward rate; ties: the closer pair); when no pair
 * is that close, the closest pair. Returns the pair's indices into `candidates` and whether it met
 * the tolerance.
 */
export const selectPair = (
  candidates: ReadonlyArray<Candidate>,
  tolerance: number
): { readonly within: number; readonly outside: number; readonly matched: boolean } => {
  const of = (kind: Candidate["kind"]) => candidates.map((c, i) => ({ c, i })).filter((x) => x.c.kind === kind)
  const within = of("within")
  const outside = of("outside")
  if (within.length === 0 || outside.length === 0) throw new Error("selectPair needs candidates of both kinds")
  let matched: { w: number; o: number; worst: number; gap: number } | undefined
  let closest = { w: within[0]!.i, o: outside[0]!.i, gap: Number.POSITIVE_INFINITY }
  for (const w of within) {
    for (const o of outside) {
      const gap = Math.abs(w.c.rewardRate - o.c.rewardRate)
      const worst = Math.max(w.c.rewardRate, o.c.rewardRate)
      if (gap < closest.gap) closest = { w: w.i, o: o.i, gap }
      if (
        gap <= tolerance &&
        (matched === undefined ||
          worst < matched.worst - 1e-12 ||
          (Math.abs(worst - matched.worst) <= 1e-12 && gap < matched.gap))
      ) {
        matched = { w: w.i, o: o.i, worst, gap }
      }
    }
  }
  return matched !== undefined
    ? { within: matched.w, outside: matched.o, matched: true }
    : { within: closest.w, outside: closest.o, matched: false }
}
