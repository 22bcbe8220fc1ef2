/**
 * Discriminability of the two classes (classification), as the reference's `d_prime_calc`
 * (`pl_support_functions_cr.py`) computes it: the samples are split by the stimulus angle,
 * θ > θ_thresh ("up") against θ < θ_thresh ("down"), with θ_thresh = 0 in the reference; θ = −π is
 * therefore "down", although its target is class 1 (quirk 12), and a sample exactly at θ_thresh is
 * in neither class. The statistic is that of the linear readout u = D·r (the clamped recorded rate),
 * before the logistic:
 *
 *   d′ = |μ_up − μ_down| / √(½·(σ²_up + σ²_down))   (population variances, `np.var`).
 *
 * The same statistic of the logistic output o is returned as `output` (o saturates at 0 and 1, so
 * it is the smaller of the two). Per-angle variants give the separation between neighbouring test
 * angles, across the class boundary and elsewhere.
 */
import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups } from "./angleGroups.js"
import type { Recording } from "./recording.js"

export interface DiscriminabilityOptions extends GroupingOptions {
  /** θ_thresh: "up" is θ > boundary, "down" θ < boundary (default 0, the reference's). */
  readonly boundary?: number
}

/** d′ of a variable between the "up" and the "down" samples, with the moments behind it. */
export interface DPrime {
  /** |μ_up − μ_down| / √((σ_up² + σ_down²)/2); null if a class is empty or both variances are 0. */
  readonly dPrime: number | null
  readonly meanDown: number | null
  readonly meanUp: number | null
  readonly stdDown: number | null
  readonly stdUp: number | null
}

export interface Discriminability {
  /** The class boundary the samples were split at. */
  readonly boundary: number
  /** Samples θ < boundary ("down") and θ > boundary ("up"). */
  readonly counts: { down: number; up: number }
  /** d′ of the readout D·r: the reference's `d_prime_calc`. */
  readonly readout: DPrime
  /** d′ of the logistic output o, same split. */
  readonly output: DPrime
  /** Each pair of circularly adjacent test angles on opposite sides: d′ between their samples. */
  readonly boundaryPairs: Array<{ angleDown: number; angleUp: number; output: DPrime; readout: DPrime }>
  /**
   * Every pair of circularly adjacent test angles (a, b), b the next angle counterclockwise: how well
   * the output and the readout tell the two stimuli apart, |μ_b − μ_a| / √((σ_a² + σ_b²)/2) (null
   * where undefined), at the pair's circular midpoint, and whether the pair straddles the boundary.
   */
  readonly adjacentPairs: Array<{
    angleA: number
    angleB: number
    midpoint: number
    acrossBoundary: boolean
    output: number | null
    readout: number | null
  }>
}

/** Count, sum and sum of squared deviations from the mean of one group of samples. */
interface Moments {
  readonly n: number
  readonly sum: number
  readonly squares: number
}

const none: Moments = { n: 0, sum: 0, squares: 0 }

/** Chan et al.'s merge of two groups' moments. */
const merge = (a: Moments, b: Moments): Moments => {
  const n = a.n + b.n
  if (a.n === 0) return b
  if (b.n === 0) return a
  const delta = b.sum / b.n - a.sum / a.n
  return { n, sum: a.sum + b.sum, squares: a.squares + b.squares + (delta * delta * a.n * b.n) / n }
}

const dPrimeOf = (down: Moments, up: Moments): DPrime => {
  const stats = (m: Moments) => (m.n > 0 ? { mean: m.sum / m.n, std: Math.sqrt(Math.max(0, m.squares / m.n)) } : null)
  const a = stats(down)
  const b = stats(up)
  const pooled = a && b ? Math.sqrt((a.std ** 2 + b.std ** 2) / 2) : 0
  return {
    dPrime: a && b && pooled > 0 ? Math.abs(b.mean - a.mean) / pooled : null,
    meanDown: a?.mean ?? null,
    meanUp: b?.mean ?? null,
    stdDown: a?.std ?? null,
    stdUp: b?.std ?? null
  }
}

/** The readout u = D·r of every sample (trials × samples), for a 1-row decoder. */
export const readoutOf = (recording: Recording): Float64Array => {
  const { N, trials, samples, rates, decoder, targetDim } = recording
  if (targetDim !== 1) throw new Error(`the readout needs targetDim 1, the recording has ${targetDim}`)
  const readout = new Float64Array(trials * samples)
  for (let trial = 0; trial < trials; trial++) {
    for (let i = 0; i < N; i++) {
      const weight = decoder[i]!
      const row = (trial * N + i) * samples
      for (let s = 0; s < samples; s++) readout[trial * samples + s]! += weight * rates[row + s]!
    }
  }
  return readout
}

/** Per-angle moments of a per-sample variable (two passes: means, then squared deviations). */
const momentsByAngle = (values: ArrayLike<number>, label: Int16Array, G: number): Array<Moments> => {
  const n = new Float64Array(G)
  const sum = new Float64Array(G)
  for (let k = 0; k < label.length; k++) {
    const g = label[k]!
    if (g < 0) continue
    n[g]!++
    sum[g]! += values[k]!
  }
  const squares = new Float64Array(G)
  for (let k = 0; k < label.length; k++) {
    const g = label[k]!
    if (g < 0) continue
    squares[g]! += (values[k]! - sum[g]! / n[g]!) ** 2
  }
  return Array.from({ length: G }, (_, g) => ({ n: n[g]!, sum: sum[g]!, squares: squares[g]! }))
}

export const discriminability = (recording: Recording, options: DiscriminabilityOptions = {}): Discriminability => {
  const boundary = options.boundary ?? 0
  const { angles, label } = angleGroups(recording, options)
  const G = angles.length
  const readout = momentsByAngle(readoutOf(recording), label, G)
  const output = momentsByAngle(recording.outputs, label, G)
  const side = (g: number) => (angles[g]! > boundary ? 1 : angles[g]! < boundary ? 0 : -1)
  const classMoments = (m: ReadonlyArray<Moments>, c: 0 | 1) =>
    m.reduce((acc, x, g) => (side(g) === c ? merge(acc, x) : acc), none)

  const boundaryPairs: Discriminability["boundaryPairs"] = []
  const adjacentPairs: Discriminability["adjacentPairs"] = []
  for (let g = 0; g < G && G > 1; g++) {
    const h = (g + 1) % G
    if (G === 2 && g === 1) break
    const across = side(g) >= 0 && side(h) >= 0 && side(g) !== side(h)
    if (across) {
      const [down, up] = side(g) === 0 ? [g, h] : [h, g]
      boundaryPairs.push({
        angleDown: angles[down]!,
        angleUp: angles[up]!,
        output: dPrimeOf(output[down]!, output[up]!),
        readout: dPrimeOf(readout[down]!, readout[up]!)
      })
    }
    // Circular midpoint: halfway along the counterclockwise arc from a to b, wrapped to (−π, π].
    const arc = (((angles[h]! - angles[g]!) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)
    let midpoint = angles[g]! + arc / 2
    if (midpoint > Math.PI) midpoint -= 2 * Math.PI
    adjacentPairs.push({
      angleA: angles[g]!,
      angleB: angles[h]!,
      midpoint,
      acrossBoundary: across,
      output: dPrimeOf(output[g]!, output[h]!).dPrime,
      readout: dPrimeOf(readout[g]!, readout[h]!).dPrime
    })
  }

  const down = classMoments(readout, 0)
  const up = classMoments(readout, 1)
  return {
    boundary,
    counts: { down: down.n, up: up.n },
    readout: dPrimeOf(down, up),
    output: dPrimeOf(classMoments(output, 0), classMoments(output, 1)),
    boundaryPairs,
    adjacentPairs
  }
}
