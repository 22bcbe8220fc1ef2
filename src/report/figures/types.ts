/**
 * The report inputs each kind of figure reads: any run's, a stimulus task's (its population code),
 * an estimation readout's, a classification readout's. A task's list holds the specs whose inputs
 * its own extend (the compiler checks it).
 */
import type { ClassificationExtras, ClassificationPart } from "../../analysis/tasks/classification.js"
import type { EstimationExtras, EstimationPart } from "../../analysis/tasks/estimation.js"
import type { StimulusDetails } from "../../analysis/tasks/stimulus.js"
import type { ReportInputs } from "../inputs.js"

export type AnyInputs = ReportInputs<unknown, unknown>
export type StimulusInputs = ReportInputs<unknown, StimulusDetails>
export type EstimationInputs = ReportInputs<EstimationPart, StimulusDetails & { readonly estimation: EstimationExtras }>
export type ClassificationInputs = ReportInputs<
  ClassificationPart,
  StimulusDetails & { readonly classification: ClassificationExtras }
>
