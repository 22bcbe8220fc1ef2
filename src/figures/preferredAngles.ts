/**
 * The distribution of the neurons' preferred angles, as a density histogram over [−π, π], against
 * the stimulus prior on the same axis (both in 1/rad): a learned code over-represents frequent
 * stimuli.
 *
 * @module
 */
import * as d3 from "d3"
import { angleDensityAxes } from "./axes.js"
import type { PriorDensity } from "./errorByAngle.js"
import { coord } from "./format.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, ink } from "./palette.js"
import { type AnglePoint, cyclicOrder } from "./scales.js"

export interface PreferredAnglesData {
  /** Each neuron's preferred angle (rad, in [−π, π]). */
  readonly preferredAngles: ArrayLike<number>
  readonly prior: PriorDensity
  /** Optionally a second population drawn as an outline (e.g. the network before learning). */
  readonly compare?: { readonly label: string; readonly preferredAngles: ArrayLike<number> }
  /** Legend label of `preferredAngles` when `compare` is given (default "after learning"). */
  readonly label?: string
}

export interface PreferredAnglesOptions {
  readonly title?: string
  /** Number of equal bins over [−π, π] (default 12). */
  readonly bins?: number
  readonly width?: number
  readonly height?: number
}

/** Counts of the finite values in `bins` equal bins over [−π, π] (π falls in the last bin). */
export const angleHistogram = (angles: ArrayLike<number>, bins: number): number[] => {
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < angles.length; i++) {
    const theta = angles[i]!
    if (!Number.isFinite(theta)) continue
    const b = Math.floor(((theta + Math.PI) / (2 * Math.PI)) * bins)
    counts[Math.max(0, Math.min(bins - 1, b))]!++
  }
  return counts
}

/** Draw the preferred-angle histogram against the prior as an SVG document string. */
export const preferredAngles = (data: PreferredAnglesData, options: PreferredAnglesOptions = {}): string => {
  const width = options.width ?? 440
  const height = options.height ?? 320
  const bins = options.bins ?? 12
  const counts = angleHistogram(data.preferredAngles, bins)
  const n = counts.reduce((a, b) => a + b, 0)
  const binWidth = (2 * Math.PI) / bins
  const density = counts.map((c) => (n > 0 ? c / (n * binWidth) : 0))
  const compare = data.compare
  const compareDensity =
    compare === undefined
      ? []
      : (() => {
          const c = angleHistogram(compare.preferredAngles, bins)
          const m = c.reduce((a, b) => a + b, 0)
          return c.map((v) => (m > 0 ? v / (m * binWidth) : 0))
        })()
  // With a comparison, the main population takes the second colour (the report's "after learning").
  const barColor = compare === undefined ? categorical(0) : categorical(1)
  const entries: LegendEntry[] = [
    {
      label:
        compare === undefined
          ? `preferred angles (n = ${n} neurons)`
          : `${data.label ?? "after learning"} (n = ${n} neurons)`,
      color: barColor,
      mark: "bar"
    },
    ...(compare === undefined ? [] : [{ label: compare.label, color: categorical(0), mark: "line" as const }]),
    { label: "stimulus prior p(θ)", color: ink, mark: "line" }
  ]
  const f = frameWithLegend({ width, height, title: options.title ?? "Preferred angles against the prior" }, entries)
  const top = Math.max(
    d3.max(density) ?? 0,
    d3.max(compareDensity) ?? 0,
    d3.max(Array.from(data.prior.density).filter(Number.isFinite)) ?? 0
  )
  const { x, y } = angleDensityAxes(f.plot, f.innerWidth, f.innerHeight, top)
  f.plot
    .append("g")
    .attr("class", "bars")
    .selectAll("rect")
    .data(density)
    .join("rect")
    .attr("class", "bar")
    .attr("x", (_, b) => coord(x(-Math.PI + b * binWidth) + 1))
    .attr("width", coord(Math.max(0, x(binWidth) - x(0) - 2)))
    .attr("y", (d) => coord(y(d)))
    .attr("height", (d) => coord(f.innerHeight - y(d)))
    .attr("fill", barColor)
    .attr("fill-opacity", 0.75)
  if (compare !== undefined) {
    const steps: Array<[number, number]> = [[-Math.PI, 0]]
    compareDensity.forEach((d, b) => {
      steps.push([-Math.PI + b * binWidth, d], [-Math.PI + (b + 1) * binWidth, d])
    })
    steps.push([Math.PI, 0])
    f.plot
      .append("path")
      .attr("class", "compare")
      .attr(
        "d",
        d3
          .line<[number, number]>()
          .x((q) => x(q[0]))
          .y((q) => y(q[1]))
          .digits(2)(steps)
      )
      .attr("fill", "none")
      .attr("stroke", categorical(0))
      .attr("stroke-width", 2)
  }
  const order = cyclicOrder(data.prior.angles)
  const line = d3
    .line<AnglePoint>()
    .defined((p) => Number.isFinite(data.prior.density[p.k]!))
    .x((p) => x(p.x))
    .y((p) => y(data.prior.density[p.k]!))
    .digits(2)
  f.plot
    .append("path")
    .attr("class", "prior")
    .attr("d", line(order))
    .attr("fill", "none")
    .attr("stroke", ink)
    .attr("stroke-width", 2)
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
