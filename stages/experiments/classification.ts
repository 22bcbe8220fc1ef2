/**
 * The classification experiment (the paper's second task): N = 25 neurons report the stimulus's
 * side of θ = 0 through a logistic decoder; log-likelihood objective.
 */
import type { analyzeClassification } from "../../src/analysis/tasks/classification.js"
import { ClassificationSummary, classificationMetrics } from "../../src/analysis/tasks/summaries/classification.js"
import { classification as task } from "../../src/model/tasks/classification.js"
import { classificationContent } from "../../src/report/content/classification.js"
import { classBiasVariance } from "../../src/report/figures/biasVariance.js"
import { boundaryCompare } from "../../src/report/figures/boundaryCompare.js"
import { classErrorByAngle } from "../../src/report/figures/classErrorByAngle.js"
import { confusion, confusionInitial } from "../../src/report/figures/confusion.js"
import { dprime } from "../../src/report/figures/dprime.js"
import { lda } from "../../src/report/figures/lda.js"
import { classRecurrentBias } from "../../src/report/figures/recurrentBias.js"
import { defineExperiment } from "./experiment.js"
import { behaviour, code, learning, model, tuning } from "./figureLists.js"
import { analysisWorker, stimulusAnalysis, summaryMetrics } from "./taskAnalysis.js"

export const classification = defineExperiment({
  task,
  title: "Classification",
  description:
    "The classification task: train a 25-neuron network to report the stimulus's side of θ = 0, test before and after.",
  defaultSeed: 4,
  params: { fields: {}, settings: () => ({}) },
  analysis: stimulusAnalysis(
    task.id,
    analysisWorker<typeof analyzeClassification>(task.id, "analyzeClassification"),
    ClassificationSummary
  ),
  metrics: summaryMetrics(task.id, classificationMetrics),
  labels: {
    outputs: ["p(class 1)"],
    objective: "objective log p(y) (nats)",
    objectiveNote: "the log-likelihood of the class"
  },
  figures: [
    ...learning,
    ...behaviour,
    classErrorByAngle,
    classBiasVariance,
    dprime,
    confusionInitial,
    confusion,
    ...tuning,
    lda,
    boundaryCompare,
    ...code,
    classRecurrentBias,
    ...model
  ],
  content: classificationContent
})
