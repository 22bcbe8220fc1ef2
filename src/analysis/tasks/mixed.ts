/**
 * What a mixed task's test recording is analysed into: the population code as for every stimulus
 * task (its decoder-dependent numbers over all three decoder rows), the estimate (outputs 0–1)
 * analysed as an estimation readout and the class (output 2) as a classification readout, each
 * through its own view of the recording.
 */
import { type ClassificationExtras, classificationExtras, classificationPart } from "./classification.js"
import { type EstimationExtras, estimationExtras, estimationPart } from "./estimation.js"
import { type AnalyzeInput, readoutView, stimulusDetails, stimulusSummary } from "./stimulus.js"
import { MixedSummary } from "./summaries/mixed.js"

export { MixedSummary }

/** The rows of the estimate and of the class in a mixed network's output (src/model/tasks/mixed.ts). */
export const ESTIMATE_ROWS = [0, 1] as const
export const CLASS_ROWS = [2] as const

/** The details a mixed task's figures draw: the population's, and each readout's. */
export type MixedDetails = ReturnType<typeof stimulusDetails> & {
  readonly estimation: EstimationExtras
  readonly classification: ClassificationExtras
}

/** The module URL the `analyze` stage hands the worker pool. */
export const analyzeModule: string = import.meta.url

/** Worker task: summary and details of a mixed task's test recording. */
export function analyzeMixed(input: AnalyzeInput): { summary: MixedSummary; details: MixedDetails } {
  const { recording, network, settings } = input
  const estimate = readoutView(recording, ESTIMATE_ROWS, "estimation")
  const classes = readoutView(recording, CLASS_ROWS, "classification")
  return {
    summary: {
      task: "mixed",
      ...stimulusSummary(recording, settings, network),
      ...estimationPart(estimate, settings),
      ...classificationPart(classes, settings)
    },
    details: {
      ...stimulusDetails(recording, settings, network),
      estimation: estimationExtras(estimate, settings, network),
      classification: classificationExtras(classes, settings, network)
    }
  }
}
