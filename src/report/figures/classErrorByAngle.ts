/** The class readout's error rate per test angle against the prior. */
import { figure, sections } from "../spec.js"
import type { ClassificationInputs } from "./types.js"

export const classErrorByAngle = figure<ClassificationInputs>({
  id: "class-error-by-angle",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { priorCurve, states, vm } = await import("../common.js")
    const { errorByAngle } = await import("../../figures/errorByAngle.js")
    const { list, contrast } = states(inputs)
    const prior = inputs.trained.details.settings.prior
    return {
      caption: `Error rate (1 − accuracy) of the class per test angle${contrast}, against the prior ${vm(prior)} (right scale): errors remain near the class boundaries θ = 0 and ±π.`,
      svg: errorByAngle(
        {
          angles: inputs.trained.summary.accuracyByAngle.map((e) => e.angle),
          series: list.map((s) => ({ name: s.name, error: s.a.summary.accuracyByAngle.map((e) => 1 - e.accuracy) })),
          prior: priorCurve(prior)
        },
        { title: "Class error by stimulus angle", yLabel: "error rate (fraction)" }
      )
    }
  }
})
