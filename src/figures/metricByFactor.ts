/**
 * A metric against one factor of a sweep, one line per combination of the other factors: the mean
 * over replicates with its 95% confidence interval as an error bar. A numeric factor is drawn on a
 * linear axis; any other (a rule, a nonlinearity) on evenly spaced categories.
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { coord, label } from "./format.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical } from "./palette.js"
import { paddedExtent } from "./scales.js"

/** One line: the metric at each level of the factor (null where no member has it). */
export interface FactorSeries {
  readonly name: string
  readonly mean: ReadonlyArray<number | null>
  /** The interval's bounds (null: no interval, e.g. a single replicate). */
  readonly low: ReadonlyArray<number | null>
  readonly high: ReadonlyArray<number | null>
}

export interface MetricByFactorData {
  /** The factor's levels, as given on the command line. */
  readonly levels: ReadonlyArray<string>
  readonly series: ReadonlyArray<FactorSeries>
}

export interface MetricByFactorOptions {
  readonly title: string
  /** The factor, e.g. "rate noise σ (sigma)". */
  readonly xLabel: string
  /** The metric with its unit. */
  readonly yLabel: string
  readonly width?: number
  readonly height?: number
}

const isNumeric = (levels: ReadonlyArray<string>) =>
  levels.length > 0 && levels.every((l) => l.trim() !== "" && Number.isFinite(Number(l)))

/** Draws the metric against the factor as an SVG document string. */
export const metricByFactor = (data: MetricByFactorData, options: MetricByFactorOptions): string => {
  const width = options.width ?? 440
  const height = options.height ?? 320
  const entries: LegendEntry[] =
    data.series.length > 1 ? data.series.map((s, i) => ({ label: s.name, color: categorical(i), mark: "line" })) : []
  const f = frameWithLegend({ width, height, title: options.title }, entries)
  const numeric = isNumeric(data.levels)
  const positions = numeric ? data.levels.map(Number) : data.levels.map((_, k) => k)
  const x = d3
    .scaleLinear()
    .domain(numeric ? paddedExtent([positions], 0.06) : [-0.5, Math.max(0.5, data.levels.length - 0.5)])
    .range([0, f.innerWidth])
  const values = data.series.flatMap((s) => [...s.mean, ...s.low, ...s.high]).filter((v): v is number => v !== null)
  const y = d3
    .scaleLinear()
    .domain(paddedExtent([values], 0.06))
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, {
    label: options.xLabel,
    tickValues: positions,
    tickFormat: (v: number) => (numeric ? label(v) : (data.levels[Math.round(v)] ?? ""))
  })
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel, ticks: 6 })
  // Lines of several series are offset a little sideways so their error bars do not overlap.
  const step =
    data.series.length > 1 ? Math.min(8, f.innerWidth / (4 * Math.max(1, data.levels.length) * data.series.length)) : 0
  data.series.forEach((s, i) => {
    const color = categorical(i)
    const dx = (i - (data.series.length - 1) / 2) * step
    const g = f.plot.append("g").attr("class", "series").attr("data-name", s.name)
    const at = (k: number) => x(positions[k]!) + dx
    for (let k = 0; k < data.levels.length; k++) {
      const lo = s.low[k]
      const hi = s.high[k]
      if (lo === null || hi === null || lo === undefined || hi === undefined) continue
      g.append("line")
        .attr("class", "interval")
        .attr("x1", coord(at(k)))
        .attr("x2", coord(at(k)))
        .attr("y1", coord(y(lo)))
        .attr("y2", coord(y(hi)))
        .attr("stroke", color)
        .attr("stroke-width", 1.4)
    }
    const defined = (k: number) => s.mean[k] !== null && s.mean[k] !== undefined
    const order = positions.map((_, k) => k).sort((a, b) => positions[a]! - positions[b]!)
    if (numeric || data.levels.length > 1) {
      const line = d3
        .line<number>()
        .defined(defined)
        .x((k) => at(k))
        .y((k) => y(s.mean[k]!))
        .digits(2)
      g.append("path")
        .attr("class", "curve")
        .attr("d", line(order))
        .attr("fill", "none")
        .attr("stroke", color)
        .attr("stroke-width", numeric ? 1.8 : 1)
        .attr("stroke-dasharray", numeric ? null : "3,3")
    }
    g.selectAll("circle")
      .data(order.filter(defined))
      .join("circle")
      .attr("class", "point")
      .attr("cx", (k) => coord(at(k)))
      .attr("cy", (k) => coord(y(s.mean[k]!)))
      .attr("r", 3.2)
      .attr("fill", color)
  })
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
