/** The alignment of the top noise components with the decoder axes (the reference's noise_angle). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const noiseAngle = figure<StimulusInputs>({
  id: "noise-angle",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { nums, states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    return {
      caption: `Alignment of the top noise components with the decoder axes, Σ_a |p_a·q_a| / k per test angle (the reference's noise_angle; 1 = aligned, 0 = orthogonal)${contrast}.`,
      svg: angleCurves(
        {
          panels: [
            {
              yLabel: "|cos| of noise axes to decoder axes",
              angles: inputs.trained.details.noiseVolume.byAngle.map((v) => v.angle),
              includeZero: true,
              series: list.map((s) => ({
                name: s.name,
                values: nums(s.a.details.noiseVolume.byAngle.map((v) => v.noiseAngle))
              }))
            }
          ]
        },
        {
          title: "Noise angle to the decoder by angle",
          classBoundaries: inputs.classBoundaries,
          colors,
          panelWidth: 380
        }
      )
    }
  }
})
