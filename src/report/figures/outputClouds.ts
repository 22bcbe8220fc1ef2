/** The estimate per test angle on the output plane, with 2-σ covariance ellipses. */
import { figure, sections } from "../spec.js"
import type { EstimationInputs } from "./types.js"

export const outputClouds = figure<EstimationInputs>({
  id: "output-clouds",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { outputClouds } = await import("../../figures/outputClouds.js")
    const { list, contrast } = states(inputs)
    const panel = (label: string, details: EstimationInputs["trained"]["details"]) => {
      const { clouds, outputs } = details.estimation
      return {
        label,
        angles: clouds.angles,
        points: { x: clouds.outputs[0]!, y: clouds.outputs[1]!, angleIndex: clouds.angleIndex },
        means: outputs.byAngle.map((s) => [s.mean[0]!, s.mean[1]!] as const),
        covariances: outputs.byAngle.map(
          (s) => [s.covariance[0]![0]!, s.covariance[0]![1]!, s.covariance[1]![1]!] as const
        )
      }
    }
    return {
      caption: `Network outputs per test angle (subsampled) with 2-σ covariance ellipses around the mean output${contrast}; the unit circle holds the targets (cos θ, sin θ).`,
      svg: outputClouds(
        { panels: list.map((s) => panel(s.name, s.a.details)) },
        { title: "Output clouds on the unit circle", sigmas: 2 }
      )
    }
  }
})
