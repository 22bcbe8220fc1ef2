/** Stimulus-conditioned variance along the first principal components, per test angle. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const stimulusVariancePca = figure<StimulusInputs>({
  id: "stimulus-variance-pca",
  section: sections.tuning,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { angleAxis, states } = await import("../common.js")
    const { matrixPanels } = await import("../../figures/matrixPanels.js")
    const { list, contrast } = states(inputs)
    return {
      caption: `Stimulus-conditioned variance along each of the first principal components of the activity, per test angle${contrast} (the reference's stimulus_variance_pca).`,
      svg: matrixPanels(
        { panels: list.map((s) => ({ title: s.name, matrix: s.a.details.stimulusVariancePca.variance })) },
        {
          title: "Variance along the principal components by angle",
          colorLabel: "Var(wᵀr | θ) (a.u.)",
          rows: { kind: "index", label: "principal component (rank)", start: 1 },
          columns: angleAxis(inputs.trained.details),
          scale: "sequential",
          panelWidth: 240
        }
      )
    }
  }
})
