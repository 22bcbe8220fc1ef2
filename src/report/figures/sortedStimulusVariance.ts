/** Coefficient of variation of each neuron's rate per test angle, neurons sorted by preferred angle. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const sortedStimulusVariance = figure<StimulusInputs>({
  id: "sorted-stimulus-variance",
  section: sections.tuning,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { angleAxis, nums, sortedNeurons, states } = await import("../common.js")
    const { matrixPanels } = await import("../../figures/matrixPanels.js")
    const { list, contrast } = states(inputs)
    return {
      caption: `Coefficient of variation (std/mean) of each neuron's rate per test angle, neurons sorted by preferred angle${contrast} (the reference's sorted_stimulus_variance).`,
      svg: matrixPanels(
        { panels: list.map((s) => ({ title: s.name, matrix: s.a.details.sortedStimulusVariance.cv.map(nums) })) },
        {
          title: "Coefficient of variation by neuron and angle",
          colorLabel: "std/mean of the rate",
          rows: sortedNeurons,
          columns: angleAxis(inputs.trained.details),
          scale: "sequential",
          panelWidth: 200,
          panelHeight: 260
        }
      )
    }
  }
})
