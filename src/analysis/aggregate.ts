/**
 * Statistics over the members of a sweep (DESIGN §12): members are grouped into cells by their
 * factor values, and every metric of a cell is summarised over its replicates (the seeds) by the
 * mean and a 95% confidence interval from Student's t distribution:
 *
 *     mean ± t(0.975, n − 1) · s / √n,   s the sample standard deviation (n − 1 in the denominator),
 *
 * which assumes the replicates are independent draws of a roughly normal metric (n < 2: no
 * interval). Curves (learning curves, error by angle) get the same interval pointwise.
 *
 * Also the tidy table of a sweep: one row per member × metric, the member's params as columns,
 * written as CSV that pandas (`read_csv`) and R (`read.csv`) load as it is.
 *
 * @module
 */
import quantile from "@stdlib/stats-base-dists-t-quantile"

/** The confidence level of every interval. */
export const CONFIDENCE = 0.95

/** The estimator, as reports name it. */
export const ESTIMATOR = "mean ± 95% Student-t interval over replicates (t(0.975, n−1)·s/√n)"

/** A metric summarised over replicates. */
export interface Interval {
  readonly n: number
  readonly mean: number | null
  /** Sample standard deviation (null for n < 2). */
  readonly sd: number | null
  /** Half-width of the 95% interval (null for n < 2). */
  readonly halfWidth: number | null
  readonly low: number | null
  readonly high: number | null
}

/** The mean and 95% t interval of the finite values among `values` (others are left out). */
export const interval = (values: ReadonlyArray<number | null>): Interval => {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v))
  const n = xs.length
  if (n === 0) return { n, mean: null, sd: null, halfWidth: null, low: null, high: null }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n < 2) return { n, mean, sd: null, halfWidth: null, low: null, high: null }
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1))
  const halfWidth = quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * (sd / Math.sqrt(n))
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth }
}

/** A member's scalar metric. */
export interface Scalar {
  readonly name: string
  readonly label: string
  readonly value: number | null
  /** Drawn against the factors in the report (the others are tabulated). */
  readonly primary: boolean
}

/** A member's curve (e.g. the learning curve, error by angle). */
export interface Series {
  readonly name: string
  readonly label: string
  readonly xLabel: string
  readonly yLabel: string
  readonly x: ReadonlyArray<number>
  readonly y: ReadonlyArray<number>
  /** Names of the points when they are categories, not a curve (e.g. phases): drawn as grouped bars. */
  readonly categories?: ReadonlyArray<string> | undefined
}

/** What one member of a sweep reports. */
export interface Metrics {
  readonly scalars: ReadonlyArray<Scalar>
  readonly series: ReadonlyArray<Series>
}

/** One member: its label, swept values, full params and metrics. */
export interface Member {
  readonly label: string
  readonly assignments: Readonly<Record<string, string>>
  readonly params: unknown
  readonly metrics: Metrics
}

/** The members sharing one value of every factor. */
export interface Cell {
  /** factor → value (as given on the command line). */
  readonly factors: Readonly<Record<string, string>>
  /** E.g. `sigma=0.2, rule=decoder-only` ("all" without factors). */
  readonly label: string
  readonly members: ReadonlyArray<Member>
}

/** Groups members into cells by their factor values, in the order the cells first appear. */
export const cells = (members: ReadonlyArray<Member>, factors: ReadonlyArray<string>): ReadonlyArray<Cell> => {
  const byKey = new Map<string, { factors: Record<string, string>; members: Array<Member> }>()
  for (const m of members) {
    const values = Object.fromEntries(factors.map((f) => [f, m.assignments[f] ?? ""]))
    const key = JSON.stringify(factors.map((f) => values[f]))
    const cell = byKey.get(key) ?? { factors: values, members: [] }
    cell.members.push(m)
    byKey.set(key, cell)
  }
  return [...byKey.values()].map((c) => ({
    factors: c.factors,
    label: factors.length === 0 ? "all" : factors.map((f) => `${f}=${c.factors[f]}`).join(", "),
    members: c.members
  }))
}

/** The scalar metrics the members report, in first-seen order (name, label, primary). */
export const scalarNames = (members: ReadonlyArray<Member>): ReadonlyArray<Omit<Scalar, "value">> => {
  const seen = new Map<string, Omit<Scalar, "value">>()
  for (const m of members) {
    for (const s of m.metrics.scalars)
      if (!seen.has(s.name)) seen.set(s.name, { name: s.name, label: s.label, primary: s.primary })
  }
  return [...seen.values()]
}

/** A cell's interval of one scalar metric. */
export const scalarInterval = (cell: Cell, name: string): Interval =>
  interval(cell.members.map((m) => m.metrics.scalars.find((s) => s.name === name)?.value ?? null))

/** A curve summarised pointwise over a cell's members (those reporting it, on its first member's x). */
export interface Band {
  readonly x: ReadonlyArray<number>
  readonly mean: ReadonlyArray<number>
  readonly low: ReadonlyArray<number>
  readonly high: ReadonlyArray<number>
  readonly n: number
}

/** The pointwise mean and 95% interval of a series over a cell's members (NaN where undefined). */
export const seriesBand = (cell: Cell, name: string): Band | undefined => {
  const all = cell.members.flatMap((m) => m.metrics.series.filter((s) => s.name === name))
  if (all.length === 0) return undefined
  const x = all[0]!.x
  const stats = x.map((_, k) => interval(all.map((s) => (s.x.length === x.length ? (s.y[k] ?? null) : null))))
  return {
    x,
    mean: stats.map((s) => s.mean ?? Number.NaN),
    low: stats.map((s) => s.low ?? s.mean ?? Number.NaN),
    high: stats.map((s) => s.high ?? s.mean ?? Number.NaN),
    n: all.length
  }
}

/** Params flattened to dotted keys (`a.b`), in key order. */
export const flattenParams = (
  value: unknown,
  prefix = "",
  out: Record<string, unknown> = {}
): Record<string, unknown> => {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const k of Object.keys(value).sort()) {
      flattenParams((value as Record<string, unknown>)[k], prefix === "" ? k : `${prefix}.${k}`, out)
    }
  } else if (prefix !== "") out[prefix] = value
  return out
}

/** The tidy table: columns and one row per member × scalar metric. */
export interface Tidy {
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>
}

/**
 * One row per member × metric: `member` (its label), every pipeline param (dotted keys), then
 * `metric` and `value`. Params that are not scalars (lists) are written as JSON text.
 */
export const tidy = (members: ReadonlyArray<Member>): Tidy => {
  const params = members.map((m) => flattenParams(m.params))
  const paramColumns = [...new Set(params.flatMap((p) => Object.keys(p)))].sort()
  const cellValue = (v: unknown): string | number | boolean | null =>
    v === undefined || v === null
      ? null
      : typeof v === "number" || typeof v === "boolean" || typeof v === "string"
        ? v
        : JSON.stringify(v)
  const rows = members.flatMap((m, i) =>
    m.metrics.scalars.map((s) => [m.label, ...paramColumns.map((c) => cellValue(params[i]![c])), s.name, s.value])
  )
  return { columns: ["member", ...paramColumns, "metric", "value"], rows }
}

/**
 * A table as CSV (RFC 4180): comma separated, `\n` line ends, a header row; fields with a comma,
 * quote or line break are quoted (quotes doubled); numbers in shortest round-trip form; booleans
 * `TRUE`/`FALSE` (pandas and R both read them as logical; R 4.2 reads `true` as text); null and
 * non-finite numbers empty (NaN in pandas, NA in R).
 */
export const toCsv = (table: Tidy): string => {
  const field = (v: string | number | boolean | null): string => {
    if (v === null) return ""
    if (typeof v === "number") return Number.isFinite(v) ? String(v) : ""
    if (typeof v === "boolean") return v ? "TRUE" : "FALSE"
    return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
  }
  return `${[table.columns.map(field), ...table.rows.map((r) => r.map(field))].map((r) => r.join(",")).join("\n")}\n`
}

/**
 * A paired comparison of two levels of one factor over the replicates (e.g. two rules, or two
 * perturbations, seed by seed), the other factors held at `others`: the differences `b − a` of the
 * metric in the replicates both levels have.
 */
export interface Comparison {
  readonly factor: string
  readonly a: string
  readonly b: string
  /** The other factors' values (empty without other factors). */
  readonly others: Readonly<Record<string, string>>
  readonly metric: string
  /** Mean of b − a with its 95% interval, over the replicates both have. */
  readonly difference: Interval
  /** In how many of those replicates b exceeded a, and a exceeded b. */
  readonly bLarger: number
  readonly aLarger: number
}

/**
 * Every paired comparison of a sweep with a replicate axis: for each factor, each pair of its
 * levels (in the order given), each combination of the other factors, and each metric named.
 */
export const pairedComparisons = (
  members: ReadonlyArray<Member>,
  factors: ReadonlyArray<string>,
  replicate: string | null,
  metrics: ReadonlyArray<string>
): ReadonlyArray<Comparison> => {
  if (replicate === null) return []
  const out: Array<Comparison> = []
  const metricOf = (m: Member, metric: string) => m.metrics.scalars.find((s) => s.name === metric)?.value ?? null
  for (const factor of factors) {
    const levels = [...new Set(members.map((m) => m.assignments[factor]!))]
    const others = factors.filter((f) => f !== factor)
    for (const line of cells(members, others)) {
      for (let i = 0; i < levels.length; i++) {
        for (let j = i + 1; j < levels.length; j++) {
          const [a, b] = [levels[i]!, levels[j]!]
          const byReplicate = (level: string) =>
            new Map(
              line.members.filter((m) => m.assignments[factor] === level).map((m) => [m.assignments[replicate]!, m])
            )
          const as = byReplicate(a)
          const bs = byReplicate(b)
          for (const metric of metrics) {
            const pairs: Array<[number, number]> = []
            for (const [r, ma] of as) {
              const mb = bs.get(r)
              const va = metricOf(ma, metric)
              const vb = mb === undefined ? null : metricOf(mb, metric)
              if (va !== null && vb !== null && Number.isFinite(va) && Number.isFinite(vb)) pairs.push([va, vb])
            }
            if (pairs.length === 0) continue
            out.push({
              factor,
              a,
              b,
              others: line.factors,
              metric,
              difference: interval(pairs.map(([va, vb]) => vb - va)),
              bLarger: pairs.filter(([va, vb]) => vb > va).length,
              aLarger: pairs.filter(([va, vb]) => va > vb).length
            })
          }
        }
      }
    }
  }
  return out
}

/** What a comparison's interval shows: which level is larger, or no difference. */
/**
 * The paired comparisons in plain words, one sentence per pair of levels (and held values): the
 * metrics on which one level is larger (its interval excludes 0), and those on which no difference
 * is shown.
 */
export const plainAnswer = (comparisons: ReadonlyArray<Comparison>): ReadonlyArray<string> => {
  const groups = new Map<string, Array<Comparison>>()
  for (const c of comparisons) {
    const held = Object.entries(c.others)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")
    const key = `${c.factor}: ${c.a} against ${c.b}${held === "" ? "" : ` (${held})`}`
    groups.set(key, [...(groups.get(key) ?? []), c])
  }
  return [...groups.entries()].map(([pair, cs]) => {
    const larger = (low: boolean) =>
      cs
        .filter((c) => c.difference.low !== null && c.difference.high !== null)
        .filter((c) => (low ? c.difference.high! < 0 : c.difference.low! > 0))
        .map((c) => c.metric)
    const a = larger(true)
    const b = larger(false)
    const none = cs.filter((c) => !a.includes(c.metric) && !b.includes(c.metric)).map((c) => c.metric)
    const parts = [
      ...(a.length > 0 ? [`${cs[0]!.a} is larger on ${a.join(", ")}`] : []),
      ...(b.length > 0 ? [`${cs[0]!.b} is larger on ${b.join(", ")}`] : []),
      ...(none.length > 0 ? [`no difference is shown on ${none.join(", ")}`] : [])
    ]
    return `${pair}: ${parts.join("; ")} (95% intervals of the paired differences).`
  })
}

export const verdict = (c: Comparison): string => {
  const d = c.difference
  if (d.mean === null) return "no pair"
  if (d.low === null || d.high === null) return "one pair: no interval"
  if (d.low > 0) return `${c.b} larger (the interval excludes 0)`
  if (d.high < 0) return `${c.a} larger (the interval excludes 0)`
  return "no difference shown (the interval includes 0)"
}
