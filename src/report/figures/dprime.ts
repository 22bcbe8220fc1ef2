/** d′ of the logistic output between neighbouring test angles. */
import { figure, sections } from "../spec.js"
import type { ClassificationInputs } from "./types.js"

export const dprime = figure<ClassificationInputs>({
  id: "dprime",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { num, states } = await import("../common.js")
    const { dprime } = await import("../../figures/dprime.js")
    const { list, contrast } = states(inputs)
    const pairs = (d: ClassificationInputs["trained"]["details"]) => d.classification.discriminability.adjacentPairs
    return {
      caption: `d′ of the logistic output between neighbouring test angles (plotted at their midpoint)${contrast}: discrimination is needed at the class boundaries.`,
      svg: dprime(
        {
          angles: pairs(inputs.trained.details).map((p) => p.midpoint),
          series: list.map((s) => ({ name: s.name, values: pairs(s.a.details).map((p) => num(p.output)) }))
        },
        { title: "Discriminability of neighbouring angles", classBoundaries: inputs.classBoundaries }
      )
    }
  }
})
