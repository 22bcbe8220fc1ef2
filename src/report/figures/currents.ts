/** Mean recurrent, input and bias drive per test angle (the reference's mean_current_breakdown). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const currents = figure<StimulusInputs>({
  id: "currents",
  section: sections.currents,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    const angles = inputs.trained.details.currents.angles
    return {
      caption: `Mean drive summed over neurons per test angle: recurrent Σ_i (W r̄)_i, input Σ_i (C s)_i and bias Σ_i |b_i|${contrast} (the reference's mean_current_breakdown and current_plot).`,
      svg: angleCurves(
        {
          panels: [
            {
              title: "recurrent",
              yLabel: "Σ_i (W r̄)_i (a.u.)",
              angles,
              series: list.map((s) => ({ name: s.name, values: s.a.details.currents.totals.recurrent }))
            },
            {
              title: "input",
              yLabel: "Σ_i (C s)_i (a.u.)",
              angles,
              series: list.map((s) => ({ name: s.name, values: s.a.details.currents.totals.input }))
            },
            {
              title: "bias",
              yLabel: "Σ_i |b_i| (a.u.)",
              angles,
              includeZero: true,
              series: list.map((s) => ({ name: s.name, values: s.a.details.currents.totals.bias }))
            }
          ]
        },
        {
          title: "Currents into the neurons by angle",
          classBoundaries: inputs.classBoundaries,
          colors,
          panelWidth: 250
        }
      )
    }
  }
})
