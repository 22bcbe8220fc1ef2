/** Tuning curves: mean rate ± 1 std per test angle for neurons spread over the preferred angles. */
import type { StimulusDetails } from "../../analysis/tasks/stimulus.js"
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

const neurons = (details: StimulusDetails) =>
  details.tuning.mean.map((mean, i) => ({ label: `neuron ${i}`, mean, std: details.tuning.std[i]! }))

export const tuningCurves = figure<StimulusInputs>({
  id: "tuning-curves",
  section: sections.tuning,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { tuningCurves } = await import("../../figures/tuningCurves.js")
    const { after, before } = states(inputs)
    const { initial, trained, classBoundaries } = inputs
    return {
      caption: `Tuning curves ${after}: mean rate ± 1 std per test angle for neurons spread over the preferred angles${initial !== undefined ? "; grey dashed: the same neuron before learning" : ""}${classBoundaries.length > 0 ? "; dashed black lines mark the class boundaries" : ""}.`,
      svg: tuningCurves(
        {
          angles: trained.details.tuning.angles,
          neurons: neurons(trained.details),
          ...(initial !== undefined ? { compare: { label: before, neurons: neurons(initial.details) } } : {})
        },
        { title: `Tuning curves (${after})`, maxNeurons: 12, classBoundaries }
      )
    }
  }
})
