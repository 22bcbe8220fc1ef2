/**
 * Matrices as heatmaps in panels that share one colour scale (so before and after, or the
 * stimuli, compare by colour): noise correlations and covariances of neurons ordered by preferred
 * angle, stimulus-conditioned variance per principal component and angle, coefficients of
 * variation per neuron and angle. Diverging (blue–white–red, centred on 0) for signed quantities,
 * sequential (white–blue) for non-negative ones; a grey cell is undefined (or masked).
 *
 * @module
 */
import * as d3 from "d3"
import { axisLabel } from "./axes.js"
import { colorBar } from "./colorBar.js"
import { angleLabel, coord, label as numberLabel } from "./format.js"
import { fontSize, frame, gridPanel, note, panelTitle } from "./frame.js"
import { diverging, faint, ink, sequential } from "./palette.js"

export interface MatrixPanel {
  readonly title: string
  /** rows × columns; a non-finite (or null-as-NaN) entry is drawn grey. */
  readonly matrix: ReadonlyArray<ArrayLike<number>>
}

/** How an axis of the matrices is labelled: a plain index (0, 1, …) or the test angles. */
export type MatrixAxis =
  | { readonly kind: "index"; readonly label: string; readonly start?: number }
  | { readonly kind: "angle"; readonly label: string; readonly angles: ArrayLike<number> }

export interface MatrixPanelsData {
  readonly panels: ReadonlyArray<MatrixPanel>
}

export interface MatrixPanelsOptions {
  readonly title: string
  readonly colorLabel: string
  readonly rows: MatrixAxis
  readonly columns: MatrixAxis
  /** "diverging" (symmetric around 0, default) or "sequential" (from 0). */
  readonly scale?: "diverging" | "sequential"
  /** Colours saturate at this value (default: the largest |entry|, rounded up at 2 significant digits). */
  readonly limit?: number
  /** Draw the diagonal grey (square matrices; default false). */
  readonly maskDiagonal?: boolean
  /** Panels per row (default: all in one row). */
  readonly columnsPerRow?: number
  /** Width of one panel's heatmap in px (default 220); the height follows the aspect of the matrix. */
  readonly panelWidth?: number
  /** Height of one panel's heatmap in px (default: square cells). */
  readonly panelHeight?: number
  /** A note under the figure. */
  readonly note?: string
}

const roundUp = (v: number): number => {
  if (!(v > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(v) - 1)
  return Math.ceil(v / magnitude - 1e-9) * magnitude
}

const ticksOf = (axis: MatrixAxis, count: number): Array<{ at: number; text: string }> => {
  if (axis.kind === "angle") {
    const step = count > 8 ? 2 : 1
    return Array.from({ length: count }, (_, k) => k)
      .filter((k) => k % step === 0)
      .map((k) => ({ at: k, text: angleLabel(axis.angles[k]!) }))
  }
  const step = count <= 10 ? 1 : count <= 30 ? 5 : 10
  return d3.range(0, count, step).map((k) => ({ at: k, text: String(k + (axis.start ?? 0)) }))
}

/** Draw the matrices as heatmap panels with one colour bar, as an SVG document string. */
export const matrixPanels = (data: MatrixPanelsData, options: MatrixPanelsOptions): string => {
  const panels: ReadonlyArray<MatrixPanel> =
    data.panels.length > 0 ? data.panels : [{ title: "no data", matrix: [[Number.NaN]] }]
  const rows = panels[0]?.matrix.length ?? 0
  const cols = panels[0]?.matrix[0]?.length ?? 0
  const scale = options.scale ?? "diverging"
  const mask = options.maskDiagonal ?? false
  let limit = options.limit ?? 0
  if (options.limit === undefined) {
    for (const p of panels) {
      p.matrix.forEach((row, i) => {
        for (let j = 0; j < row.length; j++) {
          const v = row[j]!
          if ((!mask || i !== j) && Number.isFinite(v)) limit = Math.max(limit, Math.abs(v))
        }
      })
    }
    limit = roundUp(limit)
  }
  const color = (v: number) => (scale === "diverging" ? diverging(v, limit) : sequential(v / limit))
  // Cell colours come in the colour bar's steps (65 diverging levels over ±limit, 64 sequential ones
  // over [0, limit]): equal neighbours merge into one run, and no cell claims more precision than
  // the bar can show.
  const quantized = (v: number) => {
    const u = Math.max(scale === "diverging" ? -1 : 0, Math.min(1, v / limit))
    return color((Math.round(u * (scale === "diverging" ? 32 : 64)) / (scale === "diverging" ? 32 : 64)) * limit)
  }
  const fillOf = (v: number, i: number, j: number) => ((mask && i === j) || !Number.isFinite(v) ? faint : quantized(v))
  const pw = options.panelWidth ?? 220
  const ph = options.panelHeight ?? (cols > 0 ? (pw * rows) / cols : pw)
  const perRow = Math.max(1, Math.min(options.columnsPerRow ?? panels.length, panels.length))
  const gridRows = Math.ceil(panels.length / perRow)
  const gapX = 30
  const gapY = 62
  const left = 70
  const barSpace = 110
  const top = 34 + 20
  const bottom = 56 + (options.note !== undefined ? 18 : 0)
  const gridWidth = perRow * pw + (perRow - 1) * gapX
  const gridHeight = gridRows * ph + (gridRows - 1) * gapY
  const width = left + gridWidth + barSpace
  const height = top + gridHeight + bottom
  const f = frame({ width, height, title: options.title, margin: { top, left, right: barSpace, bottom } })
  const cellW = pw / Math.max(1, cols)
  const colTicks = ticksOf(options.columns, cols)
  panels.forEach((panel, p) => {
    const g = gridPanel(f.plot, p, { perRow, width: pw, height: ph, gapX, gapY })
    // Each panel spans the same height whatever its number of rows (two networks of 40 and 25 neurons).
    const panelRows = Math.max(1, panel.matrix.length)
    const cellH = ph / panelRows
    const rowTicks = ticksOf(options.rows, panelRows)
    panelTitle(g, pw, panel.title)
    // Cells in cell units (x = column, y = row), scaled to the panel: one path per colour, each a
    // run of equal-coloured cells along a row ("M j,i h n v1 h −n z"), so a 40 × 40 matrix is a few
    // kB rather than 1600 rectangles.
    const runs = new Map<string, Array<string>>()
    panel.matrix.forEach((row, i) => {
      let j = 0
      while (j < cols) {
        const fill = fillOf(row[j]!, i, j)
        let end = j + 1
        while (end < cols && fillOf(row[end]!, i, end) === fill) end++
        const list = runs.get(fill) ?? []
        list.push(`M${j},${i}h${end - j}v1h-${end - j}z`)
        runs.set(fill, list)
        j = end
      }
    })
    const cells = g
      .append("g")
      .attr("class", "cells")
      .attr("transform", `scale(${coord(cellW)},${coord(cellH)})`)
      .attr("shape-rendering", "crispEdges")
    for (const [fill, list] of [...runs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      cells.append("path").attr("class", "cells-of-colour").attr("d", list.join("")).attr("fill", fill)
    }
    g.append("rect").attr("width", coord(pw)).attr("height", coord(ph)).attr("fill", "none").attr("stroke", ink)
    const xAxis = g
      .append("g")
      .attr("class", "axis axis-x")
      .attr("transform", `translate(0,${coord(ph)})`)
    for (const t of colTicks) {
      const cx = (t.at + 0.5) * cellW
      xAxis.append("line").attr("x1", coord(cx)).attr("x2", coord(cx)).attr("y1", 0).attr("y2", 4).attr("stroke", ink)
      xAxis
        .append("text")
        .attr("x", coord(cx))
        .attr("y", 15)
        .attr("text-anchor", "middle")
        .attr("font-size", fontSize.tick)
        .attr("fill", ink)
        .text(t.text)
    }
    const yAxis = g.append("g").attr("class", "axis axis-y")
    for (const t of rowTicks) {
      const cy = (t.at + 0.5) * cellH
      yAxis.append("line").attr("x1", -4).attr("x2", 0).attr("y1", coord(cy)).attr("y2", coord(cy)).attr("stroke", ink)
      yAxis
        .append("text")
        .attr("x", -7)
        .attr("y", coord(cy))
        .attr("dy", "0.32em")
        .attr("text-anchor", "end")
        .attr("font-size", fontSize.tick)
        .attr("fill", ink)
        .text(t.text)
    }
  })
  axisLabel(f.plot, gridWidth / 2, gridHeight + 36, options.columns.label)
  axisLabel(f.plot, -gridHeight / 2, -52, options.rows.label, -90)
  colorBar(f.plot, gridWidth + 16, 0, Math.min(gridHeight, Math.max(120, ph)), {
    domain: scale === "diverging" ? [-limit, limit] : [0, limit],
    color,
    label: options.colorLabel,
    tickFormat: (v) => numberLabel(v, 2)
  })
  if (options.note !== undefined) note(f.svg, left, height - 8, options.note)
  return f.serialize()
}
