import type { Summary } from "./summarize.js"

/** One member of a noise sweep: a rule trained and tested at a noise level σ. */
export interface SweepResult {
  readonly rule: string
  readonly sigma: number
  readonly summary: Summary
}

export interface NoiseSweepTable {
  /** "testMse" (estimation) or "accuracy" (classification). */
  readonly metric: "testMse" | "accuracy"
  readonly sigmas: Array<number>
  readonly rules: Array<string>
  /** One row per σ (ascending): the metric of each rule, in `rules` order (null where missing). */
  readonly rows: Array<{ sigma: number; values: Array<number | null> }>
  /** Per rule, its (σ, value) points ascending in σ: the series of the error-vs-σ figure. */
  readonly series: Array<{ rule: string; points: Array<{ sigma: number; value: number }> }>
}

/**
 * The "test error against noise σ" table of the noise sweep (issue #5): rules in first-seen order,
 * σ ascending. A (rule, σ) given twice is an error.
 */
export const noiseSweepTable = (results: ReadonlyArray<SweepResult>): NoiseSweepTable => {
  const metric = results[0]?.summary.task === "classification" ? "accuracy" : "testMse"
  const metricOf = (s: Summary) => (s.task === "estimation" ? s.testMse : s.accuracy)
  const rules = [...new Set(results.map((r) => r.rule))]
  const sigmas = [...new Set(results.map((r) => r.sigma))].sort((a, b) => a - b)
  const cell = new Map<string, number | null>()
  for (const r of results) {
    const key = `${r.rule}|${r.sigma}`
    if (cell.has(key)) throw new Error(`noiseSweepTable: rule ${r.rule} at σ = ${r.sigma} is given twice`)
    if (r.summary.task !== results[0]!.summary.task) {
      throw new Error(`noiseSweepTable: mixed tasks (${r.rule} at σ = ${r.sigma} is ${r.summary.task})`)
    }
    cell.set(key, metricOf(r.summary))
  }
  return {
    metric,
    sigmas,
    rules,
    rows: sigmas.map((sigma) => ({ sigma, values: rules.map((rule) => cell.get(`${rule}|${sigma}`) ?? null) })),
    series: rules.map((rule) => ({
      rule,
      points: sigmas.flatMap((sigma) => {
        const value = cell.get(`${rule}|${sigma}`)
        return value === undefined || value === null ? [] : [{ sigma, value }]
      })
    }))
  }
}
