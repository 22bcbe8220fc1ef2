/**
 * Axes with labels. d3-axis writes its styling as attributes (font-size 10, sans-serif,
 * currentColor), so the SVG renders the same standalone or inlined; we add the axis label, which
 * always names the quantity and its unit, e.g. "stimulus angle θ (rad)".
 *
 * @module
 */
import * as d3 from "d3"
import { angleLabel, coord } from "./format.js"
import { fontSize } from "./frame.js"
import { ink } from "./palette.js"
import type { Sel } from "./svg.js"

/** How one axis is drawn. */
export interface AxisSpec {
  /** The axis label: quantity and unit. */
  readonly label: string
  /** Approximate tick count (ignored when `tickValues` is given). */
  readonly ticks?: number
  readonly tickValues?: ReadonlyArray<number>
  readonly tickFormat?: (value: number) => string
  /** Distance of the label from the axis line, in px. */
  readonly labelOffset?: number
}

type NumberScale = d3.AxisScale<number>

const configure = (axis: d3.Axis<number>, spec: AxisSpec): d3.Axis<number> => {
  axis.offset(0.5)
  if (spec.tickValues) axis.tickValues([...spec.tickValues])
  else if (spec.ticks !== undefined) axis.ticks(spec.ticks)
  if (spec.tickFormat) axis.tickFormat((d) => spec.tickFormat!(d))
  return axis
}

/**
 * An axis label centred at (x, y), in the coordinates after `rotate` (−90: reads upwards, for a
 * left axis; 90: reads downwards, for a right axis).
 */
export const axisLabel = (g: Sel<SVGGElement>, x: number, y: number, text: string, rotate: 0 | 90 | -90 = 0): void => {
  g.append("text")
    .attr("class", "axis-label")
    .attr("x", coord(x))
    .attr("y", coord(y))
    .attr("transform", rotate === 0 ? null : `rotate(${rotate})`)
    .attr("text-anchor", "middle")
    .attr("font-size", fontSize.label)
    .attr("fill", ink)
    .text(text)
}

/** An x axis along the bottom of the plot area, with its label centred below. */
export const axisBottom = (
  plot: Sel<SVGGElement>,
  scale: NumberScale,
  innerWidth: number,
  innerHeight: number,
  spec: AxisSpec
): Sel<SVGGElement> => {
  const g = plot
    .append("g")
    .attr("class", "axis axis-x")
    .attr("transform", `translate(0,${coord(innerHeight)})`)
  g.call(configure(d3.axisBottom(scale), spec))
  axisLabel(g, innerWidth / 2, spec.labelOffset ?? 36, spec.label)
  return g
}

/** A y axis along the left of the plot area, with its label rotated on the left. */
export const axisLeft = (
  plot: Sel<SVGGElement>,
  scale: NumberScale,
  innerHeight: number,
  spec: AxisSpec
): Sel<SVGGElement> => {
  const g = plot.append("g").attr("class", "axis axis-y")
  g.call(configure(d3.axisLeft(scale), spec))
  // rotated −90°: the label's x is minus the vertical centre, its y minus the offset
  axisLabel(g, -innerHeight / 2, -(spec.labelOffset ?? 46), spec.label, -90)
  return g
}

/** A secondary y axis along the right of the plot area, with its label rotated on the right. */
export const axisRight = (
  plot: Sel<SVGGElement>,
  scale: NumberScale,
  innerWidth: number,
  innerHeight: number,
  spec: AxisSpec
): Sel<SVGGElement> => {
  const g = plot
    .append("g")
    .attr("class", "axis axis-y2")
    .attr("transform", `translate(${coord(innerWidth)},0)`)
  g.call(configure(d3.axisRight(scale), spec))
  axisLabel(g, innerHeight / 2, -(spec.labelOffset ?? 46), spec.label, 90)
  return g
}

/** Ticks at multiples of π/2 on [−π, π], written with π. */
export const angleTicks: Pick<AxisSpec, "tickValues" | "tickFormat"> = {
  tickValues: [-Math.PI, -Math.PI / 2, 0, Math.PI / 2, Math.PI],
  tickFormat: angleLabel
}

/** The label of a stimulus-angle axis. */
export const angleAxisLabel = "stimulus angle θ (rad)"

/**
 * The axes of a density over the stimulus angle: θ ∈ [−π, π] across, density from 0 to 5% above
 * `top` (the largest finite density drawn) up. Returns the two scales.
 */
export const angleDensityAxes = (
  plot: Sel<SVGGElement>,
  innerWidth: number,
  innerHeight: number,
  top: number
): { readonly x: d3.ScaleLinear<number, number>; readonly y: d3.ScaleLinear<number, number> } => {
  const x = d3.scaleLinear().domain([-Math.PI, Math.PI]).range([0, innerWidth])
  const y = d3
    .scaleLinear()
    .domain([0, top > 0 ? top * 1.05 : 1])
    .range([innerHeight, 0])
    .nice()
  axisBottom(plot, x, innerWidth, innerHeight, { label: angleAxisLabel, ...angleTicks })
  axisLeft(plot, y, innerHeight, { label: "density (1/rad)", ticks: 6 })
  return { x, y }
}
