/**
 * `classification` (the reference's `classifier` objective, README §2–§4): the network reports
 * which side of the boundary θ_thresh the stimulus is on, c = 1 if θ ≥ θ_thresh or θ ≤ θ_thresh_rev
 * (quirk 12), through a logistic decoder o = 1/(1 + exp(−100·D·r)); the objective is the
 * log-likelihood of the class with p clipped to [10⁻⁴, 1 − 10⁻⁴] (§4.2) and the decoder learns by
 * ΔD = ((c − p)·r)·100 − λ_W·D, p unclipped (§4.3). The reference's classifier ignores the
 * `normalizeOutput` switch, and so does this one.
 */
import * as Schema from "effect/Schema"
import { decoderStep } from "../kernels/reference.js"
import { Finite } from "../params.js"
import type { TaskModel } from "../task.js"
import { classOf, logistic, logLikelihood } from "./objectives.js"

/** The classifier's constants (the reference's `theta_thresh`, `theta_thresh_rev` and two hard-coded ones). */
export const ClassifierSettings = Schema.Struct({
  /** `theta_thresh`, `theta_thresh_rev`: class 1 is θ ≥ thetaThresh or θ ≤ thetaThreshRev. */
  thetaThresh: Schema.optionalWith(Finite, { default: () => 0 }),
  thetaThreshRev: Schema.optionalWith(Finite, { default: () => -Math.PI }),
  /** Gain of the logistic decoder (hard-coded 100). */
  decoderGain: Schema.optionalWith(Finite, { default: () => 100 }),
  /** Clip of the probability in the objective (hard-coded 1e-4). */
  probabilityClip: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 0.5)), { default: () => 1e-4 })
})

export const classification: TaskModel<typeof ClassifierSettings.Type> = {
  id: "classification",
  module: import.meta.url,
  description:
    "Report the stimulus's side of θ = 0 through a logistic decoder; objective: the class's log-likelihood (reference `classifier`).",
  input: "stimulus",
  settings: ClassifierSettings,
  defaults: {
    N: 25,
    inputDim: 12,
    targetDim: 1,
    learningRate: 1e-6,
    learningRateBias: 1e-6,
    learningRateInput: 1e-6,
    learningRateDecoder: 1e-8,
    weightL2: 0.001875,
    biasL2: 0.05,
    inputWeightL2: 0.0625,
    annealConst: 100,
    initialBias: 0.7
  },
  learnsDecoder: true,
  check: (p) =>
    p.targetDim === 1 ? undefined : { path: "targetDim", message: `must be 1 (the class), actual ${p.targetDim}` },
  bind: (ws, { thetaThresh, thetaThreshRev, decoderGain, probabilityClip }) => {
    const { N, targetDim, output, target, decoded, probability } = ws
    return {
      // §4.1(e) y_t = class of θ_t.
      target: (theta) => {
        target[0] = classOf(theta, thetaThresh, thetaThreshRev)
      },
      // §4.1(d) o_t = logistic(D·r^u_t); (f) its clipped log-likelihood.
      record: () => {
        let objective = 0
        for (let o = 0; o < targetDim; o++) {
          const p = logistic(output[o]!, decoderGain)
          output[o] = p
          objective += logLikelihood(p, target[o]!, probabilityClip)
        }
        return objective
      },
      // §4.2 E = log-likelihood of logistic(D·r_t), clipped; p unclipped left in ws.probability.
      modulator: () => {
        let objective = 0
        for (let o = 0; o < targetDim; o++) {
          const p = logistic(decoded[o]!, decoderGain)
          probability[o] = p
          objective += logLikelihood(p, target[o]!, probabilityClip)
        }
        ws.modulator = objective
        return objective
      },
      // §4.3 ΔD = ((y − p)·r)·gain − λ_W·D.
      decoderRule: () =>
        decoderStep(
          ws.decoder,
          ws.rates,
          decoded,
          probability,
          target,
          N,
          targetDim,
          true,
          ws.stepDecoder,
          ws.weightL2,
          decoderGain
        ),
      fusedDecoder: { rule: "logistic", gain: decoderGain }
    }
  }
}
