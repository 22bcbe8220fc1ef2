/**
 * The mixed experiment (the reference's `mixed` objective, its README §10.3): N = 40 neurons
 * report the stimulus angle (cos θ, sin θ) and its side of θ = 0 at once, through a three-row
 * decoder; the rules learn from λ_MSE·(−‖e‖²) + λ_LL·log p(c).
 */
import * as Schema from "effect/Schema"
import type { analyzeMixed } from "../../src/analysis/tasks/mixed.js"
import { MixedSummary, mixedMetrics } from "../../src/analysis/tasks/summaries/mixed.js"
import { NonNegative } from "../../src/model/params.js"
import { mixed as task } from "../../src/model/tasks/mixed.js"
import { mixedContent } from "../../src/report/content/mixed.js"
import { biasVariance, classBiasVariance } from "../../src/report/figures/biasVariance.js"
import { boundaryCompare } from "../../src/report/figures/boundaryCompare.js"
import { classErrorByAngle } from "../../src/report/figures/classErrorByAngle.js"
import { confusion, confusionInitial } from "../../src/report/figures/confusion.js"
import { dprime } from "../../src/report/figures/dprime.js"
import { errorByAngle } from "../../src/report/figures/errorByAngle.js"
import { lda } from "../../src/report/figures/lda.js"
import { outputClouds } from "../../src/report/figures/outputClouds.js"
import { radialBias } from "../../src/report/figures/radialBias.js"
import { classRecurrentBias, recurrentBias } from "../../src/report/figures/recurrentBias.js"
import { defineExperiment } from "./experiment.js"
import { behaviour, code, learning, model, tuning } from "./figureLists.js"
import { analysisWorker, stimulusAnalysis, summaryMetrics } from "./taskAnalysis.js"

export const mixed = defineExperiment({
  task,
  title: "Mixed",
  description:
    "The mixed task (the reference's mixed objective): one 40-neuron network reports the stimulus angle and its side of θ = 0 at once.",
  defaultSeed: 7,
  params: {
    fields: {
      /** `lambda_MSE`: the weight of the estimation part of the objective the rules learn from (1). */
      lambdaMse: Schema.optionalWith(NonNegative, { default: () => 1 }).annotations({
        description: "weight of the estimation part of the objective the rules learn from (`lambda_MSE`; mixed)"
      }),
      /** `lambda_LL`: the weight of the classification part (1). */
      lambdaLl: Schema.optionalWith(NonNegative, { default: () => 1 }).annotations({
        description: "weight of the classification part (`lambda_LL`; mixed)"
      })
    },
    settings: (p) => ({ lambdaMse: p.lambdaMse, lambdaLl: p.lambdaLl })
  },
  analysis: stimulusAnalysis(task.id, analysisWorker<typeof analyzeMixed>(task.id, "analyzeMixed"), MixedSummary),
  metrics: summaryMetrics(task.id, mixedMetrics),
  labels: {
    outputs: ["cos θ", "sin θ", "p(class 1)"],
    objective: "recorded objective λ_LL·log p(c) − Λ (nats)",
    objectiveNote:
      "the reference's recorded objective λ_LL·log p(c) − Λ, the class's log-likelihood minus the parameter penalty Λ; the rules learn from λ_MSE·(−‖e‖²) + λ_LL·log p(c)"
  },
  figures: [
    ...learning,
    ...behaviour,
    outputClouds,
    errorByAngle,
    biasVariance,
    radialBias,
    classErrorByAngle,
    classBiasVariance,
    dprime,
    confusionInitial,
    confusion,
    ...tuning,
    lda,
    boundaryCompare,
    ...code,
    recurrentBias,
    classRecurrentBias,
    ...model
  ],
  content: mixedContent
})
