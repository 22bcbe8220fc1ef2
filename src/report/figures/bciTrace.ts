/** The decoder output over the first closed-loop test trial against the reward window. */
import type { BciSummary } from "../../analysis/tasks/bci.js"
import type { ReportInputs } from "../inputs.js"
import { figure, sections } from "../spec.js"

/** What the BCI figures read of a run. */
export type BciInputs = ReportInputs<BciSummary, import("../../analysis/tasks/bci.js").BciDetails>

export const bciTrace = figure<BciInputs>({
  id: "bci-trace",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: async (inputs) => {
    const { states } = await import("../common.js")
    const { windowTrace } = await import("../../figures/rewardWindow.js")
    const { formatNumber } = await import("../../figures/format.js")
    const { list, colors, contrast } = states(inputs)
    const { window, trace } = inputs.trained.details
    return {
      caption: `The decoder output D·r over the first closed-loop test trial${contrast}; shaded: the reward window (${formatNumber(window.low)}, ${formatNumber(window.high)}). The reward is 1 while the output is inside it.`,
      svg: windowTrace(
        {
          window,
          time: trace.outputs.map((_, k) => k * inputs.sampleSeconds),
          series: list.map((s) => ({ name: s.name, color: colors[s.name]!, output: s.a.details.trace.outputs }))
        },
        { title: "Decoder output against the reward window" }
      )
    }
  }
})
