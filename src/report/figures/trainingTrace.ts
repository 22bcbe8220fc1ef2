/** Output and target over the last training trials, one after the other. */
import { figure, sections } from "../spec.js"
import type { AnyInputs } from "./types.js"

export const trainingTrace = figure<AnyInputs>({
  id: "training-trace",
  section: sections.learning,
  needs: ["training"],
  module: import.meta.url,
  render: async (inputs) => {
    const { outputTrace } = await import("../../figures/outputTrace.js")
    const training = inputs.training!
    const last = training.lastTrials!
    const step = last.stride * inputs.sampleSeconds
    const time = last.outputs[0]!.map((_, k) => k * step)
    const range =
      last.trials === 1 ? `trial ${last.firstTrial}` : `trials ${last.firstTrial}–${last.firstTrial + last.trials - 1}`
    return {
      caption: `Output and target during the last training ${range}, one after the other (${training.trialSeconds} s each).`,
      svg: outputTrace(
        { time, outputs: last.outputs, targets: last.targets, dimLabels: [...inputs.labels.outputs] },
        { title: `Output and target, last training ${range}` }
      )
    }
  }
})
