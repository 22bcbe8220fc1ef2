export interface LearningCurveOptions {
  /** Width (in points after binning) of the centered moving average (default 9; 1 = none). */
  readonly window?: number
  /** At most this many points: longer series are first averaged in equal bins (default 500). */
  readonly maxPoints?: number
}

export interface LearningCurve {
  /** Position of each point in the input's index units (bin centers: a trial number for per-trial input). */
  readonly x: Array<number>
  /** The bin means of the input (the input itself when it is short enough). */
  readonly value: Array<number>
  /** Centered moving average of `value`; the window shrinks symmetrically at the ends. */
  readonly smoothed: Array<number>
}

/**
 * A learning curve for plotting: the objective per training trial (or every 20th step), reduced to
 * at most `maxPoints` bin means and smoothed by a centered moving average. Non-finite inputs are
 * skipped (a bin of only non-finite values is dropped), so the result holds no NaN.
 */
export const learningCurve = (objective: ArrayLike<number>, options: LearningCurveOptions = {}): LearningCurve => {
  const window = Math.max(1, Math.floor(options.window ?? 9))
  const maxPoints = Math.max(1, Math.floor(options.maxPoints ?? 500))
  const n = objective.length
  const bins = Math.min(n, maxPoints)
  const x: Array<number> = []
  const value: Array<number> = []
  for (let b = 0; b < bins; b++) {
    const start = Math.floor((b * n) / bins)
    const end = Math.floor(((b + 1) * n) / bins)
    let sum = 0
    let count = 0
    for (let k = start; k < end; k++) {
      const v = objective[k]!
      if (Number.isFinite(v)) {
        sum += v
        count++
      }
    }
    if (count > 0) {
      x.push((start + end - 1) / 2)
      value.push(sum / count)
    }
  }
  const half = Math.floor(window / 2)
  const smoothed = value.map((_, k) => {
    const reach = Math.min(half, k, value.length - 1 - k)
    let sum = 0
    for (let j = k - reach; j <= k + reach; j++) sum += value[j]!
    return sum / (2 * reach + 1)
  })
  return { x, value, smoothed }
}
