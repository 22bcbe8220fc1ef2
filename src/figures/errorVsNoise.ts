/**
 * Test error against the rate-noise level σ, one line per plasticity rule (issue #5's noise sweep:
 * plastic recurrence compensates for noise).
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { drawSeries, type ErrorSeries } from "./errorByAngle.js"
import { label } from "./format.js"
import { frame } from "./frame.js"
import { bottomMarginWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical } from "./palette.js"
import { paddedExtent } from "./scales.js"

export interface ErrorVsNoiseData {
  /** Noise levels σ, shared by all series. */
  readonly sigmas: ArrayLike<number>
  /** One series per rule: `error[k]` at `sigmas[k]`, optional spread (error bar half-length). */
  readonly series: ReadonlyArray<ErrorSeries>
}

export interface ErrorVsNoiseOptions {
  readonly title?: string
  readonly xLabel?: string
  readonly yLabel?: string
  readonly width?: number
  readonly height?: number
}

/** Draw test error against noise level as an SVG document string. */
export const errorVsNoise = (data: ErrorVsNoiseData, options: ErrorVsNoiseOptions = {}): string => {
  const width = options.width ?? 440
  const height = options.height ?? 320
  const entries: LegendEntry[] = data.series.map((s, i) => ({ label: s.name, color: categorical(i), mark: "line" }))
  const left = 62
  const right = 18
  const f = frame({
    width,
    height,
    title: options.title ?? "Test error against noise level",
    margin: { left, right, bottom: bottomMarginWithLegend(entries, width - left - right) }
  })
  const x = d3
    .scaleLinear()
    .domain(paddedExtent([data.sigmas], 0.06))
    .range([0, f.innerWidth])
  const highs = data.series.map((s) => Array.from(s.error, (e, a) => e + (s.spread?.[a] ?? 0)))
  const lows = data.series.map((s) => Array.from(s.error, (e, a) => e - (s.spread?.[a] ?? 0)))
  const y = d3
    .scaleLinear()
    .domain(paddedExtent([...highs, ...lows], 0.05, [0]))
    .range([f.innerHeight, 0])
    .nice()
  const sigmas = Array.from(data.sigmas).filter(Number.isFinite)
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, {
    label: options.xLabel ?? "rate noise σ (a.u.)",
    ...(sigmas.length > 0 && sigmas.length <= 10 ? { tickValues: sigmas, tickFormat: (v: number) => label(v) } : {})
  })
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel ?? "test MSE (a.u.)", ticks: 6 })
  drawSeries(f.plot, data.sigmas, data.series, x, y)
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
