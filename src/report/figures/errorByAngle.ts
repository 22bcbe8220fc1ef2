/** The estimate's MSE per test angle against the prior. */
import { figure, sections } from "../spec.js"
import type { EstimationInputs } from "./types.js"

export const errorByAngle = figure<EstimationInputs>({
  id: "error-by-angle",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { priorCurve, states, vm } = await import("../common.js")
    const { errorByAngle } = await import("../../figures/errorByAngle.js")
    const { list, contrast } = states(inputs)
    const prior = inputs.trained.details.settings.prior
    return {
      caption: `Mean squared error ‖o − y‖² of the estimate per test angle${contrast}, against the prior ${vm(prior)} (right scale): learning puts the precision where stimuli are frequent.`,
      svg: errorByAngle(
        {
          angles: inputs.trained.summary.mseByAngle.map((e) => e.angle),
          series: list.map((s) => ({ name: s.name, error: s.a.summary.mseByAngle.map((e) => e.mse) })),
          prior: priorCurve(prior)
        },
        { title: "Error by stimulus angle", yLabel: "MSE ‖o − y‖² (a.u.)" }
      )
    }
  }
})
