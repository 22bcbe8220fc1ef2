/**
 * A seed study's spread: one point per root seed (ranked by value), the median as a dashed line,
 * and optionally a shaded target band (e.g. "within 15% of the paper's network").
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { coord } from "./format.js"
import { frame } from "./frame.js"
import { bottomMarginWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, faint, muted } from "./palette.js"
import { paddedExtent } from "./scales.js"

export interface ResultBySeedData {
  /** One point per seed; drawn in ascending order of value. */
  readonly points: ReadonlyArray<{ readonly seed: number; readonly value: number }>
  readonly median?: number | null
  /** A shaded horizontal band with its legend label. */
  readonly band?: { readonly low: number; readonly high: number; readonly label: string }
}

export interface ResultBySeedOptions {
  readonly title?: string
  readonly yLabel?: string
  readonly width?: number
  readonly height?: number
}

/** Draw a seed study's results as an SVG document string. */
export const resultBySeed = (data: ResultBySeedData, options: ResultBySeedOptions = {}): string => {
  const width = options.width ?? 440
  const height = options.height ?? 320
  const points = data.points
    .filter((p) => Number.isFinite(p.value))
    .sort((a, b) => a.value - b.value || a.seed - b.seed)
  const median = data.median ?? null
  const entries: LegendEntry[] = [
    { label: "one training (seed)", color: categorical(0), mark: "point" },
    ...(median !== null ? [{ label: "median", color: muted, mark: "dashed" as const }] : []),
    ...(data.band !== undefined ? [{ label: data.band.label, color: faint, mark: "band" as const }] : [])
  ]
  const left = 62
  const right = 18
  const f = frame({
    width,
    height,
    title: options.title ?? "Result over root seeds",
    margin: { left, right, bottom: bottomMarginWithLegend(entries, width - left - right) }
  })
  const n = Math.max(points.length, 1)
  const x = d3
    .scaleLinear()
    .domain([0.5, n + 0.5])
    .range([0, f.innerWidth])
  const extent = [points.map((p) => p.value), ...(data.band !== undefined ? [[data.band.low, data.band.high]] : [])]
  const y = d3.scaleLinear().domain(paddedExtent(extent, 0.08)).range([f.innerHeight, 0]).nice()
  if (data.band !== undefined) {
    const top = y(Math.min(data.band.high, y.domain()[1]!))
    const bottom = y(Math.max(data.band.low, y.domain()[0]!))
    f.plot
      .append("rect")
      .attr("class", "band")
      .attr("x", 0)
      .attr("width", coord(f.innerWidth))
      .attr("y", coord(top))
      .attr("height", coord(Math.max(0, bottom - top)))
      .attr("fill", faint)
  }
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, {
    label: "root seed (ranked by result)",
    tickValues: d3.range(1, points.length + 1),
    tickFormat: (k) => String(points[k - 1]?.seed ?? "")
  })
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel ?? "test MSE (a.u.)", ticks: 6 })
  if (median !== null && Number.isFinite(median)) {
    f.plot
      .append("line")
      .attr("class", "median")
      .attr("x1", 0)
      .attr("x2", coord(f.innerWidth))
      .attr("y1", coord(y(median)))
      .attr("y2", coord(y(median)))
      .attr("stroke", muted)
      .attr("stroke-width", 1.5)
      .attr("stroke-dasharray", "5,3")
  }
  f.plot
    .append("g")
    .attr("class", "points")
    .selectAll("circle")
    .data(points)
    .join("circle")
    .attr("class", "point")
    .attr("cx", (_, k) => coord(x(k + 1)))
    .attr("cy", (p) => coord(y(p.value)))
    .attr("r", 4)
    .attr("fill", categorical(0))
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
