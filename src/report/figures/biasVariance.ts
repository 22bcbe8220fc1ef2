/**
 * The error split as the reference's bias_plot and variance_plot draw it, for the estimate
 * ({@link biasVariance}) and for the class readout ({@link classBiasVariance}).
 */

import { figure, sections } from "../spec.js"
import type { ClassificationInputs, EstimationInputs, StimulusInputs } from "./types.js"

type ByAngle = ReadonlyArray<{ readonly bias2: number; readonly outputVariance: number }>

/** The two panels for the readout's per-angle split of each state (`byAngle[k]` for state k). */
const render = async (inputs: StimulusInputs, byAngle: ReadonlyArray<ByAngle>, bias: string, what: string) => {
  const { states } = await import("../common.js")
  const { angleCurves } = await import("../../figures/angleCurves.js")
  const { list, colors, contrast } = states(inputs)
  const angles = inputs.trained.details.tuning.angles
  const panel = (title: string, yLabel: string, value: (b: ByAngle[number]) => number) => ({
    title,
    yLabel,
    angles,
    includeZero: true,
    series: list.map((s, k) => ({ name: s.name, values: byAngle[k]!.map(value) }))
  })
  return {
    caption: `The error of the ${what} split as the reference's bias_plot and variance_plot draw it: squared bias Σ_d (E[y_d] − E[o_d])² and output variance tr Cov(o) per test angle${contrast}.`,
    svg: angleCurves(
      {
        panels: [
          panel("squared bias", bias, (b) => b.bias2),
          panel("output variance", "tr Cov(o) (a.u.)", (b) => b.outputVariance)
        ]
      },
      { title: `Bias and variance of the ${what} by angle`, classBoundaries: inputs.classBoundaries, colors }
    )
  }
}

/** The states' analyses, before learning first (as `states` lists them). */
const analyses = <A>(inputs: { readonly initial?: A; readonly trained: A }): ReadonlyArray<A> => [
  ...(inputs.initial !== undefined ? [inputs.initial] : []),
  inputs.trained
]

export const biasVariance = figure<EstimationInputs>({
  id: "bias-variance",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: (inputs) =>
    render(
      inputs,
      analyses(inputs).map((a) => a.details.estimation.biasVariance),
      "‖E[y] − E[o]‖² (a.u.)",
      "estimate"
    )
})

export const classBiasVariance = figure<ClassificationInputs>({
  id: "class-bias-variance",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: (inputs) =>
    render(
      inputs,
      analyses(inputs).map((a) => a.details.classification.biasVariance),
      "(E[y] − E[o])² (a.u.)",
      "class readout"
    )
})
