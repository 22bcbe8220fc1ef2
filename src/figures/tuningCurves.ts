/**
 * Tuning curves: each neuron's mean rate ± one standard deviation against the stimulus angle, as
 * small multiples on a shared y scale. With more neurons than panels, the neurons are ordered by
 * preferred angle and an evenly spaced selection is shown (the panel says which neuron). Optional
 * vertical lines mark the classifier's class boundaries (θ = 0 and θ = ±π).
 *
 * @module
 */
import * as d3 from "d3"
import { angleAxisLabel, axisLabel } from "./axes.js"
import { angleLabel, coord } from "./format.js"
import { boundaryLine, fontSize, note } from "./frame.js"
import { frameAroundPlot, type LegendEntry, legend } from "./legend.js"
import { categorical, ink, muted } from "./palette.js"
import { type AnglePoint, cyclicOrder, paddedExtent } from "./scales.js"

export interface NeuronTuning {
  /** Panel label (default "neuron i", i the 0-based index in `neurons`). */
  readonly label?: string
  /** Mean rate per test angle (order of `angles`). */
  readonly mean: ArrayLike<number>
  /** Standard deviation of the rate per test angle. */
  readonly std: ArrayLike<number>
}

export interface TuningCurvesData {
  /** Test angles θ (rad). */
  readonly angles: ArrayLike<number>
  readonly neurons: ReadonlyArray<NeuronTuning>
  /**
   * Optionally the same neurons in another state (e.g. before learning), index for index: each
   * panel draws that neuron's mean rate as a grey dashed line.
   */
  readonly compare?: { readonly label: string; readonly neurons: ReadonlyArray<NeuronTuning> }
}

export interface TuningCurvesOptions {
  readonly title?: string
  readonly yLabel?: string
  /** At most this many panels (default 16). */
  readonly maxNeurons?: number
  /** Panels per row (default 4). */
  readonly columns?: number
  /** Angles (rad) of class boundaries to mark, e.g. [0, −π, π] for the classifier. */
  readonly classBoundaries?: ReadonlyArray<number>
  readonly panelWidth?: number
  readonly panelHeight?: number
}

/** Index of the angle with the highest finite mean rate (−1 if none). */
const preferredIndex = (mean: ArrayLike<number>): number => {
  let best = -1
  for (let a = 0; a < mean.length; a++) {
    if (Number.isFinite(mean[a]!) && (best < 0 || mean[a]! > mean[best]!)) best = a
  }
  return best
}

/**
 * The neurons to show: all of them if they fit, otherwise `max` neurons evenly spaced in the order
 * of their preferred angle (ties by index), returned in that order.
 */
export const selectNeurons = (data: TuningCurvesData, max: number): number[] => {
  const order = data.neurons
    .map((n, i) => ({ i, pref: data.angles[preferredIndex(n.mean)] ?? Number.POSITIVE_INFINITY }))
    .sort((p, q) => p.pref - q.pref || p.i - q.i)
    .map((p) => p.i)
  if (order.length <= max) return order
  return Array.from({ length: max }, (_, k) => order[Math.floor((k * order.length) / max)]!)
}

/** Draw tuning curves as an SVG document string. */
export const tuningCurves = (data: TuningCurvesData, options: TuningCurvesOptions = {}): string => {
  const shown = selectNeurons(data, options.maxNeurons ?? 16)
  const columns = Math.max(1, Math.min(options.columns ?? 4, shown.length))
  const rows = Math.ceil(shown.length / columns)
  const pw = options.panelWidth ?? 150
  const ph = options.panelHeight ?? 96
  const gapX = 26
  const gapY = 40
  const plotWidth = columns * pw + (columns - 1) * gapX
  const boundaries = options.classBoundaries ?? []
  const entries: LegendEntry[] = [
    { label: "mean rate", color: categorical(0), mark: "line" },
    { label: "± 1 std", color: categorical(0), mark: "band" }
  ]
  if (data.compare !== undefined)
    entries.push({ label: `mean rate, ${data.compare.label}`, color: muted, mark: "dashed" })
  if (boundaries.length > 0) entries.push({ label: "class boundary", color: ink, mark: "dashed" })
  const total = data.neurons.length
  const subsampled = shown.length < total
  const title = options.title ?? (subsampled ? `Tuning curves (${shown.length} of ${total} neurons)` : "Tuning curves")
  const f = frameAroundPlot(
    {
      plotWidth,
      plotHeight: rows * ph + (rows - 1) * gapY,
      title,
      top: 34 + 18,
      axisSpace: 52,
      extraBottom: subsampled ? 16 : 0
    },
    entries
  )

  const order = cyclicOrder(data.angles)
  const x = d3.scaleLinear().domain([-Math.PI, Math.PI]).range([0, pw])
  const highs = shown.map((i) => Array.from(data.neurons[i]!.mean, (m, a) => m + (data.neurons[i]!.std[a] ?? 0)))
  const lows = shown.map((i) => Array.from(data.neurons[i]!.mean, (m, a) => m - (data.neurons[i]!.std[a] ?? 0)))
  if (data.compare !== undefined) for (const i of shown) highs.push(Array.from(data.compare.neurons[i]?.mean ?? []))
  const y = d3
    .scaleLinear()
    .domain(paddedExtent([...highs, ...lows], 0.05))
    .range([ph, 0])
    .nice(4)

  shown.forEach((neuron, s) => {
    const tuning = data.neurons[neuron]!
    const col = s % columns
    const row = Math.floor(s / columns)
    const g = f.plot
      .append("g")
      .attr("class", "panel")
      .attr("transform", `translate(${coord(col * (pw + gapX))},${coord(row * (ph + gapY))})`)
    g.append("text")
      .attr("class", "panel-title")
      .attr("x", coord(pw / 2))
      .attr("y", -5)
      .attr("text-anchor", "middle")
      .attr("font-size", fontSize.tick + 1)
      .attr("fill", ink)
      .text(tuning.label ?? `neuron ${neuron}`)
    const xAxis = d3
      .axisBottom(x)
      .offset(0.5)
      .tickValues([-Math.PI, 0, Math.PI])
      .tickFormat((d) => angleLabel(+d))
    g.append("g").attr("class", "axis axis-x").attr("transform", `translate(0,${ph})`).call(xAxis)
    const yAxis = d3.axisLeft(y).offset(0.5).ticks(3)
    if (col !== 0) yAxis.tickFormat(() => "")
    g.append("g").attr("class", "axis axis-y").call(yAxis)
    for (const b of boundaries) {
      boundaryLine(g, x(b), ph)
    }
    const ok = (p: AnglePoint) => Number.isFinite(tuning.mean[p.k]!) && Number.isFinite(tuning.std[p.k]!)
    const area = d3
      .area<AnglePoint>()
      .defined(ok)
      .x((p) => x(p.x))
      .y0((p) => y(tuning.mean[p.k]! - tuning.std[p.k]!))
      .y1((p) => y(tuning.mean[p.k]! + tuning.std[p.k]!))
      .digits(2)
    g.append("path")
      .attr("class", "band")
      .attr("d", area(order))
      .attr("fill", categorical(0))
      .attr("fill-opacity", 0.25)
    const other = data.compare?.neurons[neuron]
    if (other !== undefined) {
      const compareLine = d3
        .line<AnglePoint>()
        .defined((p) => Number.isFinite(other.mean[p.k]!))
        .x((p) => x(p.x))
        .y((p) => y(other.mean[p.k]!))
        .digits(2)
      g.append("path")
        .attr("class", "compare")
        .attr("d", compareLine(order))
        .attr("fill", "none")
        .attr("stroke", muted)
        .attr("stroke-width", 1.5)
        .attr("stroke-dasharray", "4,3")
    }
    const line = d3
      .line<AnglePoint>()
      .defined((p) => Number.isFinite(tuning.mean[p.k]!))
      .x((p) => x(p.x))
      .y((p) => y(tuning.mean[p.k]!))
      .digits(2)
    g.append("path")
      .attr("class", "curve")
      .attr("d", line(order))
      .attr("fill", "none")
      .attr("stroke", categorical(0))
      .attr("stroke-width", 1.5)
  })
  const gridHeight = rows * ph + (rows - 1) * gapY
  axisLabel(f.plot, plotWidth / 2, gridHeight + 36, angleAxisLabel)
  axisLabel(f.plot, -gridHeight / 2, -46, options.yLabel ?? "rate r (a.u.)", -90)
  legend(f.plot, entries, 0, gridHeight + 48, plotWidth)
  if (subsampled) {
    const text = `${shown.length} of ${total} neurons shown, evenly spaced in preferred angle`
    note(f.svg, f.margin.left, f.height - 8, text)
  }
  return f.serialize()
}
