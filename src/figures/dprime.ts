/**
 * Discriminability d′ against the stimulus angle, one line per named series (e.g. before and
 * after learning), with optional class-boundary lines. For d′ between pairs of neighbouring test
 * angles, pass each pair's midpoint as its angle.
 *
 * @module
 */
import * as d3 from "d3"
import { angleAxisLabel, angleTicks, axisBottom, axisLeft } from "./axes.js"
import { drawSeries } from "./errorByAngle.js"
import { boundaryLine } from "./frame.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, ink } from "./palette.js"
import { paddedExtent } from "./scales.js"

export interface DprimeSeries {
  readonly name: string
  /** d′ at each angle of `angles`. */
  readonly values: ArrayLike<number>
}

export interface DprimeData {
  /** Angles θ (rad) at which d′ is given. */
  readonly angles: ArrayLike<number>
  readonly series: ReadonlyArray<DprimeSeries>
}

export interface DprimeOptions {
  readonly title?: string
  readonly yLabel?: string
  /** Angles (rad) of class boundaries to mark. */
  readonly classBoundaries?: ReadonlyArray<number>
  readonly width?: number
  readonly height?: number
}

/** Draw d′ against angle as an SVG document string. */
export const dprime = (data: DprimeData, options: DprimeOptions = {}): string => {
  const width = options.width ?? 440
  const height = options.height ?? 320
  const boundaries = options.classBoundaries ?? []
  const entries: LegendEntry[] = data.series.map((s, i) => ({ label: s.name, color: categorical(i), mark: "line" }))
  if (boundaries.length > 0) entries.push({ label: "class boundary", color: ink, mark: "dashed" })
  const f = frameWithLegend({ width, height, title: options.title ?? "Discriminability d′ by stimulus angle" }, entries)
  const x = d3.scaleLinear().domain([-Math.PI, Math.PI]).range([0, f.innerWidth])
  const y = d3
    .scaleLinear()
    .domain(
      paddedExtent(
        data.series.map((s) => s.values),
        0.05,
        [0]
      )
    )
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, { label: angleAxisLabel, ...angleTicks })
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel ?? "d′ (units of noise std)", ticks: 6 })
  for (const b of boundaries) boundaryLine(f.plot, x(b), f.innerHeight)
  drawSeries(
    f.plot,
    data.angles,
    data.series.map((s) => ({ name: s.name, error: s.values })),
    x,
    y,
    true
  )
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
