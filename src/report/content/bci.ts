/** The BCI task's report header: the reward rate before and after, the output against the window, the manifold. */
import type { BciDetails, BciSummary } from "../../analysis/tasks/bci.js"
import type { ReportInputs } from "../inputs.js"
import type { ContentSpec } from "../spec.js"

export const bciContent: ContentSpec<ReportInputs<BciSummary, BciDetails>> = {
  id: "bci",
  module: import.meta.url,
  content: async (inputs) => {
    const { beforeAfter, num, paper } = await import("./common.js")
    const { formatNumber } = await import("../../figures/format.js")
    const { window } = inputs.trained.summary
    const training = inputs.training?.objectiveMean ?? []
    const tail = training.slice(training.length - Math.max(1, Math.round(training.length / 10)))
    return {
      title: `BCI task (closed loop, reward in (${formatNumber(window.low)}, ${formatNumber(window.high)})): ${inputs.label}`,
      subtitle: `${paper}; the reference's bci objective (its README §10.4)`,
      keyNumbers: [
        ...beforeAfter(inputs, "reward rate (test)", (s) => s.rewardRate),
        ...(training.length > 0
          ? [
              { label: "reward rate, first training trial", value: num(training[0]) },
              {
                label: "reward rate, last 10% of training trials",
                value: tail.reduce((a, b) => a + b, 0) / tail.length
              }
            ]
          : []),
        ...beforeAfter(inputs, "output mean D·r", (s) => s.output.mean),
        ...beforeAfter(inputs, "output std D·r", (s) => s.output.sd),
        ...beforeAfter(inputs, "share above the window", (s) => s.output.above),
        ...beforeAfter(inputs, "noise_volume_bci volume fraction", (s) => s.noiseVolume.volumeFraction),
        ...beforeAfter(inputs, "manifold dimension (90% variance)", (s) => s.manifold.dimension),
        ...beforeAfter(inputs, "participation ratio", (s) => s.manifold.participationRatio)
      ],
      tables: [
        {
          caption: "Reward rate per closed-loop test trial",
          columns: ["test trial", ...(inputs.initial !== undefined ? ["before learning"] : []), "reward rate"],
          rows: inputs.trained.summary.rewardRateByTrial.map((r, k) => [
            k + 1,
            ...(inputs.initial !== undefined ? [num(inputs.initial.summary.rewardRateByTrial[k])] : []),
            num(r)
          ])
        }
      ]
    }
  }
}
