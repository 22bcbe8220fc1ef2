/**
 * A closed loop's output against its reward window (the BCI task, reference README §10.4): the
 * decoder output over time ({@link windowTrace}) and its distribution ({@link windowHistogram}),
 * one series per network state (before and after learning), with the window (bciLow, bciHigh) as
 * a shaded band.
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical } from "./palette.js"
import { paddedExtent, thin } from "./scales.js"

/** The reward window's shade. */
const windowColor = "#009E73"

export interface WindowSeries {
  readonly name: string
  /** Colour index (0 blue: before learning; 1 vermillion: after). */
  readonly color: number
}

export interface WindowTraceData {
  readonly window: { readonly low: number; readonly high: number }
  /** Sample times in s. */
  readonly time: ArrayLike<number>
  readonly series: ReadonlyArray<WindowSeries & { readonly output: ArrayLike<number> }>
}

export interface WindowFigureOptions {
  readonly title: string
  readonly width?: number
  readonly height?: number
}

const entriesOf = (series: ReadonlyArray<WindowSeries>, mark: LegendEntry["mark"]): LegendEntry[] => [
  ...series.map((s) => ({ label: s.name, color: categorical(s.color), mark })),
  { label: "reward window", color: windowColor, mark: "band" as const }
]

/** The decoder output over time, each state's a line, over the reward window's band. */
export const windowTrace = (data: WindowTraceData, options: WindowFigureOptions): string => {
  const entries = entriesOf(data.series, "line")
  const f = frameWithLegend(
    { width: options.width ?? 620, height: options.height ?? 300, title: options.title },
    entries
  )
  const x = d3
    .scaleLinear()
    .domain(paddedExtent([data.time], 0))
    .range([0, f.innerWidth])
  const y = d3
    .scaleLinear()
    .domain(paddedExtent([...data.series.map((s) => s.output), [data.window.low, data.window.high]]))
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, { label: "time t (s)", ticks: 8 })
  axisLeft(f.plot, y, f.innerHeight, { label: "decoder output D·r (a.u.)", ticks: 6 })
  f.plot
    .append("rect")
    .attr("class", "window")
    .attr("x", 0)
    .attr("width", f.innerWidth)
    .attr("y", y(data.window.high).toFixed(2))
    .attr("height", Math.max(0, y(data.window.low) - y(data.window.high)).toFixed(2))
    .attr("fill", windowColor)
    .attr("fill-opacity", 0.18)
  const indices = thin(data.time.length, 2000)
  for (const s of data.series) {
    const line = d3
      .line<number>()
      .defined((k) => Number.isFinite(s.output[k]!))
      .x((k) => x(data.time[k]!))
      .y((k) => y(s.output[k]!))
      .digits(2)
    f.plot
      .append("path")
      .attr("class", "output")
      .attr("d", line(indices))
      .attr("fill", "none")
      .attr("stroke", categorical(s.color))
      .attr("stroke-width", 1.1)
      .attr("stroke-opacity", 0.75)
  }
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}

export interface WindowHistogramData {
  readonly window: { readonly low: number; readonly high: number }
  /** Each state's histogram of the output: bins + 1 edges and the count per bin. */
  readonly series: ReadonlyArray<
    WindowSeries & { readonly edges: ArrayLike<number>; readonly counts: ArrayLike<number> }
  >
}

/** The decoder output's distribution (density per unit of output), each state's a step line, over the window. */
export const windowHistogram = (data: WindowHistogramData, options: WindowFigureOptions): string => {
  const entries = entriesOf(data.series, "line")
  const f = frameWithLegend(
    { width: options.width ?? 460, height: options.height ?? 320, title: options.title },
    entries
  )
  const densities = data.series.map((s) => {
    const total = Array.from(s.counts).reduce((a, b) => a + b, 0)
    return Array.from(s.counts, (c, k) => (total > 0 ? c / (total * (s.edges[k + 1]! - s.edges[k]!)) : 0))
  })
  const x = d3
    .scaleLinear()
    .domain(paddedExtent([...data.series.map((s) => s.edges), [data.window.low, data.window.high]], 0))
    .range([0, f.innerWidth])
  const y = d3
    .scaleLinear()
    .domain([0, Math.max(1e-12, ...densities.flat()) * 1.08])
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, { label: "decoder output D·r (a.u.)", ticks: 6 })
  axisLeft(f.plot, y, f.innerHeight, { label: "density (1/a.u.)", ticks: 5 })
  f.plot
    .append("rect")
    .attr("class", "window")
    .attr("x", x(data.window.low).toFixed(2))
    .attr("width", Math.max(0, x(data.window.high) - x(data.window.low)).toFixed(2))
    .attr("y", 0)
    .attr("height", f.innerHeight)
    .attr("fill", windowColor)
    .attr("fill-opacity", 0.18)
  data.series.forEach((s, k) => {
    const points: Array<[number, number]> = []
    densities[k]!.forEach((d, b) => {
      points.push([x(s.edges[b]!), y(d)], [x(s.edges[b + 1]!), y(d)])
    })
    f.plot
      .append("path")
      .attr("class", "histogram")
      .attr("d", d3.line().digits(2)(points))
      .attr("fill", "none")
      .attr("stroke", categorical(s.color))
      .attr("stroke-width", 1.5)
  })
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
