/**
 * What an estimation readout's test recording is analysed into (`estimation` task, and the
 * estimate of `mixed`): the error ‖o − y‖² overall, by angle and weighted by the prior, its split
 * into bias and variance, and the details its figures draw (output clouds on the unit circle, the
 * radial bias, the recurrent current through the decoder).
 */
import { biasVariance } from "../biasVariance.js"
import { recurrentBias } from "../currents.js"
import { estimationError } from "../errorByAngle.js"
import type { NetworkWeights } from "../networkWeights.js"
import { outputSamples } from "../outputSamples.js"
import { outputStatistics } from "../outputStatistics.js"
import { priorWeightedError } from "../priorWeightedError.js"
import type { Recording } from "../recording.js"
import type { AnalysisSettings } from "../settings.js"
import { type AnalyzeInput, groupings, stimulusDetails, stimulusSummary } from "./stimulus.js"
import { type EstimationPart, EstimationPartFields, EstimationSummary } from "./summaries/estimation.js"

export { type EstimationPart, EstimationPartFields, EstimationSummary }

/** The estimation readout's numbers of a recording whose outputs are the estimate (cos θ, sin θ). */
export const estimationPart = (recording: Recording, settings: AnalysisSettings): EstimationPart => {
  const { all } = groupings(settings)
  const { samples, task: _kind, ...errors } = estimationError(recording, all)
  const weighted = priorWeightedError({ ...errors, task: "estimation", samples }, settings.prior)
  const decomposition = biasVariance(recording, all)
  return {
    testMse: errors.testMse,
    mseByAngle: errors.mseByAngle,
    priorWeightedMse: weighted.mse?.priorWeighted ?? null,
    uniformMse: weighted.mse?.uniform ?? null,
    biasVariance: {
      overall: decomposition.overall,
      byAngle: decomposition.byAngle.map(({ angle, bias2, variance }) => ({ angle, bias2, variance }))
    }
  }
}

/** What the estimation readout's figures draw. */
export interface EstimationExtras {
  /** Subsampled outputs per test angle (the output clouds). */
  readonly clouds: ReturnType<typeof outputSamples>
  /** The estimate's mean and covariance per angle (its ellipses). */
  readonly outputs: ReturnType<typeof outputStatistics>
  readonly biasVariance: ReturnType<typeof biasVariance>["byAngle"]
  /** D·W·r̄ along and across the circle (`recurrent_bias`). */
  readonly recurrentBias: ReturnType<typeof recurrentBias>
}

export const estimationExtras = (
  recording: Recording,
  settings: AnalysisSettings,
  network: NetworkWeights
): EstimationExtras => {
  const { all } = groupings(settings)
  return {
    clouds: outputSamples(recording, { ...all, perAngle: 150 }),
    outputs: outputStatistics(recording, all),
    biasVariance: biasVariance(recording, all).byAngle,
    recurrentBias: recurrentBias(recording, network, all)
  }
}

/** The details an estimation task's figures draw. */
export type EstimationDetails = ReturnType<typeof stimulusDetails> & { readonly estimation: EstimationExtras }

/** The module URL the `analyze` stage hands the worker pool. */
export const analyzeModule: string = import.meta.url

/** Worker task: summary and details of an estimation task's test recording. */
export function analyzeEstimation(input: AnalyzeInput): { summary: EstimationSummary; details: EstimationDetails } {
  const { recording, network, settings } = input
  return {
    summary: {
      task: "estimation",
      ...stimulusSummary(recording, settings, network),
      ...estimationPart(recording, settings)
    },
    details: {
      ...stimulusDetails(recording, settings, network),
      estimation: estimationExtras(recording, settings, network)
    }
  }
}
