/** The reference's noise_volume_bci: the decoder axis against the principal axes of the rates. */
import { figure, sections } from "../spec.js"

import type { BciInputs } from "./bciTrace.js"

export const decoderOverlap = figure<BciInputs>({
  id: "decoder-overlap",
  section: sections.manifold,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { fmt, states } = await import("../common.js")
    const { objectiveCurve } = await import("../../figures/objectiveCurve.js")
    const { list } = states(inputs)
    const K = Math.min(10, inputs.trained.details.overlap.length)
    const x = Array.from({ length: K }, (_, k) => k + 1)
    const fractions = list.map((s) => `${s.name}: ${fmt(s.a.summary.noiseVolume.volumeFraction)}`).join("; ")
    return {
      caption: `The reference's noise_volume_bci: |overlap| of the decoder axis with each principal axis of the rates (the first ${K}), and the volume fraction vᵀΣv / λ₁, the variance along the decoder over that along the top axis (${fractions}).`,
      svg: objectiveCurve(
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
