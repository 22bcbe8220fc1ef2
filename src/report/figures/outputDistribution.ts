/** The decoder output's distribution against the reward window, before and after learning. */
import { figure, sections } from "../spec.js"

import type { BciInputs } from "./bciTrace.js"

export const outputDistribution = figure<BciInputs>({
  id: "output-distribution",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { fmt, states } = await import("../common.js")
    const { windowHistogram } = await import("../../figures/rewardWindow.js")
    const { list, colors, contrast } = states(inputs)
    const rates = list.map((s) => `${s.name}: ${fmt(s.a.summary.rewardRate)}`).join("; ")
    return {
      caption: `Distribution of the decoder output over every closed-loop test sample${contrast}; shaded: the reward window. The share of samples inside it is the reward rate (${rates}).`,
      svg: windowHistogram(
        {
          window: inputs.trained.details.window,
          series: list.map((s) => ({
            name: s.name,
            color: colors[s.name]!,
            edges: s.a.details.outputHistogram.edges,
            counts: s.a.details.outputHistogram.counts
          }))
        },
        { title: "Decoder output distribution" }
      )
    }
  }
})
