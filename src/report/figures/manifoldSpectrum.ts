/** The closed-loop rates' principal components (the intrinsic manifold): variance explained. */
import type { BciDetails } from "../../analysis/tasks/bci.js"
import { figure, sections } from "../spec.js"

import type { BciInputs } from "./bciTrace.js"

export const manifoldSpectrum = figure<BciInputs>({
  id: "manifold-spectrum",
  section: sections.manifold,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { varianceExplained } = await import("../../figures/varianceExplained.js")
    const { after, before } = states(inputs)
    const fractions = (d: BciDetails) => {
      const total = d.eigenvalues.reduce((a, b) => a + b, 0)
      return d.eigenvalues.map((e) => (total > 0 ? e / total : 0))
    }
    const dims = inputs.trained.summary.manifold.dimension
    return {
      caption: `Principal components of the closed-loop rates ${after} (the network's intrinsic manifold): variance explained per component (bars) and cumulative (line)${inputs.initial !== undefined ? "; grey: before learning" : ""}. ${dims} components explain 90% of the variance.`,
      svg: varianceExplained(
        {
          fractions: fractions(inputs.trained.details),
          ...(inputs.initial !== undefined
            ? { compare: { label: before, fractions: fractions(inputs.initial.details) } }
            : {})
        },
        { title: "Intrinsic manifold: variance explained" }
      )
    }
  }
})
