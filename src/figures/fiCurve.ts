/**
 * The F–I curve of the run's rate nonlinearity, r = f(u), as the reference's `fi_plot` draws it
 * (over u ∈ [−2, 2)), with the simulation's rate clamp [r_low, r_high] (README §4.1(g)) where it
 * falls in view. Values above `yMax` are cut (the sigmoid pair grows exponentially).
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { coord } from "./format.js"
import { note } from "./frame.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, muted } from "./palette.js"

export interface FiCurveData {
  /** A label of the function, e.g. "softplus r = β·log(1 + exp(α + γu))". */
  readonly label: string
  readonly u: ArrayLike<number>
  readonly r: ArrayLike<number>
  /** The rate clamp of the simulation. */
  readonly clamp?: { readonly low: number; readonly high: number }
}

export interface FiCurveOptions {
  readonly title?: string
  /** Cut the curve above this rate (default: the clamp's upper bound, or the largest value). */
  readonly yMax?: number
  readonly width?: number
  readonly height?: number
}

export const fiCurve = (data: FiCurveData, options: FiCurveOptions = {}): string => {
  const width = options.width ?? 420
  const height = options.height ?? 300
  const entries: LegendEntry[] = [{ label: data.label, color: categorical(0), mark: "line" }]
  if (data.clamp !== undefined) entries.push({ label: "rate clamp", color: muted, mark: "dashed" })
  const left = 62
  const f = frameWithLegend({ width, height, title: options.title ?? "Rate function (F–I curve)" }, entries)
  let largest = 0
  for (let k = 0; k < data.r.length; k++) if (Number.isFinite(data.r[k]!)) largest = Math.max(largest, data.r[k]!)
  const cap = Math.min(options.yMax ?? data.clamp?.high ?? largest, largest > 0 ? largest : 1)
  const us = Array.from(data.u)
  const x = d3
    .scaleLinear()
    .domain([d3.min(us) ?? -2, d3.max(us) ?? 2])
    .range([0, f.innerWidth])
  const y = d3
    .scaleLinear()
    .domain([Math.min(0, d3.min(Array.from(data.r).filter(Number.isFinite)) ?? 0), cap * 1.05])
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, { label: "input current u (a.u.)", ticks: 5 })
  axisLeft(f.plot, y, f.innerHeight, { label: "rate r (a.u.)", ticks: 5 })
  const [lo, hi] = y.domain() as [number, number]
  if (data.clamp !== undefined) {
    for (const level of [data.clamp.low, data.clamp.high]) {
      if (level < lo || level > hi) continue
      f.plot
        .append("line")
        .attr("class", "clamp")
        .attr("x1", 0)
        .attr("x2", coord(f.innerWidth))
        .attr("y1", coord(y(level)))
        .attr("y2", coord(y(level)))
        .attr("stroke", muted)
        .attr("stroke-dasharray", "5,3")
    }
  }
  const line = d3
    .line<number>()
    .defined((k) => Number.isFinite(data.r[k]!) && data.r[k]! <= cap)
    .x((k) => x(data.u[k]!))
    .y((k) => y(data.r[k]!))
    .digits(2)
  f.plot
    .append("path")
    .attr("class", "curve")
    .attr("d", line(Array.from({ length: data.u.length }, (_, k) => k)))
    .attr("fill", "none")
    .attr("stroke", categorical(0))
    .attr("stroke-width", 2)
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  if (largest > cap) note(f.svg, left, 30 + 16, `cut above r = ${d3.format(".3~g")(cap)}`)
  return f.serialize()
}
