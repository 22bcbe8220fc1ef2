/**
 * Curves with confidence bands: one line per cell of a sweep (the mean over its replicates) with a
 * shaded band (the pointwise 95% interval); e.g. learning curves, or test error by stimulus angle.
 *
 * @module
 */
import * as d3 from "d3"
import { type AxisSpec, axisBottom, axisLeft } from "./axes.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical } from "./palette.js"
import { paddedExtent } from "./scales.js"

/** One curve and its band (NaN: undefined there). */
export interface BandSeries {
  readonly name: string
  readonly x: ReadonlyArray<number>
  readonly mean: ReadonlyArray<number>
  readonly low: ReadonlyArray<number>
  readonly high: ReadonlyArray<number>
}

export interface BandCurvesOptions {
  readonly title: string
  readonly xAxis: Omit<AxisSpec, "labelOffset">
  readonly yLabel: string
  readonly width?: number
  readonly height?: number
}

/**
 * The axis with only the given tick values that fall in the drawn domain: fixed ticks (±π for an
 * angle axis) outside the data's padded range would sit past the plot's edge, clipped (#20).
 */
export const ticksWithin = <A extends { readonly tickValues?: ReadonlyArray<number> }>(
  axis: A,
  [lo, hi]: readonly [number, number]
): A => {
  if (axis.tickValues === undefined) return axis
  const eps = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi))
  return { ...axis, tickValues: axis.tickValues.filter((t) => t >= lo - eps && t <= hi + eps) }
}

/** Draws the curves and their bands as an SVG document string. */
export const bandCurves = (series: ReadonlyArray<BandSeries>, options: BandCurvesOptions): string => {
  const width = options.width ?? 440
  const height = options.height ?? 320
  const entries: LegendEntry[] = series.map((s, i) => ({ label: s.name, color: categorical(i), mark: "line" }))
  const f = frameWithLegend({ width, height, title: options.title }, entries)
  const x = d3
    .scaleLinear()
    .domain(
      paddedExtent(
        series.map((s) => s.x),
        0.02
      )
    )
    .range([0, f.innerWidth])
  const y = d3
    .scaleLinear()
    .domain(
      paddedExtent(
        series.flatMap((s) => [s.low, s.high, s.mean]),
        0.05
      )
    )
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, ticksWithin(options.xAxis, x.domain() as [number, number]))
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel, ticks: 6 })
  series.forEach((s, i) => {
    const color = categorical(i)
    const g = f.plot.append("g").attr("class", "series").attr("data-name", s.name)
    const k = s.x.map((_, j) => j).filter((j) => Number.isFinite(s.x[j]!))
    const banded = k.filter((j) => Number.isFinite(s.low[j]!) && Number.isFinite(s.high[j]!))
    const area = d3
      .area<number>()
      .defined((j) => Number.isFinite(s.low[j]!) && Number.isFinite(s.high[j]!))
      .x((j) => x(s.x[j]!))
      .y0((j) => y(s.low[j]!))
      .y1((j) => y(s.high[j]!))
      .digits(2)
    if (banded.length > 0) {
      g.append("path").attr("class", "band").attr("d", area(k)).attr("fill", color).attr("fill-opacity", 0.2)
    }
    const line = d3
      .line<number>()
      .defined((j) => Number.isFinite(s.mean[j]!))
      .x((j) => x(s.x[j]!))
      .y((j) => y(s.mean[j]!))
      .digits(2)
    g.append("path")
      .attr("class", "curve")
      .attr("d", line(k))
      .attr("fill", "none")
      .attr("stroke", color)
      .attr("stroke-width", 1.6)
  })
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
