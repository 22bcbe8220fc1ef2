/**
 * Distributions as density histograms (outlined steps over a light fill), several per panel and
 * panels side by side: the classifier's LDA projection by class, or its readout at the two angles
 * either side of a class boundary, before and after learning. Each panel may carry a note (its d′).
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { fontSize, gridPanel, panelTitle } from "./frame.js"
import { frameAroundPlot, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, ink } from "./palette.js"
import { paddedExtent } from "./scales.js"

export interface HistogramSeries {
  readonly name: string
  /** bins + 1 ascending edges. */
  readonly edges: ArrayLike<number>
  /** Density per bin. */
  readonly density: ArrayLike<number>
}

export interface HistogramPanel {
  readonly title: string
  readonly histograms: ReadonlyArray<HistogramSeries>
  /** A line of text in the panel's top-left corner (e.g. "d′ = 1.9"). */
  readonly note?: string
}

export interface HistogramPanelsData {
  readonly panels: ReadonlyArray<HistogramPanel>
}

export interface HistogramPanelsOptions {
  readonly title: string
  readonly xLabel: string
  readonly yLabel?: string
  readonly panelWidth?: number
  readonly panelHeight?: number
  /** Panels per row (default all). */
  readonly columnsPerRow?: number
}

export const histogramPanels = (data: HistogramPanelsData, options: HistogramPanelsOptions): string => {
  const pw = options.panelWidth ?? 260
  const ph = options.panelHeight ?? 190
  const panels = data.panels
  const perRow = Math.max(1, Math.min(options.columnsPerRow ?? panels.length, panels.length))
  const gridRows = Math.ceil(panels.length / perRow)
  const gapX = 70
  const gapY = 86
  const names: Array<string> = []
  for (const p of panels) for (const h of p.histograms) if (!names.includes(h.name)) names.push(h.name)
  const entries: LegendEntry[] = names.map((name, i) => ({ label: name, color: categorical(i), mark: "band" }))
  const f = frameAroundPlot(
    {
      plotWidth: perRow * pw + (perRow - 1) * gapX,
      plotHeight: gridRows * ph + (gridRows - 1) * gapY,
      title: options.title,
      top: 34 + 20
    },
    entries
  )
  panels.forEach((panel, p) => {
    const g = gridPanel(f.plot, p, { perRow, width: pw, height: ph, gapX, gapY })
    panelTitle(g, pw, panel.title)
    const x = d3
      .scaleLinear()
      .domain(
        paddedExtent(
          panel.histograms.map((h) => h.edges),
          0
        )
      )
      .range([0, pw])
    const y = d3
      .scaleLinear()
      .domain(
        paddedExtent(
          panel.histograms.map((h) => h.density),
          0.05,
          [0]
        )
      )
      .range([ph, 0])
      .nice()
    axisBottom(g, x, pw, ph, { label: options.xLabel, ticks: 5 })
    axisLeft(g, y, ph, { label: options.yLabel ?? "density", ticks: 5 })
    for (const h of panel.histograms) {
      const color = categorical(names.indexOf(h.name))
      const points: Array<[number, number]> = [[h.edges[0]!, 0]]
      for (let b = 0; b < h.density.length; b++) {
        const d = Number.isFinite(h.density[b]!) ? h.density[b]! : 0
        points.push([h.edges[b]!, d], [h.edges[b + 1]!, d])
      }
      points.push([h.edges[h.density.length]!, 0])
      const path = d3
        .line<[number, number]>()
        .x((q) => x(q[0]))
        .y((q) => y(q[1]))
        .digits(2)(points)
      const hg = g.append("g").attr("class", "histogram").attr("data-name", h.name)
      hg.append("path").attr("class", "fill").attr("d", path).attr("fill", color).attr("fill-opacity", 0.25)
      hg.append("path")
        .attr("class", "outline")
        .attr("d", path)
        .attr("fill", "none")
        .attr("stroke", color)
        .attr("stroke-width", 1.5)
    }
    if (panel.note !== undefined) {
      g.append("text")
        .attr("class", "panel-note")
        .attr("x", 6)
        .attr("y", 14)
        .attr("font-size", fontSize.note)
        .attr("fill", ink)
        .text(panel.note)
    }
  })
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
