/**
 * Quantities against the stimulus angle, in one or more panels side by side that share the angle
 * axis: each panel has its own y axis and one curve per named series (before and after learning,
 * estimation and classification network, …), with optional error bars or a shaded band. A series
 * keeps its colour in every panel; the legend lists each series once. Optional dashed lines mark
 * class boundaries and a dotted line a reference level (e.g. 0).
 *
 * The report's "by angle" figures (energy, signal-to-noise, currents, recurrent bias, bias and
 * variance, noise volume and angle, average noise correlation, mean tuning curves) are this figure
 * with their own labels.
 *
 * @module
 */
import * as d3 from "d3"
import { angleAxisLabel, angleTicks, axisBottom, axisLeft } from "./axes.js"
import { coord } from "./format.js"
import { boundaryLine, panelTitle } from "./frame.js"
import { frameAroundPlot, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, ink, muted } from "./palette.js"
import { type AnglePoint, cyclicOrder, paddedExtent } from "./scales.js"

/** One curve: `values[a]` at `angles[a]` of its panel. */
export interface AngleSeries {
  readonly name: string
  readonly values: ArrayLike<number>
  /** Half-length of an error bar at each angle. */
  readonly errorBar?: ArrayLike<number>
  /** Half-width of a shaded band around the curve at each angle. */
  readonly band?: ArrayLike<number>
  /** Draw dashed (e.g. for a reference or the "before" state). */
  readonly dashed?: boolean
}

export interface AnglePanel {
  readonly title?: string
  /** The y axis: quantity and unit. */
  readonly yLabel: string
  /** Angles θ (rad) of the values, shared by the panel's series. */
  readonly angles: ArrayLike<number>
  readonly series: ReadonlyArray<AngleSeries>
  /** Include 0 in the y range (default false). */
  readonly includeZero?: boolean
  /** A horizontal reference line (dotted), e.g. 0 or 1. */
  readonly reference?: number
}

export interface AngleCurvesData {
  readonly panels: ReadonlyArray<AnglePanel>
}

export interface AngleCurvesOptions {
  readonly title: string
  /** Angles (rad) to mark as class boundaries. */
  readonly classBoundaries?: ReadonlyArray<number>
  /** Colour index of each series name (default: order of first appearance). */
  readonly colors?: Readonly<Record<string, number>>
  readonly panelWidth?: number
  readonly panelHeight?: number
}

/** Draw the panels as an SVG document string. */
export const angleCurves = (data: AngleCurvesData, options: AngleCurvesOptions): string => {
  const pw = options.panelWidth ?? 300
  const ph = options.panelHeight ?? 220
  const gap = 78
  const panels = data.panels
  const names: Array<string> = []
  for (const p of panels) for (const s of p.series) if (!names.includes(s.name)) names.push(s.name)
  const colorOf = (name: string) => categorical(options.colors?.[name] ?? names.indexOf(name))
  const boundaries = options.classBoundaries ?? []
  const dashedNames = new Set(panels.flatMap((p) => p.series.filter((s) => s.dashed).map((s) => s.name)))
  const entries: LegendEntry[] = names.map((name) => ({
    label: name,
    color: colorOf(name),
    mark: dashedNames.has(name) ? "dashed" : "line"
  }))
  if (boundaries.length > 0) entries.push({ label: "class boundary", color: ink, mark: "dashed" })
  const hasPanelTitles = panels.some((p) => p.title !== undefined)
  const f = frameAroundPlot(
    {
      plotWidth: panels.length * pw + (panels.length - 1) * gap,
      plotHeight: ph,
      title: options.title,
      top: 34 + (hasPanelTitles ? 18 : 0)
    },
    entries
  )
  const x = d3.scaleLinear().domain([-Math.PI, Math.PI]).range([0, pw])
  panels.forEach((panel, p) => {
    const g = f.plot
      .append("g")
      .attr("class", "panel")
      .attr("transform", `translate(${coord(p * (pw + gap))},0)`)
    if (panel.title !== undefined) {
      panelTitle(g, pw, panel.title)
    }
    const spans = panel.series.flatMap((s) => {
      const extra = (k: number) => Math.max(s.errorBar?.[k] ?? 0, s.band?.[k] ?? 0)
      const values = Array.from(s.values)
      return [
        values.map((v, k) => v + (Number.isFinite(extra(k)) ? extra(k) : 0)),
        values.map((v, k) => v - (Number.isFinite(extra(k)) ? extra(k) : 0))
      ]
    })
    const include = [...(panel.includeZero ? [0] : []), ...(panel.reference !== undefined ? [panel.reference] : [])]
    const y = d3
      .scaleLinear()
      .domain(paddedExtent(spans, 0.06, include))
      .range([ph, 0])
      .nice()
    axisBottom(g, x, pw, ph, { label: angleAxisLabel, ...angleTicks })
    axisLeft(g, y, ph, { label: panel.yLabel, ticks: 5 })
    if (panel.reference !== undefined) {
      g.append("line")
        .attr("class", "reference")
        .attr("x1", 0)
        .attr("x2", pw)
        .attr("y1", coord(y(panel.reference)))
        .attr("y2", coord(y(panel.reference)))
        .attr("stroke", muted)
        .attr("stroke-dasharray", "1,3")
    }
    for (const b of boundaries) {
      boundaryLine(g, x(b), ph)
    }
    const order = cyclicOrder(panel.angles)
    for (const s of panel.series) {
      const color = colorOf(s.name)
      const sg = g.append("g").attr("class", "series").attr("data-name", s.name)
      const ok = (k: number) => Number.isFinite(panel.angles[k]!) && Number.isFinite(s.values[k]!)
      if (s.band !== undefined) {
        const band = s.band
        const area = d3
          .area<AnglePoint>()
          .defined((q) => ok(q.k) && Number.isFinite(band[q.k]!))
          .x((q) => x(q.x))
          .y0((q) => y(s.values[q.k]! - band[q.k]!))
          .y1((q) => y(s.values[q.k]! + band[q.k]!))
          .digits(2)
        sg.append("path").attr("class", "band").attr("d", area(order)).attr("fill", color).attr("fill-opacity", 0.25)
      }
      if (s.errorBar !== undefined) {
        for (let k = 0; k < panel.angles.length; k++) {
          const e = s.errorBar[k]!
          if (!ok(k) || !Number.isFinite(e)) continue
          sg.append("line")
            .attr("class", "error-bar")
            .attr("x1", coord(x(panel.angles[k]!)))
            .attr("x2", coord(x(panel.angles[k]!)))
            .attr("y1", coord(y(s.values[k]! - e)))
            .attr("y2", coord(y(s.values[k]! + e)))
            .attr("stroke", color)
            .attr("stroke-width", 1.2)
        }
      }
      const line = d3
        .line<AnglePoint>()
        .defined((q) => ok(q.k))
        .x((q) => x(q.x))
        .y((q) => y(s.values[q.k]!))
        .digits(2)
      sg.append("path")
        .attr("class", "curve")
        .attr("d", line(order))
        .attr("fill", "none")
        .attr("stroke", color)
        .attr("stroke-width", 1.8)
        .attr("stroke-dasharray", s.dashed ? "5,3" : null)
      sg.selectAll("circle")
        .data(Array.from({ length: panel.angles.length }, (_, k) => k).filter(ok))
        .join("circle")
        .attr("class", "point")
        .attr("cx", (k) => coord(x(panel.angles[k]!)))
        .attr("cy", (k) => coord(y(s.values[k]!)))
        .attr("r", 2.5)
        .attr("fill", color)
    }
  })
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
