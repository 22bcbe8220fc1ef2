/** The mean absolute noise correlation over neuron pairs at each test angle. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const averageNoiseCorrelation = figure<StimulusInputs>({
  id: "average-noise-correlation",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { nums, states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    return {
      caption: `Mean absolute noise correlation over neuron pairs at each test angle, ± its std over pairs${contrast} (the reference's avg_noise_correlations).`,
      svg: angleCurves(
        {
          panels: [
            {
              yLabel: "mean |noise correlation|",
              angles: inputs.trained.details.averageNoiseCorrelation.angles,
              includeZero: true,
              series: list.map((s) => ({
                name: s.name,
                values: nums(s.a.details.averageNoiseCorrelation.mean),
                errorBar: nums(s.a.details.averageNoiseCorrelation.std)
              }))
            }
          ]
        },
        {
          title: "Average noise correlation by angle",
          classBoundaries: inputs.classBoundaries,
          colors,
          panelWidth: 380
        }
      )
    }
  }
})
