/** The estimate's bias on the output plane (the reference's radial_bias_plot). */
import { figure, sections } from "../spec.js"
import type { EstimationInputs } from "./types.js"

export const radialBias = figure<EstimationInputs>({
  id: "radial-bias",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { radialBias } = await import("../../figures/radialBias.js")
    const { list, contrast } = states(inputs)
    return {
      caption: `Bias of the estimate (the reference's radial_bias_plot): segments from each target (cos θ, sin θ) to the mean output at that angle${contrast}.`,
      svg: radialBias(
        {
          angles: inputs.trained.details.estimation.outputs.byAngle.map((o) => o.angle),
          series: list.map((s) => ({
            name: s.name,
            means: s.a.details.estimation.outputs.byAngle.map((o) => [o.mean[0]!, o.mean[1]!] as const)
          }))
        },
        { title: "Bias of the estimate on the output plane" }
      )
    }
  }
})
