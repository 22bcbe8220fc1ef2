/**
 * The statistics of a sweep (src/analysis/aggregate.ts), against hand computations: the Student-t
 * interval, the grouping into cells, pointwise bands, and the tidy CSV.
 */
import { assert, describe, it } from "vitest"
import * as Aggregate from "../../src/analysis/aggregate.js"

/** t(0.975, ν) from a printed table (e.g. Abramowitz & Stegun 26.10): not from the code under test. */
const t975 = { 1: 12.706, 2: 4.303, 3: 3.182, 7: 2.365 } as const

const member = (assignments: Record<string, string>, values: Record<string, number | null>, curve?: Array<number>) => ({
  label: Object.entries(assignments)
    .map(([k, v]) => `${k}=${v}`)
    .join(","),
  assignments,
  params: { ...assignments, nested: { depth: 2 }, list: [1, 2], flag: true },
  metrics: {
    scalars: Object.entries(values).map(([name, value]) => ({ name, label: name, value, primary: true })),
    series: curve === undefined ? [] : [{ name: "c", label: "c", xLabel: "x", yLabel: "y", x: [0, 1, 2], y: curve }]
  }
})

describe("the 95% interval over replicates", () => {
  it("is mean ± t(0.975, n−1)·s/√n", () => {
    // 1, 2, 3: mean 2, s = 1, half-width = 4.303/√3 = 2.4843
    const i = Aggregate.interval([1, 2, 3])
    assert.strictEqual(i.n, 3)
    assert.closeTo(i.mean!, 2, 1e-12)
    assert.closeTo(i.sd!, 1, 1e-12)
    assert.closeTo(i.halfWidth!, t975[2] / Math.sqrt(3), 1e-3)
    assert.closeTo(i.low!, 2 - t975[2] / Math.sqrt(3), 1e-3)
    // Eight replicates (a seed axis 1..8): 0.113 … 0.156; s by hand = 0.014124.
    const eight = [0.113, 0.125, 0.127, 0.138, 0.1395, 0.141, 0.151, 0.156]
    const mean = 1.0905 / 8
    const s = Math.sqrt(eight.reduce((a, x) => a + (x - mean) ** 2, 0) / 7)
    assert.closeTo(s, 0.014124, 5e-6)
    assert.closeTo(Aggregate.interval(eight).halfWidth!, (t975[7] * s) / Math.sqrt(8), 1e-4)
  })

  it("has no interval for one replicate, and leaves out missing values", () => {
    const one = Aggregate.interval([0.5])
    assert.deepStrictEqual([one.mean, one.halfWidth, one.low], [0.5, null, null])
    const gaps = Aggregate.interval([1, null, Number.NaN, 3])
    assert.strictEqual(gaps.n, 2)
    assert.closeTo(gaps.halfWidth!, (t975[1] * Math.SQRT2) / Math.SQRT2, 1e-2)
    assert.isNull(Aggregate.interval([]).mean)
  })
})

describe("cells, bands and the tidy table", () => {
  const members = [
    member({ rule: "a", seed: "1" }, { mse: 1, acc: null }, [1, 2, 3]),
    member({ rule: "a", seed: "2" }, { mse: 3, acc: null }, [3, 4, 5]),
    member({ rule: "b", seed: "1" }, { mse: 10, acc: null }, [0, 0, 0]),
    member({ rule: "b", seed: "2" }, { mse: 14, acc: null }, [2, 2, 2])
  ]

  it("groups members by their factors, in the order cells first appear", () => {
    const cells = Aggregate.cells(members, ["rule"])
    assert.deepStrictEqual(
      cells.map((c) => [c.label, c.members.length]),
      [
        ["rule=a", 2],
        ["rule=b", 2]
      ]
    )
    const b = Aggregate.scalarInterval(cells[1]!, "mse")
    // 10, 14: mean 12, s = 2√2, half-width = 12.706·2√2/√2 = 25.41
    assert.closeTo(b.mean!, 12, 1e-12)
    assert.closeTo(b.halfWidth!, t975[1] * 2, 1e-2)
    assert.deepStrictEqual(
      Aggregate.cells(members, []).map((c) => c.label),
      ["all"]
    )
  })

  it("summarises a curve pointwise", () => {
    const band = Aggregate.seriesBand(Aggregate.cells(members, ["rule"])[0]!, "c")!
    assert.deepStrictEqual(band.mean, [2, 3, 4])
    // Each point: values differ by 2: s = √2, half-width = 12.706·√2/√2.
    for (let k = 0; k < 3; k++) assert.closeTo(band.high[k]! - band.mean[k]!, t975[1], 1e-2)
    assert.isUndefined(Aggregate.seriesBand(Aggregate.cells(members, ["rule"])[0]!, "nope"))
  })

  it("writes one row per member × metric, every param a column, as CSV pandas and R read", () => {
    const table = Aggregate.tidy(members)
    assert.deepStrictEqual(table.columns, ["member", "flag", "list", "nested.depth", "rule", "seed", "metric", "value"])
    assert.strictEqual(table.rows.length, 8)
    const csv = Aggregate.toCsv(table)
    const lines = csv.trimEnd().split("\n")
    assert.strictEqual(lines[0], "member,flag,list,nested.depth,rule,seed,metric,value")
    // A label with a comma is quoted; a JSON list is quoted with its quotes; null is empty.
    assert.strictEqual(lines[1], '"rule=a,seed=1",TRUE,"[1,2]",2,a,1,mse,1')
    assert.strictEqual(lines[2], '"rule=a,seed=1",TRUE,"[1,2]",2,a,1,acc,')
    assert.isTrue(csv.endsWith("\n"))
  })
})

describe("the paired comparisons in plain words", () => {
  const comparison = (metric: string, low: number, high: number): Aggregate.Comparison => ({
    factor: "perturbation",
    a: "within",
    b: "outside",
    others: {},
    metric,
    difference: { n: 8, mean: (low + high) / 2, sd: 1, halfWidth: (high - low) / 2, low, high },
    bLarger: 4,
    aLarger: 4
  })
  it("names the level that is larger where an interval excludes 0, and the metrics with no difference shown", () => {
    const [sentence, ...rest] = Aggregate.plainAnswer([
      comparison("final", -0.3, -0.1), // b − a < 0: within larger
      comparison("early", 0.05, 0.2), // outside larger
      comparison("after", -0.1, 0.1)
    ])
    assert.deepStrictEqual(rest, [])
    assert.strictEqual(
      sentence,
      "perturbation: within against outside: within is larger on final; outside is larger on early; no difference is shown on after (95% intervals of the paired differences)."
    )
  })
})
