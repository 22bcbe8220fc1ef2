/** The reference's energy_relu and its input term, mean per test angle. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const energy = figure<StimulusInputs>({
  id: "energy",
  section: sections.energy,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    const angles = inputs.trained.details.energy.angles
    return {
      caption: `The reference's energy_relu E = −½rᵀWr + ½‖r‖² − bᵀr − rᵀCs (a Hopfield energy with a linear leak, not a Lyapunov function of this network) and its input term −rᵀCs, mean per test angle${contrast}.`,
      svg: angleCurves(
        {
          panels: [
            {
              title: "energy E(r, s)",
              yLabel: "mean energy (a.u.)",
              angles,
              series: list.map((s) => ({ name: s.name, values: s.a.details.energy.energy }))
            },
            {
              title: "input term −rᵀCs",
              yLabel: "mean input term (a.u.)",
              angles,
              series: list.map((s) => ({ name: s.name, values: s.a.details.energy.differential }))
            }
          ]
        },
        { title: "Energy of the network state by angle", classBoundaries: inputs.classBoundaries, colors }
      )
    }
  }
})
