/**
 * The estimation experiment (the paper's first task): N = 40 neurons report the stimulus angle as
 * (cos θ, sin θ) through a linear decoder; MSE objective.
 */
import type { analyzeEstimation } from "../../src/analysis/tasks/estimation.js"
import { EstimationSummary, estimationMetrics } from "../../src/analysis/tasks/summaries/estimation.js"
import { estimation as task } from "../../src/model/tasks/estimation.js"
import { estimationContent } from "../../src/report/content/estimation.js"
import { biasVariance } from "../../src/report/figures/biasVariance.js"
import { errorByAngle } from "../../src/report/figures/errorByAngle.js"
import { outputClouds } from "../../src/report/figures/outputClouds.js"
import { radialBias } from "../../src/report/figures/radialBias.js"
import { recurrentBias } from "../../src/report/figures/recurrentBias.js"
import { defineExperiment } from "./experiment.js"
import { behaviour, code, learning, model, tuning } from "./figureLists.js"
import { analysisWorker, stimulusAnalysis, summaryMetrics } from "./taskAnalysis.js"

export const estimation = defineExperiment({
  task,
  title: "Estimation",
  description: "The estimation task: train a 40-neuron network to report the stimulus angle, test it before and after.",
  defaultSeed: 7,
  params: { fields: {}, settings: () => ({}) },
  analysis: stimulusAnalysis(
    task.id,
    analysisWorker<typeof analyzeEstimation>(task.id, "analyzeEstimation"),
    EstimationSummary
  ),
  metrics: summaryMetrics(task.id, estimationMetrics),
  labels: {
    outputs: ["cos θ", "sin θ"],
    objective: "objective −‖y − o‖² (a.u.)",
    objectiveNote: "−‖y − Dr‖², 0 is perfect"
  },
  figures: [
    ...learning,
    ...behaviour,
    outputClouds,
    errorByAngle,
    biasVariance,
    radialBias,
    ...tuning,
    ...code,
    recurrentBias,
    ...model
  ],
  content: estimationContent
})
