/**
 * Output and target over time: each output dimension as a solid line (translucent), its target
 * dashed on top in a darker shade of the same colour (the reference plot generator's trace panel).
 *
 * @module
 */
import * as d3 from "d3"
import { axisBottom, axisLeft } from "./axes.js"
import { frameWithLegend, type LegendEntry, legendBelow } from "./legend.js"
import { categorical } from "./palette.js"
import { paddedExtent, thin } from "./scales.js"

export interface OutputTraceData {
  /** Sample times in s. */
  readonly time: ArrayLike<number>
  /** `outputs[d][k]`: output dimension d at `time[k]`. */
  readonly outputs: ReadonlyArray<ArrayLike<number>>
  /** `targets[d][k]`: target dimension d at `time[k]`. */
  readonly targets: ReadonlyArray<ArrayLike<number>>
  /** Names of the dimensions (default o₁, o₂, …). */
  readonly dimLabels?: ReadonlyArray<string>
}

export interface OutputTraceOptions {
  readonly title?: string
  readonly yLabel?: string
  readonly xLabel?: string
  /** At most this many samples are drawn per line (evenly spaced samples of longer traces, default 2000). */
  readonly maxPoints?: number
  readonly width?: number
  readonly height?: number
}

const subscripts = "₀₁₂₃₄₅₆₇₈₉"

/** A target's colour: its output's, darker, so the dashed target stays visible over a noisy output drawn in it. */
const targetColor = (d: number): string => d3.color(categorical(d))?.darker(1.2).formatHex() ?? categorical(d)

/** Draw output and target over time as an SVG document string. */
export const outputTrace = (data: OutputTraceData, options: OutputTraceOptions = {}): string => {
  const width = options.width ?? 620
  const height = options.height ?? 300
  const dims = data.outputs.length
  const names = Array.from({ length: dims }, (_, d) => data.dimLabels?.[d] ?? `o${subscripts[(d + 1) % 10]}`)
  const entries: LegendEntry[] = names.flatMap((name, d) => [
    { label: `output ${name}`, color: categorical(d), mark: "line" as const },
    { label: `target ${name}`, color: targetColor(d), mark: "dashed" as const }
  ])
  const f = frameWithLegend({ width, height, title: options.title ?? "Output and target over time" }, entries)
  const x = d3
    .scaleLinear()
    .domain(paddedExtent([data.time], 0))
    .range([0, f.innerWidth])
  const y = d3
    .scaleLinear()
    .domain(paddedExtent([...data.outputs, ...data.targets]))
    .range([f.innerHeight, 0])
    .nice()
  axisBottom(f.plot, x, f.innerWidth, f.innerHeight, { label: options.xLabel ?? "time t (s)", ticks: 8 })
  axisLeft(f.plot, y, f.innerHeight, { label: options.yLabel ?? "output, target (a.u.)", ticks: 6 })

  const indices = thin(data.time.length, options.maxPoints ?? 2000)
  const draw = (values: ArrayLike<number>, color: string, dashed: boolean, kind: string) => {
    const line = d3
      .line<number>()
      .defined((k) => Number.isFinite(values[k]!) && Number.isFinite(data.time[k]!))
      .x((k) => x(data.time[k]!))
      .y((k) => y(values[k]!))
      .digits(2)
    f.plot
      .append("path")
      .attr("class", kind)
      .attr("d", line(indices))
      .attr("fill", "none")
      .attr("stroke", color)
      .attr("stroke-width", dashed ? 1.6 : 1.2)
      .attr("stroke-dasharray", dashed ? "5,3" : null)
      .attr("stroke-opacity", dashed ? null : 0.6)
  }
  for (let d = 0; d < dims; d++) draw(data.outputs[d]!, categorical(d), false, "output")
  for (let d = 0; d < data.targets.length; d++) draw(data.targets[d]!, targetColor(d), true, "target")
  legendBelow(f.plot, entries, f.innerWidth, f.innerHeight)
  return f.serialize()
}
