/**
 * PCA of population activity: the share of variance each principal component explains (bars) and
 * the cumulative share (line), both in percent on one axis.
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { coord, percent } from "./format.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, muted } from "./palette.js"

export interface VarianceExplainedData {
  /** Fraction of the total variance explained by each component, in decreasing order. */
  readonly fractions: ArrayLike<number>
  /** Optionally the same for another state (e.g. before learning), drawn as outlined bars and a dashed line. */
  readonly compare?: { readonly label: string; readonly fractions: ArrayLike<number> }
}

export interface VarianceExplainedOptions {
  readonly title?: string
  /** Show at most this many components (default 20). */
  readonly maxComponents?: number
  readonly width?: number
  readonly height?: number
}

/** Draw variance explained per component and cumulatively as an SVG document string. */
export const varianceExplained = (data: VarianceExplainedData, options: VarianceExplainedOptions = {}): string => {
  const width = options.width ?? 440
  const height = options.height ?? 320
  const count = Math.min(data.fractions.length, options.maxComponents ?? 20)
  const fractions = Array.from({ length: count }, (_, k) => {
    const v = data.fractions[k]!
    return Number.isFinite(v) ? v : 0
  })
  const cumulative = d3.cumsum(fractions)
  const compare = data.compare
  const compareFractions =
    compare === undefined
      ? []
      : Array.from({ length: count }, (_, k) => {
          const v = compare.fractions[k] ?? 0
          return Number.isFinite(v) ? v : 0
        })
  const entries: LegendEntry[] = [
    { label: "per component", color: categorical(0), mark: "bar" },
    { label: "cumulative", color: categorical(1), mark: "line" },
    ...(compare === undefined
      ? []
      : [
          { label: `per component, ${compare.label}`, color: muted, mark: "line" as const },
          { label: `cumulative, ${compare.label}`, color: muted, mark: "dashed" as const }
        ])
  ]
  const f = frameWithLegend({ width, height, title: options.title ?? "PCA of population activity" }, entries)
  const x = d3
    .scaleBand<number>()
    .domain(d3.range(1, count + 1))
    .range([0, f.innerWidth])
    .padding(0.2)
  const y = d3.scaleLinear().domain([0, 1]).range([f.innerHeight, 0])
  const every = count <= 12 ? 1 : count <= 25 ? 2 : 5
  const xAxisScale = d3
    .scaleLinear()
    .domain([0.5, count + 0.5])
    .range([0, f.innerWidth])
  axisBottom(f.plot, xAxisScale, f.innerWidth, f.innerHeight, {
    label: "principal component (rank)",
    tickValues: d3.range(1, count + 1).filter((k) => k === 1 || k % every === 0),
    tickFormat: String
  })
  axisLeft(f.plot, y, f.innerHeight, {
    label: "variance explained (%)",
    ticks: 5,
    tickFormat: (v) => percent(v).replace("%", "")
  })
  f.plot
    .append("g")
    .attr("class", "bars")
    .selectAll("rect")
    .data(fractions)
    .join("rect")
    .attr("class", "bar")
    .attr("x", (_, k) => coord(x(k + 1)!))
    .attr("width", coord(x.bandwidth()))
    .attr("y", (v) => coord(y(v)))
    .attr("height", (v) => coord(f.innerHeight - y(v)))
    .attr("fill", categorical(0))
  const centre = (k: number) => x(k + 1)! + x.bandwidth() / 2
  const line = d3
    .line<number>()
    .x((_, k) => centre(k))
    .y((v) => y(v))
    .digits(2)
  const g = f.plot.append("g").attr("class", "cumulative")
  g.append("path")
    .attr("d", line(cumulative))
    .attr("fill", "none")
    .attr("stroke", categorical(1))
    .attr("stroke-width", 2)
  g.selectAll("circle")
    .data(cumulative)
    .join("circle")
    .attr("class", "point")
    .attr("cx", (_, k) => coord(centre(k)))
    .attr("cy", (v) => coord(y(v)))
    .attr("r", 2.5)
    .attr("fill", categorical(1))
  if (compare !== undefined) {
    const cg = f.plot.append("g").attr("class", "compare")
    compareFractions.forEach((v, k) => {
      cg.append("rect")
        .attr("class", "bar-outline")
        .attr("x", coord(x(k + 1)!))
        .attr("width", coord(x.bandwidth()))
        .attr("y", coord(y(v)))
        .attr("height", coord(f.innerHeight - y(v)))
        .attr("fill", "none")
        .attr("stroke", muted)
        .attr("stroke-width", 1.5)
    })
    cg.append("path")
      .attr("class", "cumulative")
      .attr("d", line(d3.cumsum(compareFractions)))
      .attr("fill", "none")
      .attr("stroke", muted)
      .attr("stroke-width", 2)
      .attr("stroke-dasharray", "5,3")
  }
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
