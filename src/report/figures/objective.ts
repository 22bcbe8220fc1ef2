/** The learning curve: the objective's mean in each training trial, with a moving average. */
import { figure, sections } from "../spec.js"
import type { AnyInputs } from "./types.js"

export const objective = figure<AnyInputs>({
  id: "objective",
  section: sections.learning,
  needs: ["training"],
  module: import.meta.url,
  render: async (inputs) => {
    const { objectiveCurve } = await import("../../figures/objectiveCurve.js")
    const training = inputs.training!
    const x = training.objectiveMean.map((_, k) => k + 1)
    return {
      caption: `Objective over training (${training.rule} rule): mean of the per-step objective in each ${training.trialSeconds} s trial, with a moving average; ${inputs.labels.objectiveNote}.`,
      svg: objectiveCurve(
        { series: [{ name: training.rule, x, y: training.objectiveMean }] },
        {
          title: "Objective over training",
          xLabel: "training trial (index)",
          yLabel: inputs.labels.objective,
          smoothWindow: Math.max(1, Math.min(25, Math.floor(x.length / 10)))
        }
      )
    }
  }
})
