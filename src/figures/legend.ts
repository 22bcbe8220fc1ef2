/**
 * Legends: a row of swatches and labels that wraps to the available width. Every figure puts its
 * legend in the same place (below the x-axis label), so legends never cover data.
 *
 * @module
 */
import { coord } from "./format.js"
import { defaultMargin, type Frame, type FrameOptions, fontSize, frame } from "./frame.js"
import { ink } from "./palette.js"
import type { Sel } from "./svg.js"

/** One legend entry: what the swatch looks like and what it stands for. */
export interface LegendEntry {
  readonly label: string
  readonly color: string
  readonly mark: "line" | "dashed" | "point" | "band" | "bar" | "cross"
}

const swatchWidth = 20
const rowHeight = 16

/** Rough width of a label in px at the legend's font size (sans-serif averages ≈ 0.58 em). */
const textWidth = (text: string): number => text.length * fontSize.note * 0.58

/** The number of rows a legend of these entries needs within `width`. */
export const legendRows = (entries: ReadonlyArray<LegendEntry>, width: number): number => layout(entries, width).rows

const layout = (entries: ReadonlyArray<LegendEntry>, width: number) => {
  const positions: Array<{ x: number; row: number }> = []
  let x = 0
  let row = 0
  for (const entry of entries) {
    const w = swatchWidth + 6 + textWidth(entry.label) + 16
    if (x > 0 && x + w > width) {
      x = 0
      row++
    }
    positions.push({ x, row })
    x += w
  }
  return { positions, rows: entries.length === 0 ? 0 : row + 1 }
}

const swatch = (g: Sel<SVGGElement>, entry: LegendEntry): void => {
  const mid = rowHeight / 2
  switch (entry.mark) {
    case "line":
    case "dashed":
      g.append("line")
        .attr("x1", 0)
        .attr("x2", swatchWidth)
        .attr("y1", mid)
        .attr("y2", mid)
        .attr("stroke", entry.color)
        .attr("stroke-width", 2)
        .attr("stroke-dasharray", entry.mark === "dashed" ? "5,3" : null)
      return
    case "point":
      g.append("circle")
        .attr("cx", swatchWidth / 2)
        .attr("cy", mid)
        .attr("r", 3.5)
        .attr("fill", entry.color)
        .attr("stroke", ink)
        .attr("stroke-width", 0.5)
      return
    case "cross":
      g.append("path")
        .attr(
          "d",
          `M${swatchWidth / 2 - 4},${mid - 4}L${swatchWidth / 2 + 4},${mid + 4}M${swatchWidth / 2 - 4},${mid + 4}L${swatchWidth / 2 + 4},${mid - 4}`
        )
        .attr("stroke", entry.color)
        .attr("stroke-width", 2)
      return
    case "band":
    case "bar":
      g.append("rect")
        .attr("x", 2)
        .attr("y", mid - 5)
        .attr("width", swatchWidth - 4)
        .attr("height", 10)
        .attr("fill", entry.color)
        .attr("fill-opacity", entry.mark === "band" ? 0.35 : 1)
      return
  }
}

/** Draw the legend with its top-left corner at (x, y) of `parent`, wrapping within `width`. */
export const legend = <E extends SVGElement>(
  parent: Sel<E>,
  entries: ReadonlyArray<LegendEntry>,
  x: number,
  y: number,
  width: number
): void => {
  const { positions } = layout(entries, width)
  const g = parent
    .append("g")
    .attr("class", "legend")
    .attr("transform", `translate(${coord(x)},${coord(y)})`)
  entries.forEach((entry, i) => {
    const p = positions[i]!
    const item = g
      .append("g")
      .attr("class", "legend-item")
      .attr("transform", `translate(${coord(p.x)},${coord(p.row * rowHeight)})`)
    swatch(item, entry)
    item
      .append("text")
      .attr("x", swatchWidth + 6)
      .attr("y", rowHeight / 2)
      .attr("dy", "0.35em")
      .attr("font-size", fontSize.note)
      .attr("fill", ink)
      .text(entry.label)
  })
}

/** Height in px of a legend with `rows` rows. */
export const legendHeight = (rows: number): number => rows * rowHeight

/** The bottom margin that leaves room for the x-axis label and a legend of these entries. */
export const bottomMarginWithLegend = (entries: ReadonlyArray<LegendEntry>, plotWidth: number, base = 48): number =>
  entries.length === 0 ? base : base + legendHeight(legendRows(entries, plotWidth)) + 2

/** A frame whose bottom margin leaves room for the x-axis label and a legend of these entries. */
export const frameWithLegend = (options: FrameOptions, entries: ReadonlyArray<LegendEntry>): Frame => {
  const { left, right } = { ...defaultMargin, ...options.margin }
  return frame({
    ...options,
    // A figure that draws more below its axis (e.g. category labels) asks for a larger base.
    margin: {
      ...options.margin,
      bottom: bottomMarginWithLegend(entries, options.width - left - right, options.margin?.bottom ?? 48)
    }
  })
}

/** A plot area of a given size (all panels and the gaps between them) and what goes around it. */
export interface PlotAreaOptions {
  readonly plotWidth: number
  readonly plotHeight: number
  readonly title: string
  /** Space above the plot area: the title's 34 px by default, more for panel titles. */
  readonly top?: number
  /** Space below the plot area for the x-axis label, above the legend (default 48). */
  readonly axisSpace?: number
  /** Further space at the very bottom (a note line). */
  readonly extraBottom?: number
}

/**
 * A frame sized around a plot area, with the default side margins and room below for the x-axis
 * label and a legend of these entries (what a multi-panel figure needs before its panels).
 */
export const frameAroundPlot = (options: PlotAreaOptions, entries: ReadonlyArray<LegendEntry>): Frame => {
  const { left, right } = defaultMargin
  const top = options.top ?? defaultMargin.top
  const bottom = bottomMarginWithLegend(entries, options.plotWidth, options.axisSpace) + (options.extraBottom ?? 0)
  return frame({
    width: left + options.plotWidth + right,
    height: top + options.plotHeight + bottom,
    title: options.title,
    margin: { top, left, right, bottom }
  })
}

/** Draw the legend below the x-axis label of a plot area of the given inner height. */
export const legendBelow = (
  plot: Sel<SVGGElement>,
  entries: ReadonlyArray<LegendEntry>,
  innerWidth: number,
  innerHeight: number
): void => {
  if (entries.length > 0) legend(plot, entries, 0, innerHeight + 44, innerWidth)
}
