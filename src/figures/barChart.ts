/**
 * A few named values as bars with their value written above: the reference's `current_ratio_plot`
 * (the ratio of recurrent to input current in two conditions).
 *
 * @module
 */
import * as d3 from "d3"
import { axisLabel, axisLeft } from "./axes.js"
import { coord, label } from "./format.js"
import { fontSize, frame } from "./frame.js"
import { categorical, ink } from "./palette.js"

export interface BarChartData {
  readonly bars: ReadonlyArray<{ readonly name: string; readonly value: number }>
}

export interface BarChartOptions {
  readonly title: string
  readonly yLabel: string
  readonly xLabel?: string
  readonly width?: number
  readonly height?: number
}

export const barChart = (data: BarChartData, options: BarChartOptions): string => {
  const width = options.width ?? 320
  const height = options.height ?? 300
  const f = frame({ width, height, title: options.title, margin: { bottom: 56 } })
  const x = d3
    .scaleBand<number>()
    .domain(data.bars.map((_, k) => k))
    .range([0, f.innerWidth])
    .padding(0.35)
  const values = data.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))
  const y = d3
    .scaleLinear()
    .domain([Math.min(0, d3.min(values) ?? 0), Math.max(0, d3.max(values) ?? 1) * 1.12 || 1])
    .range([f.innerHeight, 0])
    .nice()
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel, ticks: 5 })
  const axis = f.plot
    .append("g")
    .attr("class", "axis axis-x")
    .attr("transform", `translate(0,${coord(f.innerHeight)})`)
  axis.append("line").attr("x1", 0).attr("x2", coord(f.innerWidth)).attr("stroke", ink)
  data.bars.forEach((bar, k) => {
    const v = values[k]!
    const x0 = x(k)!
    f.plot
      .append("rect")
      .attr("class", "bar")
      .attr("x", coord(x0))
      .attr("y", coord(y(Math.max(0, v))))
      .attr("width", coord(x.bandwidth()))
      .attr("height", coord(Math.abs(y(v) - y(0))))
      .attr("fill", categorical(k))
    f.plot
      .append("text")
      .attr("class", "value")
      .attr("x", coord(x0 + x.bandwidth() / 2))
      .attr("y", coord(y(Math.max(0, v)) - 4))
      .attr("text-anchor", "middle")
      .attr("font-size", fontSize.note)
      .attr("fill", ink)
      .text(Number.isFinite(bar.value) ? label(bar.value, 3) : "—")
    axis
      .append("text")
      .attr("x", coord(x0 + x.bandwidth() / 2))
      .attr("y", 16)
      .attr("text-anchor", "middle")
      .attr("font-size", fontSize.tick)
      .attr("fill", ink)
      .text(bar.name)
  })
  if (options.xLabel !== undefined) axisLabel(f.plot, f.innerWidth / 2, f.innerHeight + 40, options.xLabel)
  return f.serialize()
}
