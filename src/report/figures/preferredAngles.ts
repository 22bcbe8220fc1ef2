/** The distribution of the neurons' preferred angles against the prior. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const preferredAngles = figure<StimulusInputs>({
  id: "preferred-angles",
  section: sections.tuning,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { priorCurve, states, vm } = await import("../common.js")
    const { preferredAngles } = await import("../../figures/preferredAngles.js")
    const { after, before } = states(inputs)
    const { initial, trained } = inputs
    const prior = trained.details.settings.prior
    return {
      caption: `Distribution of the neurons' preferred angles (vector sum of the tuning curve)${initial !== undefined ? " after learning (bars) and before (outline)" : ""} against the prior ${vm(prior)}.`,
      svg: preferredAngles(
        {
          preferredAngles: trained.details.tuning.vectorPreferredAngle,
          prior: priorCurve(prior),
          label: after,
          ...(initial !== undefined
            ? { compare: { label: before, preferredAngles: initial.details.tuning.vectorPreferredAngle } }
            : {})
        },
        { title: "Preferred angles" }
      )
    }
  }
})
