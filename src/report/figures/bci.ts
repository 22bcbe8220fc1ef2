/**
 * The BCI task's own figures (reference README §10.4): the decoder output against the reward
 * window over time and in distribution, the rates' principal components (the intrinsic manifold)
 * and how its axes moved with learning, and the decoder axis's overlap with them (the reference's
 * `noise_volume_bci`).
 */
import type { BciDetails, BciSummary } from "../../analysis/tasks/bci.js"
import type { ReportInputs } from "../inputs.js"
import { figure, sections } from "../spec.js"

export type BciInputs = ReportInputs<BciSummary, BciDetails>

export const bciTrace = figure<BciInputs>({
  id: "bci-trace",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { F, states } = await import("../common.js")
    const { list, colors, contrast } = states(inputs)
    const { window, trace } = inputs.trained.details
    return {
      caption: `The decoder output D·r over the first closed-loop test trial${contrast}; shaded: the reward window (${F.formatNumber(window.low)}, ${F.formatNumber(window.high)}). The reward is 1 while the output is inside it.`,
      svg: F.windowTrace(
        {
          window,
          time: trace.outputs.map((_, k) => k * inputs.sampleSeconds),
          series: list.map((s) => ({ name: s.name, color: colors[s.name]!, output: s.a.details.trace.outputs }))
        },
        { title: "Decoder output against the reward window" }
      )
    }
  }
})

export const outputDistribution = figure<BciInputs>({
  id: "output-distribution",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { F, fmt, states } = await import("../common.js")
    const { list, colors, contrast } = states(inputs)
    const rates = list.map((s) => `${s.name}: ${fmt(s.a.summary.rewardRate)}`).join("; ")
    return {
      caption: `Distribution of the decoder output over every closed-loop test sample${contrast}; shaded: the reward window. The share of samples inside it is the reward rate (${rates}).`,
      svg: F.windowHistogram(
        {
          window: inputs.trained.details.window,
          series: list.map((s) => ({
            name: s.name,
            color: colors[s.name]!,
            edges: s.a.details.outputHistogram.edges,
            counts: s.a.details.outputHistogram.counts
          }))
        },
        { title: "Decoder output distribution" }
      )
    }
  }
})

export const manifoldSpectrum = figure<BciInputs>({
  id: "manifold-spectrum",
  section: sections.manifold,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { F, states } = await import("../common.js")
    const { after, before } = states(inputs)
    const fractions = (d: BciDetails) => {
      const total = d.eigenvalues.reduce((a, b) => a + b, 0)
      return d.eigenvalues.map((e) => (total > 0 ? e / total : 0))
    }
    const dims = inputs.trained.summary.manifold.dimension
    return {
      caption: `Principal components of the closed-loop rates ${after} (the network's intrinsic manifold): variance explained per component (bars) and cumulative (line)${inputs.initial !== undefined ? "; grey: before learning" : ""}. ${dims} components explain 90% of the variance.`,
      svg: F.varianceExplained(
        {
          fractions: fractions(inputs.trained.details),
          ...(inputs.initial !== undefined
            ? { compare: { label: before, fractions: fractions(inputs.initial.details) } }
            : {})
        },
        { title: "Intrinsic manifold: variance explained" }
      )
    }
  }
})

export const manifoldAngles = figure<BciInputs>({
  id: "manifold-angles",
  section: sections.manifold,
  needs: ["initial"],
  module: import.meta.url,
  render: async (inputs) => {
    const { F } = await import("../common.js")
    const { principalAngles, varianceShare } = await import("../../analysis/closedLoop.js")
    const before = inputs.initial!.details
    const after = inputs.trained.details
    const k = Math.max(1, inputs.initial!.summary.manifold.dimension)
    const angles = principalAngles(before.axes.slice(0, k), after.axes.slice(0, k))
    const degrees = angles.map((a) => (a * 180) / Math.PI)
    const N = after.mean.length
    const kept = varianceShare(Float64Array.from(after.covariance), before.axes.slice(0, k), N)
    return {
      caption: `Principal angles between the untrained network's intrinsic manifold (its first ${k} principal axes, 90% of its variance) and the trained network's first ${k} axes: 0° means the axis is shared, 90° that learning turned it away. The untrained manifold holds ${kept === null ? "—" : `${F.formatNumber(100 * kept)}%`} of the trained network's variance.`,
      svg: F.barChart(
        { bars: degrees.map((d, j) => ({ name: `θ${j + 1}`, value: d })) },
        { title: "How the manifold moved", yLabel: "principal angle (degrees)", xLabel: "principal angle (rank)" }
      )
    }
  }
})

export const decoderOverlap = figure<BciInputs>({
  id: "decoder-overlap",
  section: sections.manifold,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { F, fmt, states } = await import("../common.js")
    const { list } = states(inputs)
    const K = Math.min(10, inputs.trained.details.overlap.length)
    const x = Array.from({ length: K }, (_, k) => k + 1)
    const fractions = list.map((s) => `${s.name}: ${fmt(s.a.summary.noiseVolume.volumeFraction)}`).join("; ")
    return {
      caption: `The reference's noise_volume_bci: |overlap| of the decoder axis with each principal axis of the rates (the first ${K}), and the volume fraction vᵀΣv / λ₁, the variance along the decoder over that along the top axis (${fractions}).`,
      svg: F.objectiveCurve(
        {
          series: list.map((s) => ({
            name: s.name,
            x,
            y: s.a.details.overlap.slice(0, K).map(Math.abs)
          }))
        },
        {
          title: "Decoder axis against the principal axes",
          xLabel: "principal axis (rank)",
          yLabel: "|decoder axis · axis k|"
        }
      )
    }
  }
})
