/** The decoder readout either side of the frequent and the rare class boundary (the reference's boundary_compare). */
import { figure, sections } from "../spec.js"
import type { ClassificationInputs } from "./types.js"

export const boundaryCompare = figure<ClassificationInputs>({
  id: "boundary-compare",
  section: sections.classes,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { angleLabel, fmt, states } = await import("../common.js")
    const { histogramPanels } = await import("../../figures/histogramPanels.js")
    const { list, contrast } = states(inputs)
    const panels = list.flatMap((s) => {
      const b = s.a.details.classification.boundaries
      return (["frequent", "rare"] as const).flatMap((which) => {
        const pair = b[which]
        if (pair === null) return []
        return [
          {
            title: `${s.name}: ${angleLabel(pair.angleNegative)} vs ${angleLabel(pair.anglePositive)}`,
            note: `d′ = ${fmt(pair.dPrime)}`,
            histograms: [
              { name: "negative side (θ < 0)", ...pair.negative },
              { name: "positive side (θ > 0)", ...pair.positive }
            ]
          }
        ]
      })
    })
    return {
      caption: `Decoder readout D·r at the two test angles either side of the frequent boundary θ = 0 and of the rare one θ = ±π${contrast} (the reference's boundary_compare).`,
      svg: histogramPanels(
        { panels },
        { title: "Readout either side of the class boundaries", xLabel: "readout D·r (a.u.)", columnsPerRow: 2 }
      )
    }
  }
})
