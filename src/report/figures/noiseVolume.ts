/** Noise volume along the decoder per test angle (the reference's noise_volume). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const noiseVolume = figure<StimulusInputs>({
  id: "noise-volume",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { nums, states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    const volume = (d: StimulusInputs["trained"]["details"]) => d.noiseVolume.byAngle
    const allNegative = list.every((st) =>
      volume(st.a.details).every((v) => (v.totalVolume ?? 0) < 0 && (v.projectedVolume ?? 0) < 0)
    )
    const angles = volume(inputs.trained.details).map((v) => v.angle)
    return {
      caption: `Noise volume along the decoder: the reference's noise_volume fraction (Gaussian entropy of the noise on the decoder axes over that on the top noise axes${allNegative ? "; both entropies are negative here, so above 1 means less noise along the decoder" : ""}) and the ratio of the ellipsoid volumes (1: the decoder axes hold the top noise axes), per test angle${contrast}.`,
      svg: angleCurves(
        {
          panels: [
            {
              title: "entropy fraction (reference)",
              yLabel: "H(decoder axes) / H(top noise axes)",
              angles,
              reference: 1,
              series: list.map((s) => ({
                name: s.name,
                values: nums(volume(s.a.details).map((v) => v.volumeFraction))
              }))
            },
            {
              title: "volume ratio",
              yLabel: "det(QΣQᵀ) / Π top-k λ",
              angles,
              includeZero: true,
              reference: 1,
              series: list.map((s) => ({
                name: s.name,
                values: nums(volume(s.a.details).map((v) => v.determinantRatio))
              }))
            }
          ]
        },
        { title: "Noise volume along the decoder by angle", classBoundaries: inputs.classBoundaries, colors }
      )
    }
  }
})
