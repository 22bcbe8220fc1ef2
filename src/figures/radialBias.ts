/**
 * The systematic error of the estimate on the output plane, as the reference's `radial_bias_plot`
 * draws it: for each test angle, a segment from the target (cos θ, sin θ) on the unit circle to the
 * mean output, one colour per series (before and after learning). Segments pointing along the
 * circle towards θ = 0 show estimates biased towards the frequent stimuli.
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { coord } from "./format.js"
import { frameAroundPlot, type LegendEntry, legendBelow } from "./legend.js"
import { unitCircle } from "./outputClouds.js"
import { categorical, ink } from "./palette.js"

export interface RadialBiasSeries {
  readonly name: string
  /** Mean output (o₁, o₂) at each test angle, in the order of `angles`. */
  readonly means: ReadonlyArray<readonly [number, number]>
}

export interface RadialBiasData {
  readonly angles: ArrayLike<number>
  readonly series: ReadonlyArray<RadialBiasSeries>
}

export interface RadialBiasOptions {
  readonly title?: string
  /** Half-width of the square plot range (default 1.25). */
  readonly extent?: number
  readonly size?: number
}

export const radialBias = (data: RadialBiasData, options: RadialBiasOptions = {}): string => {
  const size = options.size ?? 320
  let extent = options.extent ?? 1.25
  for (const s of data.series) {
    for (const [a, b] of s.means)
      if (Number.isFinite(a) && Number.isFinite(b)) extent = Math.max(extent, Math.abs(a) * 1.05, Math.abs(b) * 1.05)
  }
  const entries: LegendEntry[] = [
    { label: "target (cos θ, sin θ)", color: ink, mark: "cross" },
    ...data.series.map((s, i) => ({ label: `mean output, ${s.name}`, color: categorical(i), mark: "point" as const }))
  ]
  const f = frameAroundPlot(
    { plotWidth: size, plotHeight: size, title: options.title ?? "Bias of the estimate" },
    entries
  )
  const x = d3.scaleLinear().domain([-extent, extent]).range([0, size])
  const y = d3.scaleLinear().domain([-extent, extent]).range([size, 0])
  axisBottom(f.plot, x, size, size, { label: "output o₁ (a.u.)", ticks: 5 })
  axisLeft(f.plot, y, size, { label: "output o₂ (a.u.)", ticks: 5 })
  unitCircle(f.plot, x, y, "3,3")
  for (let a = 0; a < data.angles.length; a++) {
    const theta = data.angles[a]!
    const tx = x(Math.cos(theta))
    const ty = y(Math.sin(theta))
    f.plot
      .append("path")
      .attr("class", "target")
      .attr(
        "d",
        `M${coord(tx - 4)},${coord(ty - 4)}L${coord(tx + 4)},${coord(ty + 4)}M${coord(tx - 4)},${coord(ty + 4)}L${coord(tx + 4)},${coord(ty - 4)}`
      )
      .attr("stroke", ink)
      .attr("stroke-width", 1.5)
  }
  data.series.forEach((s, i) => {
    const color = categorical(i)
    const g = f.plot.append("g").attr("class", "series").attr("data-name", s.name)
    s.means.forEach(([mx, my], a) => {
      const theta = data.angles[a]!
      if (!Number.isFinite(mx) || !Number.isFinite(my)) return
      g.append("line")
        .attr("class", "bias")
        .attr("x1", coord(x(Math.cos(theta))))
        .attr("y1", coord(y(Math.sin(theta))))
        .attr("x2", coord(x(mx)))
        .attr("y2", coord(y(my)))
        .attr("stroke", color)
        .attr("stroke-width", 1.8)
      g.append("circle")
        .attr("class", "mean")
        .attr("cx", coord(x(mx)))
        .attr("cy", coord(y(my)))
        .attr("r", 3)
        .attr("fill", color)
    })
  })
  legendBelow(f.plot, entries, size, size)
  return f.serialize()
}
