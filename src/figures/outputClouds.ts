/**
 * Output clouds: the 2-D outputs of the test trials, coloured by stimulus angle, on the unit
 * circle of targets, with each angle's covariance ellipse around its mean output. One panel per
 * condition (e.g. before and after learning), side by side on shared axes.
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { angleLabel, coord } from "./format.js"
import { fontSize, frame, note } from "./frame.js"
import { type LegendEntry, legend, legendRows } from "./legend.js"
import { angleColor, ink, muted } from "./palette.js"
import { thin } from "./scales.js"
import type { Sel } from "./svg.js"

/** One condition's outputs. Arrays indexed by test angle share the order of `angles`. */
export interface CloudPanel {
  readonly label: string
  /** The test angles θ (rad). */
  readonly angles: ReadonlyArray<number>
  /** Output samples to draw (already subsampled): coordinates and the index of their test angle. */
  readonly points: {
    readonly x: ArrayLike<number>
    readonly y: ArrayLike<number>
    readonly angleIndex: ArrayLike<number>
  }
  /** Mean output per test angle, [x, y]. */
  readonly means: ReadonlyArray<readonly [number, number]>
  /** Output covariance per test angle, [varX, covXY, varY]. */
  readonly covariances: ReadonlyArray<readonly [number, number, number]>
  /** Target per test angle (default (cos θ, sin θ)). */
  readonly targets?: ReadonlyArray<readonly [number, number]>
}

export interface OutputCloudsData {
  readonly panels: ReadonlyArray<CloudPanel>
}

export interface OutputCloudsOptions {
  readonly title?: string
  /** The ellipse drawn is the `sigmas`-σ contour of the Gaussian with the given covariance (default 2). */
  readonly sigmas?: number
  /** Half-width of both axes (default: fits the data, at least 1.3). */
  readonly limit?: number
  /** Side of one square panel's plot area in px. */
  readonly panelSize?: number
  /**
   * At most this many points per test angle and panel are drawn (default 100), evenly spaced in
   * the order given; each point is an SVG element, and jsdom takes ≈ 0.4 ms per element.
   */
  readonly maxPointsPerAngle?: number
}

/** The dashed unit circle of the output plane, where the targets (cos θ, sin θ) lie. */
export const unitCircle = (
  g: Sel<SVGGElement>,
  x: d3.ScaleLinear<number, number>,
  y: d3.ScaleLinear<number, number>,
  dash: string
): void => {
  g.append("circle")
    .attr("class", "unit-circle")
    .attr("cx", coord(x(0)))
    .attr("cy", coord(y(0)))
    .attr("r", coord(x(1) - x(0)))
    .attr("fill", "none")
    .attr("stroke", muted)
    .attr("stroke-dasharray", dash)
}

/** Points of the k-σ ellipse of covariance [a, b; b, c] around (mx, my), in data coordinates. */
export const ellipsePoints = (
  mean: readonly [number, number],
  covariance: readonly [number, number, number],
  k: number,
  segments = 72
): Array<[number, number]> => {
  const [a, b, c] = covariance
  const mid = (a + c) / 2
  const radius = Math.sqrt(((a - c) / 2) ** 2 + b * b)
  const major = Math.sqrt(Math.max(0, mid + radius))
  const minor = Math.sqrt(Math.max(0, mid - radius))
  const phi = 0.5 * Math.atan2(2 * b, a - c)
  const cp = Math.cos(phi)
  const sp = Math.sin(phi)
  const out: Array<[number, number]> = []
  for (let s = 0; s < segments; s++) {
    const t = (2 * Math.PI * s) / segments
    const u = k * major * Math.cos(t)
    const v = k * minor * Math.sin(t)
    out.push([mean[0] + u * cp - v * sp, mean[1] + u * sp + v * cp])
  }
  return out
}

/** Draw the output clouds as an SVG document string. */
export const outputClouds = (data: OutputCloudsData, options: OutputCloudsOptions = {}): string => {
  const panels = data.panels
  const k = options.sigmas ?? 2
  const size = options.panelSize ?? 260
  const gap = 70
  const left = 62
  const legendWidth = 92
  const width = left + panels.length * size + (panels.length - 1) * gap + 24 + legendWidth
  const allAngles = [...new Set(panels.flatMap((p) => p.angles))].sort((p, q) => p - q)
  const angleEntries: LegendEntry[] = allAngles.map((theta) => ({
    label: `θ = ${angleLabel(theta)}`,
    color: angleColor(theta),
    mark: "point"
  }))
  const rowsNeeded = legendRows(angleEntries, 1) // one entry per row
  const top = 34 + 24
  const bottom = 48 + 2 * 15 + 8
  const height = top + Math.max(size, rowsNeeded * 16) + bottom
  const f = frame({
    width,
    height,
    title: options.title ?? "Output clouds per test angle",
    margin: { top, left, right: 0, bottom: height - top - size }
  })
  let limit = options.limit ?? 1.3
  if (options.limit === undefined) {
    for (const p of panels) {
      for (let i = 0; i < p.points.x.length; i++) {
        const m = Math.max(Math.abs(p.points.x[i]!), Math.abs(p.points.y[i]!))
        if (Number.isFinite(m) && m > limit) limit = m
      }
    }
    limit = Math.ceil(limit * 5) / 5
  }

  panels.forEach((panel, pi) => {
    const g = f.plot
      .append("g")
      .attr("class", "panel")
      .attr("transform", `translate(${coord(pi * (size + gap))},0)`)
    const x = d3.scaleLinear().domain([-limit, limit]).range([0, size])
    const y = d3.scaleLinear().domain([-limit, limit]).range([size, 0])
    g.append("text")
      .attr("class", "panel-title")
      .attr("x", coord(size / 2))
      .attr("y", -10)
      .attr("text-anchor", "middle")
      .attr("font-size", fontSize.label)
      .attr("font-weight", "bold")
      .attr("fill", ink)
      .text(panel.label)
    axisBottom(g, x, size, size, { label: "output o₁ (a.u.)", ticks: 5 })
    axisLeft(g, y, size, { label: "output o₂ (a.u.)", ticks: 5, labelOffset: 40 })
    unitCircle(g, x, y, "4,3")
    const pts = g.append("g").attr("class", "points")
    const byAngle = new Map<number, number[]>()
    for (let i = 0; i < panel.points.x.length; i++) {
      const a = panel.points.angleIndex[i]!
      const list = byAngle.get(a)
      if (list) list.push(i)
      else byAngle.set(a, [i])
    }
    const maxPerAngle = options.maxPointsPerAngle ?? 100
    const drawn = [...byAngle.values()].flatMap((list) => thin(list.length, maxPerAngle).map((j) => list[j]!))
    for (const i of drawn.sort((p, q) => p - q)) {
      const px = panel.points.x[i]!
      const py = panel.points.y[i]!
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue
      const theta = panel.angles[panel.points.angleIndex[i]!]
      pts
        .append("circle")
        .attr("class", "point")
        .attr("cx", coord(x(Math.max(-limit, Math.min(limit, px)))))
        .attr("cy", coord(y(Math.max(-limit, Math.min(limit, py)))))
        .attr("r", 1.4)
        .attr("fill", theta === undefined ? muted : angleColor(theta))
        .attr("fill-opacity", 0.35)
    }
    const line = d3
      .line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))
      .curve(d3.curveLinearClosed)
      .digits(2)
    panel.angles.forEach((theta, a) => {
      const color = angleColor(theta)
      const mean = panel.means[a]
      const cov = panel.covariances[a]
      const target = panel.targets?.[a] ?? ([Math.cos(theta), Math.sin(theta)] as const)
      if (mean && cov && [...mean, ...cov].every(Number.isFinite)) {
        g.append("path")
          .attr("class", "ellipse")
          .attr("d", line(ellipsePoints(mean, cov, k)))
          .attr("fill", "none")
          .attr("stroke", color)
          .attr("stroke-width", 2)
        g.append("circle")
          .attr("class", "mean")
          .attr("cx", coord(x(mean[0])))
          .attr("cy", coord(y(mean[1])))
          .attr("r", 3.5)
          .attr("fill", color)
          .attr("stroke", ink)
          .attr("stroke-width", 0.8)
      }
      const tx = x(target[0])
      const ty = y(target[1])
      g.append("path")
        .attr("class", "target")
        .attr(
          "d",
          `M${coord(tx - 5)},${coord(ty - 5)}L${coord(tx + 5)},${coord(ty + 5)}M${coord(tx - 5)},${coord(ty + 5)}L${coord(tx + 5)},${coord(ty - 5)}`
        )
        .attr("stroke", ink)
        .attr("stroke-width", 2)
    })
  })
  const legendX = panels.length * size + (panels.length - 1) * gap + 24
  legend(f.plot, angleEntries, legendX, 0, 1)
  note(f.svg, left, height - 24, `ellipse: ${k}-σ contour of the output covariance; ● mean output`)
  note(f.svg, left, height - 9, "× target (cos θ, sin θ); dashed: unit circle")
  return f.serialize()
}
