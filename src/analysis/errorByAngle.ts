import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups } from "./angleGroups.js"
import { outputMoments } from "./outputMoments.js"
import type { Recording } from "./recording.js"

/** Estimation error: the squared distance ‖o − y‖² between output and target (README §4.2). */
export interface EstimationError {
  readonly task: "estimation"
  /** Number of samples the overall figure averages over. */
  readonly samples: number
  /** Mean of ‖o − y‖² over every recorded sample (step 0 included); null if there is none. */
  readonly testMse: number | null
  /** One entry per test angle that occurs, ascending. */
  readonly mseByAngle: Array<{ angle: number; mse: number; count: number }>
}

/** Classification error: accuracy and log-likelihood of the output probability (README §4.2). */
export interface ClassificationError {
  readonly task: "classification"
  readonly samples: number
  /** Fraction of samples with (o > 0.5) equal to (y > 0.5); null if there is no sample. */
  readonly accuracy: number | null
  /** Mean of y·log p + (1 − y)·log(1 − p), p = o clipped to [1e-4, 1 − 1e-4]; null if no sample. */
  readonly logLikelihood: number | null
  readonly accuracyByAngle: Array<{ angle: number; accuracy: number; count: number }>
  readonly logLikelihoodByAngle: Array<{ angle: number; logLikelihood: number; count: number }>
}

export type ErrorByAngle = EstimationError | ClassificationError

/** The clip the reference objective applies to p before taking logs (README §4.2). */
export const probabilityClip = 1e-4

/**
 * Log-likelihood of a binary target under the output probability p, with the reference's clip
 * (if p < 1e-4 then 1e-4, else if 1 − p < 1e-4 then 1 − 1e-4).
 */
export const logLikelihoodOf = (p: number, y: number): number => {
  const clipped = p < probabilityClip ? probabilityClip : 1 - p < probabilityClip ? 1 - probabilityClip : p
  return y * Math.log(clipped) + (1 - y) * Math.log(1 - clipped)
}

/** Estimation: MSE overall and per angle (samples grouped as `angleGroups`; all samples by default). */
export const estimationError = (recording: Recording, options: GroupingOptions = {}): EstimationError => {
  const { angles, counts, mse } = outputMoments(recording, options)
  const samples = counts.reduce((a, b) => a + b, 0)
  const sum = angles.reduce((acc, _, g) => acc + counts[g]! * mse[g]!, 0)
  return {
    task: "estimation",
    samples,
    testMse: samples > 0 ? sum / samples : null,
    mseByAngle: angles.map((angle, g) => ({ angle, mse: mse[g]!, count: counts[g]! }))
  }
}

/**
 * Classification: accuracy (o > 0.5 against y > 0.5) and clipped log-likelihood, overall and per
 * angle. The output dimension is 1 (README §2).
 */
export const classificationError = (recording: Recording, options: GroupingOptions = {}): ClassificationError => {
  const { angles, counts, label } = angleGroups(recording, options)
  const { trials, samples, outputs, targets, targetDim } = recording
  if (targetDim !== 1) throw new Error(`classification needs targetDim 1, the recording has ${targetDim}`)
  const correct = new Float64Array(angles.length)
  const logLikelihood = new Float64Array(angles.length)
  for (let k = 0; k < trials * samples; k++) {
    const g = label[k]!
    if (g < 0) continue
    const p = outputs[k]!
    const y = targets[k]!
    if (p > 0.5 === y > 0.5) correct[g]!++
    logLikelihood[g]! += logLikelihoodOf(p, y)
  }
  const total = counts.reduce((a, b) => a + b, 0)
  const sumOf = (values: Float64Array) => values.reduce((a, b) => a + b, 0)
  return {
    task: "classification",
    samples: total,
    accuracy: total > 0 ? sumOf(correct) / total : null,
    logLikelihood: total > 0 ? sumOf(logLikelihood) / total : null,
    accuracyByAngle: angles.map((angle, g) => ({ angle, accuracy: correct[g]! / counts[g]!, count: counts[g]! })),
    logLikelihoodByAngle: angles.map((angle, g) => ({
      angle,
      logLikelihood: logLikelihood[g]! / counts[g]!,
      count: counts[g]!
    }))
  }
}

/** Error by stimulus angle for the recording's task: MSE (estimation) or accuracy and log-likelihood. */
export const errorByAngle = (recording: Recording, options: GroupingOptions = {}): ErrorByAngle =>
  recording.task === "estimation" ? estimationError(recording, options) : classificationError(recording, options)
