/** The mixed task's report header: both readouts' key numbers and tables. */
import type { MixedSummary } from "../../analysis/tasks/mixed.js"
import type { ReportInputs } from "../inputs.js"
import type { ContentSpec } from "../spec.js"

export const mixedContent: ContentSpec<ReportInputs<MixedSummary, unknown>> = {
  id: "mixed",
  module: import.meta.url,
  content: async (inputs) => {
    const { codeNumbers, paper } = await import("./common.js")
    const { estimationNumbers, estimationTable } = await import("./estimation.js")
    const { classificationNumbers, classificationTable } = await import("./classification.js")
    return {
      title: `Mixed task (estimation and classification at once): ${inputs.label}`,
      subtitle: paper,
      keyNumbers: [
        ...(await estimationNumbers(inputs)),
        ...(await classificationNumbers(inputs)),
        ...codeNumbers(inputs)
      ],
      tables: [await estimationTable(inputs), await classificationTable(inputs)]
    }
  }
}
