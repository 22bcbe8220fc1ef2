/** Noise covariance at each test angle (the reference's mass_cov_plotter). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const noiseCovarianceByAngle = figure<StimulusInputs>({
  id: "noise-covariance-by-angle",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { angleLabel, states, transientNote } = await import("../common.js")
    const { matrixPanels } = await import("../../figures/matrixPanels.js")
    const { list, before, after, contrast } = states(inputs)
    const short = (name: string) =>
      name === before ? "before" : name === after && inputs.initial !== undefined ? "after" : name
    return {
      caption: `Noise covariance at each test angle without the diagonal, neurons sorted by preferred angle${contrast} (the reference's mass_cov_plotter; ${transientNote(inputs.trained.details, inputs.sampleSeconds)}).`,
      svg: matrixPanels(
        {
          panels: list.flatMap((s) =>
            s.a.details.noiseCovarianceSorted.byAngle.map((m, g) => ({
              title: `${short(s.name)}, θ = ${angleLabel(s.a.details.noiseCovarianceSorted.angles[g]!)}`,
              matrix: m
            }))
          )
        },
        {
          title: "Noise covariance by stimulus angle",
          colorLabel: "covariance (a.u.)",
          rows: { kind: "index", label: "neuron (sorted)" },
          columns: { kind: "index", label: "neuron (sorted)" },
          maskDiagonal: true,
          columnsPerRow: 6,
          panelWidth: 96
        }
      )
    }
  }
})
