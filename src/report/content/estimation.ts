/** The estimation task's report header: test MSE before and after, prior-weighted MSE, bias/variance, the MSE by angle. */
import type { EstimationPart } from "../../analysis/tasks/estimation.js"
import type { StimulusSummary } from "../../analysis/tasks/stimulus.js"
import type { Analyzed, ReportInputs } from "../inputs.js"
import type { ContentSpec } from "../spec.js"

type States = {
  readonly trained: Analyzed<EstimationPart & StimulusSummary, unknown>
  readonly initial?: Analyzed<EstimationPart & StimulusSummary, unknown>
}

/** The estimate's key numbers (a mixed report shows them too). */
export const estimationNumbers = async (states: States) => {
  const { fmt, vm } = await import("../common.js")
  const { num } = await import("./common.js")
  const a = states.trained.summary
  const b = states.initial?.summary
  return [
    ...(b !== undefined ? [{ label: "test MSE before learning", value: num(b.testMse) }] : []),
    { label: `test MSE ${b !== undefined ? "after learning" : ""}`.trim(), value: num(a.testMse) },
    { label: `MSE weighted by the prior ${vm(a.prior)}`, value: num(a.priorWeightedMse) },
    {
      label: "squared bias / variance",
      value: `${fmt(a.biasVariance.overall?.bias2)} / ${fmt(a.biasVariance.overall?.variance)}`
    },
    { label: "noise variance along the decoder (× chance)", value: num(a.decoderAlignedNoise.enrichment) }
  ]
}

/** The MSE by angle, before and after. */
export const estimationTable = async (states: States) => {
  const { matched } = await import("./common.js")
  const a = states.trained.summary
  const b = states.initial?.summary
  return {
    caption: "Test MSE by stimulus angle",
    columns: ["angle θ (rad)", ...(b !== undefined ? ["MSE before"] : []), "MSE", "samples"],
    rows: a.mseByAngle.map((e) => [
      e.angle,
      ...(b !== undefined ? [matched(b.mseByAngle, e.angle, (x) => x.mse)] : []),
      e.mse,
      e.count
    ])
  }
}

export const estimationContent: ContentSpec<ReportInputs<EstimationPart & StimulusSummary, unknown>> = {
  id: "estimation",
  module: import.meta.url,
  content: async (inputs) => {
    const { codeNumbers, paper } = await import("./common.js")
    return {
      title: `Estimation task: ${inputs.label}`,
      subtitle: paper,
      keyNumbers: [...(await estimationNumbers(inputs)), ...codeNumbers(inputs)],
      tables: [await estimationTable(inputs)]
    }
  }
}
