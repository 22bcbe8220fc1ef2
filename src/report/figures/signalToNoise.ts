/** Signal-to-noise ratio inside the decoder subspace and in its complement (the reference's stimulus_dependent_s2n). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const signalToNoise = figure<StimulusInputs>({
  id: "signal-to-noise",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { nums, states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    const angles = inputs.trained.details.signalToNoise.angles
    return {
      caption: `Signal-to-noise ratio ‖Qμ‖² / tr(QΣQᵀ) of the population inside the decoder subspace and in its complement, per test angle${contrast} (the reference's stimulus_dependent_s2n).`,
      svg: angleCurves(
        {
          panels: [
            {
              title: "decoder subspace",
              yLabel: "signal / noise",
              angles,
              includeZero: true,
              series: list.map((s) => ({ name: s.name, values: nums(s.a.details.signalToNoise.decoder) }))
            },
            {
              title: "orthogonal complement",
              yLabel: "signal / noise",
              angles,
              includeZero: true,
              series: list.map((s) => ({ name: s.name, values: nums(s.a.details.signalToNoise.orthogonal) }))
            }
          ]
        },
        { title: "Signal-to-noise ratio by angle", classBoundaries: inputs.classBoundaries, colors }
      )
    }
  }
})
