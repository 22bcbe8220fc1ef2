/** The classification task's report header: accuracy and log-likelihood before and after, d′, the accuracy by angle. */
import type { ClassificationPart } from "../../analysis/tasks/classification.js"
import type { StimulusSummary } from "../../analysis/tasks/stimulus.js"
import type { Analyzed, ReportInputs } from "../inputs.js"
import type { ContentSpec } from "../spec.js"

type States = {
  readonly trained: Analyzed<ClassificationPart & StimulusSummary, unknown>
  readonly initial?: Analyzed<ClassificationPart & StimulusSummary, unknown>
}

/** The class readout's key numbers (a mixed report shows them too). */
export const classificationNumbers = async (states: States) => {
  const { beforeAfter, num } = await import("./common.js")
  const a = states.trained.summary
  const b = states.initial?.summary
  return [
    ...(b !== undefined
      ? [
          { label: "accuracy before learning", value: num(b.accuracy) },
          { label: "log-likelihood before learning", value: num(b.logLikelihood) }
        ]
      : []),
    { label: "accuracy", value: num(a.accuracy) },
    { label: "log-likelihood (mean per sample)", value: num(a.logLikelihood) },
    ...beforeAfter(states, "d′ of the readout D·r (θ > 0 vs θ < 0)", (s) => s.dPrime),
    ...beforeAfter(states, "d′ of the linear discriminant", (s) => s.ldaDPrime)
  ]
}

/** Accuracy and log-likelihood by angle, before and after. */
export const classificationTable = async (states: States) => {
  const { matched, num } = await import("./common.js")
  const a = states.trained.summary
  const b = states.initial?.summary
  return {
    caption: "Accuracy and log-likelihood by stimulus angle",
    columns: [
      "angle θ (rad)",
      ...(b !== undefined ? ["accuracy before"] : []),
      "accuracy",
      "log-likelihood",
      "samples"
    ],
    rows: a.accuracyByAngle.map((e, k) => [
      e.angle,
      ...(b !== undefined ? [matched(b.accuracyByAngle, e.angle, (x) => x.accuracy)] : []),
      e.accuracy,
      num(a.logLikelihoodByAngle[k]?.logLikelihood),
      e.count
    ])
  }
}

export const classificationContent: ContentSpec<ReportInputs<ClassificationPart & StimulusSummary, unknown>> = {
  id: "classification",
  module: import.meta.url,
  content: async (inputs) => {
    const { codeNumbers, paper } = await import("./common.js")
    return {
      title: `Classification task: ${inputs.label}`,
      subtitle: paper,
      keyNumbers: [...(await classificationNumbers(inputs)), ...codeNumbers(inputs)],
      tables: [await classificationTable(inputs)]
    }
  }
}
