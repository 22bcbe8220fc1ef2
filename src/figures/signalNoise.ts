/**
 * Signal against noise correlation for every neuron pair, with the least-squares regression line
 * and its slope and Pearson r (noise correlations aligned with signal correlations limit coding).
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { coord, fixed, label } from "./format.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical, muted } from "./palette.js"
import { paddedExtent } from "./scales.js"

export interface SignalNoiseData {
  /** Signal correlation of each pair. */
  readonly signal: ArrayLike<number>
  /** Noise correlation of the same pairs. */
  readonly noise: ArrayLike<number>
  /** Optionally a second set of pairs (e.g. before learning), drawn under the first in its own colour. */
  readonly compare?: { readonly label: string; readonly signal: ArrayLike<number>; readonly noise: ArrayLike<number> }
  /** Legend label of the main set when `compare` is given (default "after learning"). */
  readonly label?: string
}

export interface SignalNoiseOptions {
  readonly title?: string
  readonly xLabel?: string
  readonly yLabel?: string
  readonly width?: number
  readonly height?: number
}

/** Least-squares line noise ≈ intercept + slope·signal over the finite pairs, with Pearson r and n. */
export const linearFit = (
  xs: ArrayLike<number>,
  ys: ArrayLike<number>
): { slope: number; intercept: number; r: number; n: number } => {
  let n = 0
  let sx = 0
  let sy = 0
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!)) continue
    n++
    sx += xs[i]!
    sy += ys[i]!
  }
  const mx = sx / n
  const my = sy / n
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!)) continue
    const dx = xs[i]! - mx
    const dy = ys[i]! - my
    sxx += dx * dx
    sxy += dx * dy
    syy += dy * dy
  }
  const slope = sxx > 0 ? sxy / sxx : 0
  return { slope, intercept: n > 0 ? my - slope * mx : 0, r: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0, n }
}

/** Draw the signal–noise correlation scatter as an SVG document string. */
export const signalNoise = (data: SignalNoiseData, options: SignalNoiseOptions = {}): string => {
  const width = options.width ?? 420
  const height = options.height ?? 360
  const fit = linearFit(data.signal, data.noise)
  const compare = data.compare
  const compareFit = compare === undefined ? undefined : linearFit(compare.signal, compare.noise)
  // Two significant digits: the slopes of weak noise correlations are of order 0.001.
  const describe = (f: ReturnType<typeof linearFit>) => `slope ${label(f.slope, 2)}, r = ${fixed(f.r, 2)}`
  // Alone: points in the first colour, fit in the second. With a comparison: one colour per set.
  const mainColor = compare === undefined ? categorical(0) : categorical(1)
  const entries: LegendEntry[] =
    compare === undefined || compareFit === undefined
      ? [
          { label: `neuron pairs (n = ${fit.n})`, color: categorical(0), mark: "point" },
          { label: `fit: ${describe(fit)}`, color: categorical(1), mark: "line" }
        ]
      : [
          { label: `${compare.label}: ${describe(compareFit)}`, color: categorical(0), mark: "point" },
          {
            label: `${data.label ?? "after learning"}: ${describe(fit)} (n = ${fit.n})`,
            color: mainColor,
            mark: "point"
          }
        ]
  const f = frameWithLegend({ width, height, title: options.title ?? "Signal vs noise correlations" }, entries)
  const x = d3
    .scaleLinear()
    .domain(paddedExtent([data.signal, ...(compare ? [compare.signal] : [])]))
    .range([0, f.innerWidth])
    .nice()
  const y = d3
    .scaleLinear()
    .domain(paddedExtent([data.noise, ...(compare ? [compare.noise] : [])]))
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, { label: options.xLabel ?? "signal correlation (Pearson r)" })
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel ?? "noise correlation (Pearson r)" })
  const [x0, x1] = x.domain() as [number, number]
  const [y0, y1] = y.domain() as [number, number]
  if (x0 <= 0 && x1 >= 0) {
    f.plot
      .append("line")
      .attr("class", "zero")
      .attr("x1", coord(x(0)))
      .attr("x2", coord(x(0)))
      .attr("y1", 0)
      .attr("y2", coord(f.innerHeight))
      .attr("stroke", muted)
      .attr("stroke-width", 0.5)
  }
  if (y0 <= 0 && y1 >= 0) {
    f.plot
      .append("line")
      .attr("class", "zero")
      .attr("x1", 0)
      .attr("x2", coord(f.innerWidth))
      .attr("y1", coord(y(0)))
      .attr("y2", coord(y(0)))
      .attr("stroke", muted)
      .attr("stroke-width", 0.5)
  }
  const drawSet = (
    signal: ArrayLike<number>,
    noise: ArrayLike<number>,
    line: ReturnType<typeof linearFit>,
    pointColor: string,
    lineColor: string,
    className: string
  ) => {
    const points = f.plot.append("g").attr("class", className)
    for (let i = 0; i < Math.min(signal.length, noise.length); i++) {
      const s = signal[i]!
      const n = noise[i]!
      if (!Number.isFinite(s) || !Number.isFinite(n)) continue
      points
        .append("circle")
        .attr("class", "point")
        .attr("cx", coord(x(s)))
        .attr("cy", coord(y(n)))
        .attr("r", 2)
        .attr("fill", pointColor)
        .attr("fill-opacity", 0.5)
    }
    if (line.n >= 2) {
      // clip the fitted line to the plot area's y range
      const at = (v: number) => Math.max(y0, Math.min(y1, line.intercept + line.slope * v))
      f.plot
        .append("line")
        .attr("class", "fit")
        .attr("x1", coord(x(x0)))
        .attr("y1", coord(y(at(x0))))
        .attr("x2", coord(x(x1)))
        .attr("y2", coord(y(at(x1))))
        .attr("stroke", lineColor)
        .attr("stroke-width", 2)
    }
  }
  if (compare !== undefined && compareFit !== undefined) {
    drawSet(compare.signal, compare.noise, compareFit, categorical(0), categorical(0), "points compare")
  }
  drawSet(data.signal, data.noise, fit, mainColor, categorical(1), "points")
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
