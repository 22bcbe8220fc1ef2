/**
 * The objective over training: the per-trial mean as points, with an optional smoothed line, for
 * one run or several named series (issue #5: learning curves per plasticity rule).
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { coord, label } from "./format.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical } from "./palette.js"
import { paddedExtent } from "./scales.js"

/** One learning curve: `y[k]` is the objective's mean over training trial (or time) `x[k]`. */
export interface ObjectiveSeries {
  readonly name: string
  readonly x: ArrayLike<number>
  readonly y: ArrayLike<number>
}

export interface ObjectiveCurveData {
  readonly series: ReadonlyArray<ObjectiveSeries>
}

export interface ObjectiveCurveOptions {
  readonly title?: string
  readonly xLabel?: string
  readonly yLabel?: string
  /** Width of the centred moving average in points; 0 or 1 draws no smoothed line. */
  readonly smoothWindow?: number
  readonly width?: number
  readonly height?: number
}

/** Centred moving average over `window` points, truncated at the ends; non-finite values are skipped. */
export const movingAverage = (y: ArrayLike<number>, window: number): number[] => {
  const half = Math.floor(window / 2)
  const out: number[] = []
  for (let i = 0; i < y.length; i++) {
    let sum = 0
    let count = 0
    for (let j = Math.max(0, i - half); j <= Math.min(y.length - 1, i + half); j++) {
      const v = y[j]!
      if (Number.isFinite(v)) {
        sum += v
        count++
      }
    }
    out.push(count > 0 ? sum / count : Number.NaN)
  }
  return out
}

/** Draw the objective over training as an SVG document string. */
export const objectiveCurve = (data: ObjectiveCurveData, options: ObjectiveCurveOptions = {}): string => {
  const width = options.width ?? 460
  const height = options.height ?? 320
  const window = options.smoothWindow ?? 0
  const smoothed = window > 1
  const several = data.series.length > 1
  const entries: LegendEntry[] = []
  data.series.forEach((s, i) => {
    const color = categorical(i)
    if (several) entries.push({ label: s.name, color, mark: "line" })
    else {
      entries.push({ label: `${s.name}: per-trial mean`, color, mark: "point" })
      if (smoothed) entries.push({ label: `moving average (${label(window)} points)`, color, mark: "line" })
    }
  })
  const f = frameWithLegend({ width, height, title: options.title ?? "Objective over training" }, entries)
  const x = d3
    .scaleLinear()
    .domain(
      paddedExtent(
        data.series.map((s) => s.x),
        0.02
      )
    )
    .range([0, f.innerWidth])
  const y = d3
    .scaleLinear()
    .domain(paddedExtent(data.series.map((s) => s.y)))
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, { label: options.xLabel ?? "training trial (index)", ticks: 6 })
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel ?? "objective (a.u.)", ticks: 6 })

  data.series.forEach((s, i) => {
    const color = categorical(i)
    const g = f.plot.append("g").attr("class", "series").attr("data-name", s.name)
    const points = Array.from({ length: Math.min(s.x.length, s.y.length) }, (_, k) => [s.x[k]!, s.y[k]!] as const)
    const ok = (p: readonly [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1])
    const line = d3
      .line<readonly [number, number]>()
      .defined(ok)
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))
      .digits(2)
    if (!smoothed && several) {
      g.append("path")
        .attr("class", "curve")
        .attr("d", line(points))
        .attr("fill", "none")
        .attr("stroke", color)
        .attr("stroke-width", 1.5)
      return
    }
    g.selectAll("circle")
      .data(points.filter(ok))
      .join("circle")
      .attr("class", "point")
      .attr("cx", (p) => coord(x(p[0])))
      .attr("cy", (p) => coord(y(p[1])))
      .attr("r", several ? 1.5 : 2)
      .attr("fill", color)
      .attr("fill-opacity", smoothed ? 0.35 : 0.8)
    if (smoothed) {
      const avg = movingAverage(s.y, window)
      g.append("path")
        .attr("class", "smoothed")
        .attr("d", line(points.map((p, k) => [p[0], avg[k]!] as const)))
        .attr("fill", "none")
        .attr("stroke", color)
        .attr("stroke-width", 2)
    }
  })
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
