import type { Summary } from "./summarize.js"

/** One rule's results, as the comparison pipelines collect them. */
export interface RuleResult {
  readonly rule: string
  readonly summary: Summary
  /** Mean objective per training trial, if available (for the final objective). */
  readonly objectiveMean?: ReadonlyArray<number>
}

/** One row of the rule-comparison table. */
export interface RuleComparisonRow {
  readonly rule: string
  /** The task's main error: test MSE (estimation, lower is better) or accuracy (classification). */
  readonly error: number | null
  readonly testMse?: number | null
  readonly accuracy?: number | null
  readonly logLikelihood?: number | null
  /** Prior-weighted MSE (estimation) or accuracy (classification). */
  readonly priorWeighted: number | null
  readonly decoderShare: number | null
  /** Mean objective over the last 10% of training trials (at least one), if given. */
  readonly finalObjective: number | null
  /** error / baseline's error (null without a baseline or if undefined). */
  readonly relativeToBaseline: number | null
  /** 1 = best by `error` (ties share a rank; rules with no error come last, unranked = null). */
  readonly rank: number | null
}

export interface RuleComparison {
  readonly task: Summary["task"]
  readonly baseline: string | null
  readonly rows: Array<RuleComparisonRow>
}

/**
 * The summary table of a rule comparison (issue #5): one row per rule in the given order, with the
 * main error, its ratio to the baseline rule (default "three-factor" if present, else the first),
 * the rank, and the final training objective. All results must be of one task.
 */
export const compareRules = (
  results: ReadonlyArray<RuleResult>,
  options: { baseline?: string } = {}
): RuleComparison => {
  if (results.length === 0) return { task: "estimation", baseline: null, rows: [] }
  const task = results[0]!.summary.task
  const mixed = results.find((r) => r.summary.task !== task)
  if (mixed !== undefined) {
    throw new Error(`compareRules: rule ${mixed.rule} is ${mixed.summary.task}, expected ${task} like the others`)
  }
  const mainError = (s: Summary) => (s.task === "estimation" ? s.testMse : s.accuracy)
  const lowerIsBetter = task === "estimation"
  const baselineRule =
    options.baseline ?? (results.some((r) => r.rule === "three-factor") ? "three-factor" : results[0]!.rule)
  const baseline = results.find((r) => r.rule === baselineRule)
  const baselineError = baseline ? mainError(baseline.summary) : null
  const errors = results.map((r) => mainError(r.summary))
  const finalObjective = (values?: ReadonlyArray<number>) => {
    if (values === undefined || values.length === 0) return null
    const tail = values.slice(values.length - Math.max(1, Math.round(values.length / 10)))
    const finite = tail.filter(Number.isFinite)
    return finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : null
  }
  const rows = results.map((r, k): RuleComparisonRow => {
    const s = r.summary
    const error = errors[k]!
    const better = errors.filter((e) => e !== null && (lowerIsBetter ? e < error! : e > error!)).length
    const common = {
      rule: r.rule,
      error,
      decoderShare: s.decoderAlignedNoise.decoderShare,
      finalObjective: finalObjective(r.objectiveMean),
      relativeToBaseline:
        error !== null && baselineError !== null && baselineError !== 0 ? error / baselineError : null,
      rank: error === null ? null : better + 1
    }
    return s.task === "estimation"
      ? { ...common, testMse: s.testMse, priorWeighted: s.priorWeightedMse }
      : { ...common, accuracy: s.accuracy, logLikelihood: s.logLikelihood, priorWeighted: s.priorWeightedAccuracy }
  })
  return { task, baseline: baseline ? baselineRule : null, rows }
}
