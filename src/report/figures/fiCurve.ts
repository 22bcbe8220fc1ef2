/** The run's rate function r = f(u), as the reference's fi_plot draws it. */
import { figure, sections } from "../spec.js"
import type { AnyInputs } from "./types.js"

/** The rate functions' formulas, for the legend. */
const formula = {
  softplus: "softplus r = β·log(1 + exp(α + γu))",
  sigmoid: "sigmoid r = 1/(α + β·exp(−γu))",
  linear: "linear r = α + γu"
} as const

export const fiCurve = figure<AnyInputs>({
  id: "fi-curve",
  section: sections.model,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { fiCurve } = await import("../../figures/fiCurve.js")
    const { formatNumber } = await import("../../figures/format.js")
    const { fiCurve: curveOf } = await import("../../analysis/rateFunction.js")
    const rf = inputs.rateFunction
    const curve = curveOf(rf.nonlinearity, rf)
    return {
      caption: `The run's rate function r = f(u) (${rf.nonlinearity}, α = ${formatNumber(rf.alpha)}, β = ${formatNumber(rf.beta)}, γ = ${formatNumber(rf.gamma)}), as the reference's fi_plot draws it; the simulation integrates its inverse and clamps r to [${formatNumber(rf.rLow)}, ${formatNumber(rf.rHigh)}].`,
      svg: fiCurve(
        { label: formula[rf.nonlinearity], u: curve.u, r: curve.r, clamp: { low: rf.rLow, high: rf.rHigh } },
        { title: "Rate function (F–I curve)" }
      )
    }
  }
})
