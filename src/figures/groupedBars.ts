/**
 * Grouped bars with error bars: for each category (e.g. the phases of an experiment: intuitive,
 * after the perturbation, final), one bar per group (e.g. per condition), the mean with its 95%
 * interval as a whisker.
 *
 * @module
 */
import * as d3 from "d3"
import { axisLeft } from "./axes.js"
import { coord } from "./format.js"
import { fontSize } from "./frame.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, ink } from "./palette.js"

export interface BarGroup {
  readonly name: string
  /** One value per category (NaN: none), with its interval's bounds (NaN: no interval). */
  readonly mean: ReadonlyArray<number>
  readonly low: ReadonlyArray<number>
  readonly high: ReadonlyArray<number>
}

export interface GroupedBarsData {
  readonly categories: ReadonlyArray<string>
  readonly groups: ReadonlyArray<BarGroup>
}

export interface GroupedBarsOptions {
  readonly title: string
  readonly yLabel: string
  readonly width?: number
  readonly height?: number
}

export const groupedBars = (data: GroupedBarsData, options: GroupedBarsOptions): string => {
  const width = options.width ?? Math.max(420, 90 + data.categories.length * (40 + 26 * data.groups.length))
  const height = options.height ?? 340
  const entries: LegendEntry[] = data.groups.map((g, i) => ({ label: g.name, color: categorical(i), mark: "bar" }))
  const f = frameWithLegend({ width, height, title: options.title, margin: { bottom: 70 } }, entries)
  const x0 = d3
    .scaleBand<number>()
    .domain(data.categories.map((_, k) => k))
    .range([0, f.innerWidth])
    .padding(0.22)
  const x1 = d3
    .scaleBand<number>()
    .domain(data.groups.map((_, g) => g))
    .range([0, x0.bandwidth()])
    .padding(0.08)
  const finite = data.groups.flatMap((g) => [...g.mean, ...g.low, ...g.high]).filter(Number.isFinite)
  const y = d3
    .scaleLinear()
    .domain([Math.min(0, d3.min(finite) ?? 0), Math.max(0, d3.max(finite) ?? 1) * 1.08 || 1])
    .range([f.innerHeight, 0])
    .nice()
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel, ticks: 5 })
  f.plot
    .append("line")
    .attr("x1", 0)
    .attr("x2", coord(f.innerWidth))
    .attr("y1", coord(y(0)))
    .attr("y2", coord(y(0)))
    .attr("stroke", ink)
  data.categories.forEach((category, k) => {
    f.plot
      .append("text")
      .attr("x", coord(x0(k)! + x0.bandwidth() / 2))
      .attr("y", coord(f.innerHeight + 16))
      .attr("text-anchor", "middle")
      .attr("font-size", fontSize.tick)
      .attr("fill", ink)
      .text(category)
    data.groups.forEach((g, i) => {
      const mean = g.mean[k]!
      if (!Number.isFinite(mean)) return
      const left = x0(k)! + x1(i)!
      f.plot
        .append("rect")
        .attr("class", "bar")
        .attr("x", coord(left))
        .attr("width", coord(x1.bandwidth()))
        .attr("y", coord(Math.min(y(mean), y(0))))
        .attr("height", coord(Math.abs(y(mean) - y(0))))
        .attr("fill", categorical(i))
        .attr("fill-opacity", 0.75)
      const [low, high] = [g.low[k]!, g.high[k]!]
      if (Number.isFinite(low) && Number.isFinite(high)) {
        const mid = left + x1.bandwidth() / 2
        f.plot
          .append("path")
          .attr("class", "interval")
          .attr(
            "d",
            `M${coord(mid)},${coord(y(low))}V${coord(y(high))}M${coord(mid - 4)},${coord(y(low))}H${coord(mid + 4)}M${coord(mid - 4)},${coord(y(high))}H${coord(mid + 4)}`
          )
          .attr("stroke", ink)
          .attr("fill", "none")
      }
    })
  })
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight + 18)
  return f.serialize()
}
