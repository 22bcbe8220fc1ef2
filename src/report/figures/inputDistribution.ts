/** The training stimuli against the nominal prior and the Langevin sampler's stationary density. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const inputDistribution = figure<StimulusInputs>({
  id: "input-distribution",
  section: sections.learning,
  needs: ["training", "stimuli"],
  module: import.meta.url,
  render: async (inputs) => {
    const { priorCurve, vm } = await import("../common.js")
    const { inputDistribution } = await import("../../figures/inputDistribution.js")
    const histogram = inputs.training!.angleHistogram!
    const prior = inputs.trained.details.settings.prior
    const stationary = { mu: prior.mu, kappa: 2 * prior.kappa }
    return {
      caption: `Training stimuli: histogram of every training angle against the nominal prior ${vm(prior)} and the Langevin sampler's stationary ${vm(stationary)} (its drift lacks a factor ½).`,
      svg: inputDistribution(
        {
          edges: histogram.edges,
          density: histogram.density,
          total: histogram.total,
          densities: [
            { name: `nominal prior ${vm(prior)}`, curve: priorCurve(prior) },
            { name: `sampler's stationary ${vm(stationary)}`, curve: priorCurve(stationary), dashed: true }
          ]
        },
        { title: "Training stimuli against the prior" }
      )
    }
  }
})
