import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups } from "./angleGroups.js"
import type { Recording } from "./recording.js"

/** d′ of a variable between class 1 and class 0 samples, with the moments behind it. */
export interface DPrime {
  /** (μ₁ − μ₀) / √((σ₁² + σ₀²)/2); null if a class is empty or both variances are 0. */
  readonly dPrime: number | null
  readonly mean0: number | null
  readonly mean1: number | null
  readonly std0: number | null
  readonly std1: number | null
}

export interface Discriminability {
  /** Samples of class 0 and 1 (by target y > 0.5). */
  readonly counts: { class0: number; class1: number }
  /** d′ of the output probability o between the classes. */
  readonly output: DPrime
  /**
   * d′ of the linear readout u = D·r (r the recorded, clamped rate), before the logistic
   * (README §4.1(d)): o saturates at 0 and 1, the readout shows the separation behind it.
   */
  readonly readout: DPrime
  /**
   * For each pair of circularly adjacent test angles whose classes differ (the class of an angle is
   * the majority target of its samples): d′ between their output and readout distributions,
   * oriented class 1 minus class 0.
   */
  readonly boundaryPairs: Array<{ angle0: number; angle1: number; output: DPrime; readout: DPrime }>
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
  n: number
  sum: number
  squares: number
}

const empty = (): Moments => ({ n: 0, sum: 0, squares: 0 })

const dPrimeOf = (class0: Moments, class1: Moments): DPrime => {
  const stats = (m: Moments) => (m.n > 0 ? { mean: m.sum / m.n, std: Math.sqrt(Math.max(0, m.squares / m.n)) } : null)
  const a = stats(class0)
  const b = stats(class1)
  const pooled = a && b ? Math.sqrt((a.std ** 2 + b.std ** 2) / 2) : 0
  return {
    dPrime: a && b && pooled > 0 ? (b.mean - a.mean) / pooled : null,
    mean0: a?.mean ?? null,
    mean1: b?.mean ?? null,
    std0: a?.std ?? null,
    std1: b?.std ?? null
  }
}

/**
 * Discriminability of the two classes (classification): d′ of the output and of the decoder readout,
 * overall and across the class boundary. Variances are population variances, computed around the
 * mean (two passes).
 */
export const discriminability = (recording: Recording, options: GroupingOptions = {}): Discriminability => {
  const { angles, label } = angleGroups(recording, options)
  const { N, trials, samples, rates, outputs, targets, decoder, targetDim } = recording
  if (targetDim !== 1) throw new Error(`discriminability needs targetDim 1, the recording has ${targetDim}`)
  const G = angles.length

  // The readout u = D·r of every sample.
  const readout = new Float64Array(trials * samples)
  for (let trial = 0; trial < trials; trial++) {
    for (let i = 0; i < N; i++) {
      const weight = decoder[i]!
      const row = (trial * N + i) * samples
      for (let s = 0; s < samples; s++) readout[trial * samples + s]! += weight * rates[row + s]!
    }
  }

  // Groups: 0/1 = classes, 2 + 2g + c = angle g within class c (an angle's samples are almost all of one class).
  const groups = 2 + 2 * G
  const output = Array.from({ length: groups }, empty)
  const linear = Array.from({ length: groups }, empty)
  const angleClass = new Float64Array(G)
  const angleCount = new Float64Array(G)
  const each = (visit: (k: number, groupIds: readonly [number, number]) => void) => {
    for (let k = 0; k < trials * samples; k++) {
      const g = label[k]!
      if (g < 0) continue
      const c = targets[k]! > 0.5 ? 1 : 0
      visit(k, [c, 2 + 2 * g + c])
    }
  }
  each((k, ids) => {
    for (const id of ids) {
      output[id]!.n++
      output[id]!.sum += outputs[k]!
      linear[id]!.n++
      linear[id]!.sum += readout[k]!
    }
    const g = label[k]!
    angleCount[g]!++
    angleClass[g]! += targets[k]! > 0.5 ? 1 : 0
  })
  const meanOutput = output.map((m) => (m.n > 0 ? m.sum / m.n : 0))
  const meanLinear = linear.map((m) => (m.n > 0 ? m.sum / m.n : 0))
  each((k, ids) => {
    for (const id of ids) {
      output[id]!.squares += (outputs[k]! - meanOutput[id]!) ** 2
      linear[id]!.squares += (readout[k]! - meanLinear[id]!) ** 2
    }
  })
  const merged = (ms: ReadonlyArray<Moments>, g: number): Moments => {
    const a = ms[2 + 2 * g]!
    const b = ms[2 + 2 * g + 1]!
    const n = a.n + b.n
    if (n === 0) return empty()
    const mean = (a.sum + b.sum) / n
    const meanA = a.n > 0 ? a.sum / a.n : 0
    const meanB = b.n > 0 ? b.sum / b.n : 0
    return {
      n,
      sum: a.sum + b.sum,
      squares: a.squares + b.squares + a.n * (meanA - mean) ** 2 + b.n * (meanB - mean) ** 2
    }
  }

  const classOf = (g: number) => (angleClass[g]! * 2 > angleCount[g]! ? 1 : 0)
  const boundaryPairs: Array<{ angle0: number; angle1: number; output: DPrime; readout: DPrime }> = []
  for (let g = 0; g < G && G > 1; g++) {
    const h = (g + 1) % G
    if (G === 2 && g === 1) break
    if (classOf(g) === classOf(h)) continue
    const [g0, g1] = classOf(g) === 0 ? [g, h] : [h, g]
    boundaryPairs.push({
      angle0: angles[g0]!,
      angle1: angles[g1]!,
      output: dPrimeOf(merged(output, g0), merged(output, g1)),
      readout: dPrimeOf(merged(linear, g0), merged(linear, g1))
    })
  }

  const adjacentPairs: Discriminability["adjacentPairs"] = []
  for (let g = 0; g < G && G > 1; g++) {
    const h = (g + 1) % G
    if (G === 2 && g === 1) break
    // Circular midpoint: halfway along the counterclockwise arc from a to b, wrapped to (−π, π].
    const arc = (((angles[h]! - angles[g]!) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)
    let midpoint = angles[g]! + arc / 2
    if (midpoint > Math.PI) midpoint -= 2 * Math.PI
    const magnitude = (d: DPrime) => (d.dPrime === null ? null : Math.abs(d.dPrime))
    adjacentPairs.push({
      angleA: angles[g]!,
      angleB: angles[h]!,
      midpoint,
      acrossBoundary: classOf(g) !== classOf(h),
      output: magnitude(dPrimeOf(merged(output, g), merged(output, h))),
      readout: magnitude(dPrimeOf(merged(linear, g), merged(linear, h)))
    })
  }

  return {
    counts: { class0: output[0]!.n, class1: output[1]!.n },
    output: dPrimeOf(output[0]!, output[1]!),
    readout: dPrimeOf(linear[0]!, linear[1]!),
    boundaryPairs,
    adjacentPairs
  }
}
