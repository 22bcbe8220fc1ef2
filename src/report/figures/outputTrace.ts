/** Output and target over the first test trial (a stimulus task's: the stimulus switches every presentation). */
import { figure, sections } from "../spec.js"
import type { StimulusInputs } from "./types.js"

export const outputTrace = figure<StimulusInputs>({
  id: "output-trace",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { outputTrace } = await import("../../figures/outputTrace.js")
    const { after } = states(inputs)
    const trace = inputs.trained.details.trace
    const time = trace.outputs[0]!.map((_, k) => k * inputs.sampleSeconds)
    return {
      caption: `Output and target over the first test trial (${after}); the stimulus switches every presentation.`,
      svg: outputTrace(
        { time, outputs: trace.outputs, targets: trace.targets, dimLabels: [...inputs.labels.outputs] },
        { title: `Output and target over time (${after})` }
      )
    }
  }
})
