/**
 * The classifier's confusion matrix: rows are true classes, columns predicted classes; each cell
 * shows its count and the row percentage, coloured by the row percentage.
 *
 * @module
 */

import { axisLabel } from "./axes.js"
import { colorBar } from "./colorBar.js"
import { coord, percent } from "./format.js"
import { fontSize, frame } from "./frame.js"
import { ink, sequential, textOn } from "./palette.js"

export interface ConfusionMatrixData {
  /** Class names, e.g. ["θ < 0", "θ ≥ 0"]. */
  readonly labels: ReadonlyArray<string>
  /** `counts[true][predicted]`. */
  readonly counts: ReadonlyArray<ArrayLike<number>>
}

export interface ConfusionMatrixOptions {
  readonly title?: string
  /** Side of one cell in px (default 110). */
  readonly cellSize?: number
}

/** Draw the confusion matrix as an SVG document string. */
export const confusionMatrix = (data: ConfusionMatrixData, options: ConfusionMatrixOptions = {}): string => {
  const k = data.labels.length
  const cell = options.cellSize ?? 110
  const size = k * cell
  const left = 100
  const top = 34 + 8
  const bottom = 62
  const right = 96
  const f = frame({
    width: left + size + right,
    height: top + size + bottom,
    title: options.title ?? "Confusion matrix",
    margin: { top, left, right, bottom }
  })
  const rowTotals = data.counts.map((row) => Array.from(row).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0))
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const count = data.counts[i]?.[j] ?? 0
      const share = rowTotals[i]! > 0 ? count / rowTotals[i]! : 0
      const fill = sequential(share)
      const g = f.plot
        .append("g")
        .attr("class", "cell")
        .attr("transform", `translate(${coord(j * cell)},${coord(i * cell)})`)
      g.append("rect").attr("width", cell).attr("height", cell).attr("fill", fill).attr("stroke", "white")
      g.append("text")
        .attr("class", "count")
        .attr("x", coord(cell / 2))
        .attr("y", coord(cell / 2 - 4))
        .attr("text-anchor", "middle")
        .attr("font-size", fontSize.title)
        .attr("font-weight", "bold")
        .attr("fill", textOn(fill))
        .text(String(count))
      g.append("text")
        .attr("x", coord(cell / 2))
        .attr("y", coord(cell / 2 + 14))
        .attr("text-anchor", "middle")
        .attr("font-size", fontSize.note)
        .attr("fill", textOn(fill))
        .text(`${percent(share, 1)} of row`)
    }
  }
  data.labels.forEach((name, c) => {
    f.plot
      .append("text")
      .attr("class", "tick-label")
      .attr("x", coord(c * cell + cell / 2))
      .attr("y", coord(size + 16))
      .attr("text-anchor", "middle")
      .attr("font-size", fontSize.note)
      .attr("fill", ink)
      .text(name)
    f.plot
      .append("text")
      .attr("class", "tick-label")
      .attr("x", -8)
      .attr("y", coord(c * cell + cell / 2))
      .attr("dy", "0.35em")
      .attr("text-anchor", "end")
      .attr("font-size", fontSize.note)
      .attr("fill", ink)
      .text(name)
  })
  axisLabel(f.plot, size / 2, size + 40, "predicted class (decoder output)")
  axisLabel(f.plot, -size / 2, -84, "true class (stimulus)", -90)
  colorBar(f.plot, size + 16, 0, size, {
    domain: [0, 1],
    color: sequential,
    label: "share of true class (%)",
    tickFormat: (v) => percent(v).replace("%", "")
  })
  return f.serialize()
}
