/**
 * An N×N correlation matrix (e.g. noise correlations between neurons) as a heatmap with a
 * diverging colour scale centred on zero and a colour bar. The diagonal (≡ 1) is drawn grey by
 * default, so the colour range is spent on the off-diagonal entries.
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { colorBar } from "./colorBar.js"
import { coord } from "./format.js"
import { frame, note } from "./frame.js"
import { diverging, faint } from "./palette.js"

export interface CorrelationMatrixData {
  /** `matrix[i][j]`, square. */
  readonly matrix: ReadonlyArray<ArrayLike<number>>
}

export interface CorrelationMatrixOptions {
  readonly title?: string
  /** Label of the colour bar: the quantity and its unit. */
  readonly colorLabel?: string
  /** Label of both axes (default "neuron index"). */
  readonly axisLabel?: string
  /** Colours saturate at ±limit (default: the largest |off-diagonal| entry, rounded up to 0.1). */
  readonly limit?: number
  /** Draw the diagonal grey instead of coloured (default true). */
  readonly maskDiagonal?: boolean
  /** Side of the square heatmap in px (default 300). */
  readonly size?: number
}

/** Draw the matrix as a heatmap with a colour bar, as an SVG document string. */
export const correlationMatrix = (data: CorrelationMatrixData, options: CorrelationMatrixOptions = {}): string => {
  const n = data.matrix.length
  const size = options.size ?? 300
  const mask = options.maskDiagonal ?? true
  let limit = options.limit ?? 0
  if (options.limit === undefined) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = data.matrix[i]![j]!
        if ((i !== j || !mask) && Number.isFinite(v)) limit = Math.max(limit, Math.abs(v))
      }
    }
    limit = limit > 0 ? Math.ceil(limit * 10 - 1e-9) / 10 : 1
  }
  const left = 62
  const top = 34
  const width = left + size + 100
  const height = top + size + 48 + (mask ? 18 : 0)
  const f = frame({
    width,
    height,
    title: options.title ?? "Noise correlations",
    margin: { top, left, right: 100, bottom: height - top - size }
  })
  const cell = size / Math.max(1, n)
  // cell k spans [k, k+1) in index units; the scale puts tick k at the cell's centre
  const centre = d3
    .scaleLinear()
    .domain([-0.5, n - 0.5])
    .range([0, size])
  const cells = f.plot.append("g").attr("class", "cells")
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = data.matrix[i]![j]!
      cells
        .append("rect")
        .attr("class", "cell")
        .attr("x", coord(j * cell))
        .attr("y", coord(i * cell))
        .attr("width", coord(cell + 0.25))
        .attr("height", coord(cell + 0.25))
        .attr("fill", (mask && i === j) || !Number.isFinite(v) ? faint : diverging(v, limit))
    }
  }
  const tickStep = n <= 10 ? 1 : n <= 30 ? 5 : 10
  const ticks = d3.range(0, n, tickStep)
  const label = options.axisLabel ?? "neuron index"
  axisBottom(f.plot, centre, size, size, {
    label: `${label} j`,
    tickValues: ticks,
    tickFormat: (t) => String(t)
  })
  axisLeft(f.plot, centre, size, { label: `${label} i`, tickValues: ticks, tickFormat: String })
  colorBar(f.plot, size + 16, 0, size, {
    domain: [-limit, limit],
    color: (v) => diverging(v, limit),
    label: options.colorLabel ?? "correlation (Pearson r)"
  })
  if (mask) note(f.svg, left, height - 8, "grey diagonal: self-correlation (≡ 1), not coloured")
  return f.serialize()
}
