/** Signal vs noise correlation of every neuron pair. */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const signalNoise = figure<StimulusInputs>({
  id: "signal-noise",
  section: sections.noise,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { signalNoise } = await import("../../figures/signalNoise.js")
    const { after, before, contrast } = states(inputs)
    const pairs = inputs.trained.details.signalNoise.pairs
    const initialPairs = inputs.initial?.details.signalNoise.pairs
    return {
      caption: `Signal vs noise correlation of every neuron pair, with least-squares lines${contrast}.`,
      svg: signalNoise(
        {
          signal: pairs.map((p) => p.signal),
          noise: pairs.map((p) => p.noise),
          label: after,
          ...(initialPairs !== undefined
            ? {
                compare: {
                  label: before,
                  signal: initialPairs.map((p) => p.signal),
                  noise: initialPairs.map((p) => p.noise)
                }
              }
            : {})
        },
        { title: "Signal vs noise correlations" }
      )
    }
  }
})
