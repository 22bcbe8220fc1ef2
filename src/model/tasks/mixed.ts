/**
 * `mixed` (the reference's `mixed` objective, README §10.3): estimation and classification read
 * out of one network at once. The decoder has three rows: (D_0, D_1)·r estimates (cos θ, sin θ),
 * p = logistic(100·D_2·r) the class c of θ (as the classification task's, quirk 12 included):
 *
 *   y_t = (cos θ_t, sin θ_t, c_t),   o_t = (D_0·r^u_t, D_1·r^u_t, p(D_2·r^u_t)),
 *   E = λ_MSE·M(r) + λ_LL·L(r),   M = −‖(y_0, y_1) − D_{0:2}·r‖²,   L = c·log p̃ + (1 − c)·log(1 − p̃),
 *
 * p̃ the clipped p. The rules' third factor is E of the clamped rate; the recorded objective holds
 * only λ_LL·L of the unclamped rate minus the parameter penalty
 * Λ_t = (λ_W·ΣW² + λ_b·Σb²) + λ_C·ΣC² at the start of the step (quirk 2 of §10.5). Decoder rule,
 * p unclipped: rows 0, 1 ΔD = ((λ_MSE·(−1))·(D_{0:2}·r − y_{0:2}) rᵀ) − λ_W·D; row 2
 * ΔD_2 = λ_LL·(((c − p)·r)·100 − λ_W·D_2). Every update is scaled by dt·10 (A = 10, quirk 3).
 */
import * as Schema from "effect/Schema"
import { NonNegative } from "../params.js"
import type { TaskModel } from "../task.js"
import type { Workspace } from "../workspace.js"
import { ClassifierSettings } from "./classification.js"
import { classOf, logistic, logLikelihood } from "./objectives.js"

const Settings = Schema.Struct({
  /** `lambda_MSE`, `lambda_LL`: the weights of the estimation and classification parts. */
  lambdaMse: Schema.optionalWith(NonNegative, { default: () => 1 }),
  lambdaLl: Schema.optionalWith(NonNegative, { default: () => 1 }),
  ...ClassifierSettings.fields
})

/** The row of the class readout (after the two of the estimate). */
const CLASS_ROW = 2

/** Λ = ((λ_W·ΣW²) + (λ_b·Σb²)) + λ_C·ΣC² of the parameters as they are now (§10.3 (f)). */
export function parameterPenalty(ws: Workspace): number {
  const square = (a: Float64Array) => {
    let sum = 0
    for (let k = 0; k < a.length; k++) sum += a[k]! * a[k]!
    return sum
  }
  return ws.weightL2 * square(ws.weights) + ws.biasL2 * square(ws.biases) + ws.inputWeightL2 * square(ws.inputWeights)
}

export const mixed: TaskModel<typeof Settings.Type> = {
  id: "mixed",
  module: import.meta.url,
  description:
    "Report the stimulus angle (cos θ, sin θ) and its side of θ = 0 at once from one network; objective λ_MSE·(−‖e‖²) + λ_LL·log p (reference `mixed`).",
  input: "stimulus",
  settings: Settings,
  defaults: {
    N: 40,
    inputDim: 12,
    targetDim: 3,
    learningRate: 5e-6,
    learningRateBias: 5e-6,
    learningRateInput: 5e-6,
    learningRateDecoder: 5e-6,
    weightL2: 0.0008,
    biasL2: 0.0048,
    inputWeightL2: 0.0048,
    annealConst: 10,
    initialBias: 0
  },
  learnsDecoder: true,
  check: (p) => {
    if (p.targetDim !== 3)
      return { path: "targetDim", message: `must be 3 (cos θ, sin θ, class), actual ${p.targetDim}` }
    if (p.normalizeOutput)
      return { path: "normalizeOutput", message: "is an estimation switch; the mixed objective does not read it" }
    return undefined
  },
  bind: (ws, { lambdaMse, lambdaLl, thetaThresh, thetaThreshRev, decoderGain, probabilityClip }) => {
    const { N, output, target, decoded, probability, decoder } = ws
    /** The penalty of this trial's fixed parameters in test mode (NaN: not computed yet). */
    let testPenalty = Number.NaN
    return {
      // §10.3 (e) y_t = (cos θ_t, sin θ_t, c_t).
      target: (theta, cos, sin) => {
        target[0] = cos
        target[1] = sin
        target[CLASS_ROW] = classOf(theta, thetaThresh, thetaThreshRev)
      },
      // (d) o_t = (D_0·r^u, D_1·r^u, p(D_2·r^u)); (f) λ_LL·L(r^u) − Λ_t (parameters before the step's updates).
      record: () => {
        const p = logistic(output[CLASS_ROW]!, decoderGain)
        output[CLASS_ROW] = p
        let penalty: number
        if (ws.train) penalty = parameterPenalty(ws)
        else {
          if (Number.isNaN(testPenalty)) testPenalty = parameterPenalty(ws)
          penalty = testPenalty
        }
        return lambdaLl * logLikelihood(p, target[CLASS_ROW]!, probabilityClip) - penalty
      },
      // (i) E = λ_MSE·M(r_t) + λ_LL·L(r_t); p unclipped left in ws.probability[2].
      modulator: () => {
        let squared = 0
        for (let o = 0; o < CLASS_ROW; o++) {
          const e = target[o]! - decoded[o]!
          squared -= e * e
        }
        const p = logistic(decoded[CLASS_ROW]!, decoderGain)
        probability[CLASS_ROW] = p
        const objective = lambdaMse * squared + lambdaLl * logLikelihood(p, target[CLASS_ROW]!, probabilityClip)
        ws.modulator = objective
        return objective
      },
      // (i) the decoder rule of the two parts, D ← D + s_D·ΔD.
      decoderRule: () => {
        const rates = ws.rates
        const sD = ws.stepDecoder
        const weightL2 = ws.weightL2
        const scaled = lambdaMse * -1
        for (let o = 0; o < CLASS_ROW; o++) {
          const row = o * N
          const e = decoded[o]! - target[o]!
          for (let i = 0; i < N; i++) {
            const d = decoder[row + i]!
            decoder[row + i] = d + sD * (scaled * (e * rates[i]!) - weightL2 * d)
          }
        }
        const row = CLASS_ROW * N
        const error = target[CLASS_ROW]! - probability[CLASS_ROW]!
        for (let i = 0; i < N; i++) {
          const d = decoder[row + i]!
          decoder[row + i] = d + sD * (lambdaLl * (error * rates[i]! * decoderGain - weightL2 * d))
        }
      },
      fusedDecoder: undefined,
      startTrial: () => {
        testPenalty = Number.NaN
      }
    }
  }
}
