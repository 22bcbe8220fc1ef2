/** The volume fraction per test angle over blocks of test trials (the reference's volume_fraction_total_plot). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const volumeFractionTotal = figure<StimulusInputs>({
  id: "volume-fraction-total",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { nums, states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    const total = inputs.trained.details.volumeFractionTotal
    return {
      caption: `Volume fraction per test angle, mean ± SEM over ${total.blocks} blocks of test trials${contrast} (the reference's volume_fraction_total_plot averages over networks; one run has one).`,
      svg: angleCurves(
        {
          panels: [
            {
              title: "entropy fraction",
              yLabel: "volume fraction (mean ± SEM)",
              angles: total.angles,
              reference: 1,
              series: list.map((s) => ({
                name: s.name,
                values: nums(s.a.details.volumeFractionTotal.mean),
                band: nums(s.a.details.volumeFractionTotal.sem)
              }))
            },
            {
              title: "volume ratio",
              yLabel: "det ratio (mean ± SEM)",
              angles: total.angles,
              includeZero: true,
              series: list.map((s) => ({
                name: s.name,
                values: nums(s.a.details.volumeFractionTotal.determinantMean),
                band: nums(s.a.details.volumeFractionTotal.determinantSem)
              }))
            }
          ]
        },
        { title: "Volume fraction over trial blocks", classBoundaries: inputs.classBoundaries, colors }
      )
    }
  }
})
