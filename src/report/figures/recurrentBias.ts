/**
 * The mean recurrent current as the decoder reads it, D·W·r̄ (the reference's recurrent_bias):
 * along and across the circle for the estimate ({@link recurrentBias}), next to the decoded input
 * current for the class readout ({@link classRecurrentBias}).
 */
import type { RecurrentBiasAtAngle } from "../../analysis/currents.js"
import { figure, sections } from "../spec.js"
import type { ClassificationInputs, EstimationInputs } from "./types.js"

export const recurrentBias = figure<EstimationInputs>({
  id: "recurrent-bias",
  section: sections.currents,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { num, states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    const angles = inputs.trained.details.estimation.recurrentBias.map((b) => b.angle)
    const panel = (title: string, yLabel: string, value: (b: RecurrentBiasAtAngle) => number | undefined) => ({
      title,
      yLabel,
      angles,
      reference: 0,
      series: list.map((s) => ({
        name: s.name,
        values: s.a.details.estimation.recurrentBias.map((b) => num(value(b)))
      }))
    })
    return {
      caption: `The mean recurrent current as the decoder reads it, D·W·r̄, per test angle${contrast}: along the circle (positive: towards larger θ) and along the radius (the reference's recurrent_bias).`,
      svg: angleCurves(
        {
          panels: [
            panel("along the circle", "tangential D·W·r̄ (a.u.)", (b) => b.tangential),
            panel("along the radius", "radial D·W·r̄ (a.u.)", (b) => b.radial)
          ]
        },
        { title: "Recurrent current through the decoder by angle", classBoundaries: inputs.classBoundaries, colors }
      )
    }
  }
})

export const classRecurrentBias = figure<ClassificationInputs>({
  id: "class-recurrent-bias",
  section: sections.currents,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { angleCurves } = await import("../../figures/angleCurves.js")
    const { list, colors, contrast } = states(inputs)
    const angles = inputs.trained.details.classification.recurrentBias.map((b) => b.angle)
    const panel = (title: string, yLabel: string, value: (b: RecurrentBiasAtAngle) => number) => ({
      title,
      yLabel,
      angles,
      reference: 0,
      series: list.map((s) => ({ name: s.name, values: s.a.details.classification.recurrentBias.map(value) }))
    })
    return {
      caption: `The mean recurrent current as the class readout reads it, D·W·r̄, and the input current D·C·s per test angle${contrast} (the reference's recurrent_bias).`,
      svg: angleCurves(
        {
          panels: [
            panel("recurrent, decoded", "D·W·r̄ (a.u.)", (b) => b.decodedRecurrent[0]!),
            panel("input, decoded", "D·C·s (a.u.)", (b) => b.decodedInput[0]!)
          ]
        },
        { title: "Recurrent current through the decoder by angle", classBoundaries: inputs.classBoundaries, colors }
      )
    }
  }
})
