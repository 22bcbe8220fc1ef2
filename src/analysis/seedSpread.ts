import type { Summary } from "./summarize.js"

/** One member of a seed study: the same experiment run from another root seed. */
export interface SeedResult {
  readonly seed: number
  readonly summary: Summary
}

export interface SeedSpread {
  /** "testMse" (estimation, lower is better) or "accuracy" (classification, higher is better). */
  readonly metric: "testMse" | "accuracy"
  /** One row per seed, in the given order: the metric and its companion (prior-weighted MSE, or log-likelihood). */
  readonly rows: Array<{ seed: number; value: number | null; companion: number | null }>
  /** How many seeds have a finite value; the statistics below are over those. */
  readonly count: number
  readonly median: number | null
  readonly mean: number | null
  /** Sample standard deviation (divisor n − 1); null for fewer than two values. */
  readonly sd: number | null
  readonly min: number | null
  readonly max: number | null
  /**
   * The seed whose value is the median: the middle one in ascending order of value (ties by seed);
   * for an even count, the lower of the two middle values (the better run for an MSE, the worse
   * for an accuracy).
   */
  readonly medianSeed: number | null
}

/**
 * The spread of an experiment's headline number over root seeds: how much of a single run's result
 * is the luck of its random streams. A seed given twice, or mixed tasks, is an error.
 */
export const seedSpread = (results: ReadonlyArray<SeedResult>): SeedSpread => {
  const task = results[0]?.summary.task ?? "estimation"
  const seen = new Set<number>()
  const rows = results.map(({ seed, summary }) => {
    if (seen.has(seed)) throw new Error(`seedSpread: seed ${seed} is given twice`)
    seen.add(seed)
    if (summary.task !== task) throw new Error(`seedSpread: mixed tasks (seed ${seed} is ${summary.task})`)
    return summary.task === "estimation"
      ? { seed, value: summary.testMse, companion: summary.priorWeightedMse }
      : { seed, value: summary.accuracy, companion: summary.logLikelihood }
  })
  const ranked = rows
    .filter(
      (r): r is { seed: number; value: number; companion: number | null } =>
        r.value !== null && Number.isFinite(r.value)
    )
    .sort((a, b) => a.value - b.value || a.seed - b.seed)
  const n = ranked.length
  const values = ranked.map((r) => r.value)
  const mean = n > 0 ? values.reduce((s, v) => s + v, 0) / n : null
  const sd = n > 1 && mean !== null ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null
  const lowerMiddle = Math.floor((n - 1) / 2)
  return {
    metric: task === "estimation" ? "testMse" : "accuracy",
    rows,
    count: n,
    median: n === 0 ? null : n % 2 === 1 ? values[lowerMiddle]! : (values[lowerMiddle]! + values[lowerMiddle + 1]!) / 2,
    mean,
    sd,
    min: n > 0 ? values[0]! : null,
    max: n > 0 ? values[n - 1]! : null,
    medianSeed: n > 0 ? ranked[lowerMiddle]!.seed : null
  }
}
