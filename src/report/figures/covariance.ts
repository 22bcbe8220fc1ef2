/** Covariance of the rates over all test samples, neurons sorted by preferred angle (the reference's covariance_plot). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const covariance = figure<StimulusInputs>({
  id: "covariance",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { sortedNeurons, states } = await import("../common.js")
    const { matrixPanels } = await import("../../figures/matrixPanels.js")
    const { list, contrast } = states(inputs)
    return {
      caption: `Covariance of the rates over all test samples (signal and noise), neurons sorted by preferred angle${contrast} (the reference's covariance_plot; diagonal masked).`,
      svg: matrixPanels(
        { panels: list.map((s) => ({ title: s.name, matrix: s.a.details.covarianceSorted })) },
        {
          title: "Covariance of the rates, sorted by preferred angle",
          colorLabel: "covariance (a.u.)",
          rows: sortedNeurons,
          columns: sortedNeurons,
          maskDiagonal: true,
          note: "grey diagonal: the variances, not coloured"
        }
      )
    }
  }
})
