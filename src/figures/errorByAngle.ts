/**
 * Error by stimulus angle, one line per named series (before/after learning, or per rule), with
 * the stimulus prior drawn behind it on a secondary y axis: the paper's point that the learned
 * code spends its precision where stimuli are frequent.
 *
 * @module
 */
import * as d3 from "d3"
import { angleAxisLabel, angleTicks, axisBottom, axisLeft, axisRight } from "./axes.js"
import { coord } from "./format.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, faint, muted } from "./palette.js"
import { type AnglePoint, cyclicOrder, paddedExtent } from "./scales.js"
import type { Sel } from "./svg.js"

/** A density over the stimulus angle: `density[k]` (1/rad) at `angles[k]` (rad). */
export interface PriorDensity {
  readonly angles: ArrayLike<number>
  readonly density: ArrayLike<number>
}

/** One error curve: `error[a]` at test angle `angles[a]`, with an optional spread (error bar half-length). */
export interface ErrorSeries {
  readonly name: string
  readonly error: ArrayLike<number>
  readonly spread?: ArrayLike<number>
}

export interface ErrorByAngleData {
  /** Test angles θ (rad), shared by all series. */
  readonly angles: ArrayLike<number>
  readonly series: ReadonlyArray<ErrorSeries>
  readonly prior: PriorDensity
}

export interface ErrorByAngleOptions {
  readonly title?: string
  readonly yLabel?: string
  readonly priorLabel?: string
  readonly width?: number
  readonly height?: number
}

/** Draw the prior density as a filled area against a secondary (right) axis. */
export const drawPriorArea = (
  plot: Sel<SVGGElement>,
  prior: PriorDensity,
  x: d3.ScaleLinear<number, number>,
  innerWidth: number,
  innerHeight: number,
  label: string
): void => {
  const order = cyclicOrder(prior.angles)
  const yPrior = d3
    .scaleLinear()
    .domain(paddedExtent([prior.density], 0.1, [0]))
    .range([innerHeight, 0])
    .nice()
  const area = d3
    .area<AnglePoint>()
    .defined((p) => Number.isFinite(prior.density[p.k]!))
    .x((p) => x(p.x))
    .y0(innerHeight)
    .y1((p) => yPrior(prior.density[p.k]!))
    .digits(2)
  plot
    .append("path")
    .attr("class", "prior")
    .attr("d", area(order))
    .attr("fill", faint)
    .attr("stroke", muted)
    .attr("stroke-width", 1)
  axisRight(plot, yPrior, innerWidth, innerHeight, { label, ticks: 5, labelOffset: 44 })
}

/** Draw error against stimulus angle, over the prior, as an SVG document string. */
export const errorByAngle = (data: ErrorByAngleData, options: ErrorByAngleOptions = {}): string => {
  const width = options.width ?? 480
  const height = options.height ?? 320
  const priorLabel = options.priorLabel ?? "prior density p(θ) (1/rad)"
  const entries: LegendEntry[] = [
    ...data.series.map((s, i) => ({ label: s.name, color: categorical(i), mark: "line" as const })),
    { label: "stimulus prior", color: faint, mark: "bar" }
  ]
  const f = frameWithLegend(
    { width, height, title: options.title ?? "Error by stimulus angle", margin: { right: 62 } },
    entries
  )
  const x = d3.scaleLinear().domain([-Math.PI, Math.PI]).range([0, f.innerWidth])
  drawPriorArea(f.plot, data.prior, x, f.innerWidth, f.innerHeight, priorLabel)
  const highs = data.series.map((s) => Array.from(s.error, (e, a) => e + (s.spread?.[a] ?? 0)))
  const lows = data.series.map((s) => Array.from(s.error, (e, a) => e - (s.spread?.[a] ?? 0)))
  const y = d3
    .scaleLinear()
    .domain(paddedExtent([...highs, ...lows], 0.05, [0]))
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, { label: angleAxisLabel, ...angleTicks })
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel ?? "test MSE (a.u.)", ticks: 6 })
  drawSeries(f.plot, data.angles, data.series, x, y, true)
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}

/**
 * Lines with markers and optional error bars, one colour per series, points sorted by x. With
 * `cyclic`, xs are angles and the line wraps from −π to π (see `cyclicOrder`); markers are drawn
 * once per datum.
 */
export const drawSeries = (
  plot: Sel<SVGGElement>,
  xs: ArrayLike<number>,
  series: ReadonlyArray<ErrorSeries>,
  x: (v: number) => number,
  y: (v: number) => number,
  cyclic = false
): void => {
  const order = Array.from({ length: xs.length }, (_, k) => k).sort((p, q) => xs[p]! - xs[q]!)
  const path: AnglePoint[] = cyclic ? cyclicOrder(xs) : order.map((k) => ({ x: xs[k]!, k }))
  series.forEach((s, i) => {
    const color = categorical(i)
    const g = plot.append("g").attr("class", "series").attr("data-name", s.name)
    const ok = (k: number) => Number.isFinite(xs[k]!) && Number.isFinite(s.error[k]!)
    if (s.spread) {
      for (const k of order.filter(ok)) {
        const e = s.error[k]!
        const d = s.spread[k]!
        if (!Number.isFinite(d)) continue
        g.append("line")
          .attr("class", "error-bar")
          .attr("x1", coord(x(xs[k]!)))
          .attr("x2", coord(x(xs[k]!)))
          .attr("y1", coord(y(e - d)))
          .attr("y2", coord(y(e + d)))
          .attr("stroke", color)
          .attr("stroke-width", 1.2)
      }
    }
    const line = d3
      .line<AnglePoint>()
      .defined((p) => ok(p.k))
      .x((p) => x(p.x))
      .y((p) => y(s.error[p.k]!))
      .digits(2)
    g.append("path")
      .attr("class", "curve")
      .attr("d", line(path))
      .attr("fill", "none")
      .attr("stroke", color)
      .attr("stroke-width", 1.8)
    g.selectAll("circle")
      .data(order.filter(ok))
      .join("circle")
      .attr("class", "point")
      .attr("cx", (k) => coord(x(xs[k]!)))
      .attr("cy", (k) => coord(y(s.error[k]!)))
      .attr("r", 3)
      .attr("fill", color)
  })
}
