/** The population's linear discriminant by class (the reference's classifier_lda). */
import { figure, sections } from "../spec.js"
import type { ClassificationInputs } from "./types.js"

export const lda = figure<ClassificationInputs>({
  id: "lda",
  section: sections.classes,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { angleLabel, fmt, states } = await import("../common.js")
    const { histogramPanels } = await import("../../figures/histogramPanels.js")
    const { list, contrast } = states(inputs)
    const boundary = angleLabel(inputs.classBoundaries[0] ?? 0)
    return {
      caption: `Projection of the population activity on its linear discriminant (the reference's classifier_lda) by class${contrast}, in units of the pooled std; d′ of Fisher's discriminant, the linear readout that (nearly) best separates the classes.`,
      svg: histogramPanels(
        {
          panels: list.map((s) => {
            const l = s.a.details.classification.lda
            return {
              title: s.name,
              note: `d′ = ${fmt(l.dPrime)}`,
              histograms: [
                { name: `class 0 (θ ≤ ${boundary})`, ...l.class0 },
                { name: `class 1 (θ > ${boundary})`, ...l.class1 }
              ]
            }
          })
        },
        { title: "Linear discriminant of the population", xLabel: "LDA projection (pooled std)" }
      )
    }
  }
})
