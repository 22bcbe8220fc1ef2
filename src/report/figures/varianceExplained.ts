/** PCA of the population activity: variance explained per component and cumulative. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const varianceExplained = figure<StimulusInputs>({
  id: "variance-explained",
  section: sections.tuning,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { varianceExplained } = await import("../../figures/varianceExplained.js")
    const { after, before } = states(inputs)
    const { initial, trained } = inputs
    return {
      caption: `PCA of the population activity ${after}: variance explained per component (bars) and cumulative (line)${initial !== undefined ? "; grey: before learning" : ""}.`,
      svg: varianceExplained(
        {
          fractions: trained.details.pca.varianceExplained,
          ...(initial !== undefined
            ? { compare: { label: before, fractions: initial.details.pca.varianceExplained } }
            : {})
        },
        { title: "PCA of population activity" }
      )
    }
  }
})
