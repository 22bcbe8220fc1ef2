/**
 * The distribution of the training stimuli: a density histogram of the training angles against the
 * nominal prior von Mises(μ, κ) and the Langevin sampler's stationary von Mises(μ, 2κ) (reference
 * `input_distribution_plot`; README "Notes on the reference").
 *
 * @module
 */
import * as d3 from "d3"
import { angleDensityAxes } from "./axes.js"
import type { PriorDensity } from "./errorByAngle.js"
import { coord } from "./format.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, ink } from "./palette.js"

export interface InputDistributionData {
  /** bins + 1 edges over [−π, π] and the density of each bin (1/rad). */
  readonly edges: ArrayLike<number>
  readonly density: ArrayLike<number>
  /** How many angles the histogram counts (for the legend). */
  readonly total: number
  readonly densities: ReadonlyArray<{ readonly name: string; readonly curve: PriorDensity; readonly dashed?: boolean }>
}

export interface InputDistributionOptions {
  readonly title?: string
  readonly width?: number
  readonly height?: number
}

export const inputDistribution = (data: InputDistributionData, options: InputDistributionOptions = {}): string => {
  const width = options.width ?? 460
  const height = options.height ?? 320
  const entries: LegendEntry[] = [
    { label: `training angles (${d3.format(".3~s")(data.total)})`, color: categorical(0), mark: "bar" },
    ...data.densities.map((d, i) => ({
      label: d.name,
      color: i === 0 ? ink : categorical(i + 1),
      mark: d.dashed ? ("dashed" as const) : ("line" as const)
    }))
  ]
  const f = frameWithLegend({ width, height, title: options.title ?? "Training stimuli against the prior" }, entries)
  const top = Math.max(
    d3.max(Array.from(data.density).filter(Number.isFinite)) ?? 0,
    ...data.densities.map((d) => d3.max(Array.from(d.curve.density).filter(Number.isFinite)) ?? 0)
  )
  const { x, y } = angleDensityAxes(f.plot, f.innerWidth, f.innerHeight, top)
  const bars = f.plot.append("g").attr("class", "bars")
  for (let b = 0; b < data.density.length; b++) {
    const d = data.density[b]!
    if (!Number.isFinite(d)) continue
    bars
      .append("rect")
      .attr("class", "bar")
      .attr("x", coord(x(data.edges[b]!) + 0.5))
      .attr("y", coord(y(d)))
      .attr("width", coord(Math.max(0, x(data.edges[b + 1]!) - x(data.edges[b]!) - 1)))
      .attr("height", coord(y(0) - y(d)))
      .attr("fill", categorical(0))
      .attr("fill-opacity", 0.6)
  }
  data.densities.forEach((d, i) => {
    const line = d3
      .line<number>()
      .x((k) => x(d.curve.angles[k]!))
      .y((k) => y(d.curve.density[k]!))
      .digits(2)
    f.plot
      .append("path")
      .attr("class", "density")
      .attr("d", line(Array.from({ length: d.curve.angles.length }, (_, k) => k)))
      .attr("fill", "none")
      .attr("stroke", i === 0 ? ink : categorical(i + 1))
      .attr("stroke-width", 2)
      .attr("stroke-dasharray", d.dashed ? "6,3" : null)
  })
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
