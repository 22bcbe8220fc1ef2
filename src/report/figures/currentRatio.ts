/** The size of the recurrent relative to the input current (the reference's current_ratio_plot). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const currentRatio = figure<StimulusInputs>({
  id: "current-ratio",
  section: sections.currents,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { num, states } = await import("../common.js")
    const { barChart } = await import("../../figures/barChart.js")
    const { list, contrast } = states(inputs)
    return {
      caption: `Size of the recurrent relative to the input current, mean |W r̄| / mean |C s| over neurons and test angles${contrast} (the reference's current_ratio_plot).`,
      svg: barChart(
        { bars: list.map((s) => ({ name: s.name, value: num(s.a.details.currents.recurrentToInput) })) },
        { title: "Recurrent / input current", yLabel: "mean |W r̄| / mean |C s|" }
      )
    }
  }
})
