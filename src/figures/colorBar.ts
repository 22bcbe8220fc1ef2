/**
 * A vertical colour bar: the colour scale as stacked rectangles (no gradient ids, so several
 * figures can be inlined in one HTML page), with a labelled axis on its right.
 *
 * @module
 */
import * as d3 from "d3"
import { coord } from "./format.js"
import { fontSize } from "./frame.js"
import { ink } from "./palette.js"
import type { Sel } from "./svg.js"

export interface ColorBarSpec {
  readonly domain: readonly [number, number]
  readonly color: (value: number) => string
  readonly label: string
  readonly width?: number
  readonly steps?: number
  readonly tickFormat?: (value: number) => string
}

/** Draw the colour bar with its top-left corner at (x, y), `height` px tall. */
export const colorBar = (parent: Sel<SVGGElement>, x: number, y: number, height: number, spec: ColorBarSpec): void => {
  const width = spec.width ?? 14
  const steps = spec.steps ?? 64
  const [lo, hi] = spec.domain
  const g = parent
    .append("g")
    .attr("class", "color-bar")
    .attr("transform", `translate(${coord(x)},${coord(y)})`)
  const step = height / steps
  for (let s = 0; s < steps; s++) {
    const value = hi - ((s + 0.5) / steps) * (hi - lo)
    g.append("rect")
      .attr("x", 0)
      .attr("y", coord(s * step))
      .attr("width", width)
      .attr("height", coord(step + 0.5))
      .attr("fill", spec.color(value))
  }
  g.append("rect").attr("width", width).attr("height", coord(height)).attr("fill", "none").attr("stroke", ink)
  const scale = d3.scaleLinear().domain([lo, hi]).range([height, 0])
  const axis = d3.axisRight(scale).offset(0.5).ticks(5)
  if (spec.tickFormat) axis.tickFormat((d) => spec.tickFormat!(+d))
  g.append("g").attr("class", "axis").attr("transform", `translate(${width},0)`).call(axis)
  g.append("text")
    .attr("class", "axis-label")
    .attr("x", coord(height / 2))
    .attr("y", coord(-(width + 44)))
    .attr("transform", "rotate(90)")
    .attr("text-anchor", "middle")
    .attr("font-size", fontSize.label)
    .attr("fill", ink)
    .text(spec.label)
}
