/** Noise correlations averaged over test angles, neurons sorted by preferred angle. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const noiseCorrelations = figure<StimulusInputs>({
  id: "noise-correlations",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { nums, sortedNeurons, states, transientNote } = await import("../common.js")
    const { matrixPanels } = await import("../../figures/matrixPanels.js")
    const { list, contrast } = states(inputs)
    return {
      caption: `Noise correlations averaged over test angles, neurons sorted by preferred angle${contrast} (the reference's sorted_noise_correlations; ${transientNote(inputs.trained.details, inputs.sampleSeconds)}).`,
      svg: matrixPanels(
        { panels: list.map((s) => ({ title: s.name, matrix: s.a.details.noiseCorrelationSorted.map(nums) })) },
        {
          title: "Noise correlations, sorted by preferred angle",
          colorLabel: "noise correlation (Pearson r)",
          rows: sortedNeurons,
          columns: sortedNeurons,
          maskDiagonal: true,
          note: "grey diagonal: self-correlation (≡ 1), not coloured"
        }
      )
    }
  }
})
