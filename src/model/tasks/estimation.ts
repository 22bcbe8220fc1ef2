/**
 * `estimation` (the reference's `linear` objective, README §2–§4): the network reports the
 * stimulus angle θ as y = (cos θ, sin θ) through a linear decoder, o = D·r; the objective is the
 * negative squared error −‖y − D·r‖² (§4.2) and the decoder learns by the delta rule (§4.3).
 * With the `normalizeOutput` switch (§9.4) the objective and the decoder rule read r/‖r‖.
 */
import * as Schema from "effect/Schema"
import { decoderStep } from "../kernels/reference.js"
import { decodeNormalized } from "../step.js"
import type { TaskModel } from "../task.js"

const Settings = Schema.Struct({})

export const estimation: TaskModel<typeof Settings.Type> = {
  id: "estimation",
  module: import.meta.url,
  description:
    "Report the stimulus angle as (cos θ, sin θ) through a linear decoder; objective −‖y − D·r‖² (reference `linear`).",
  input: "stimulus",
  settings: Settings,
  defaults: {
    N: 40,
    inputDim: 12,
    targetDim: 2,
    learningRate: 5e-6,
    learningRateBias: 5e-6,
    learningRateInput: 5e-6,
    learningRateDecoder: 5e-6,
    weightL2: 0.0008,
    biasL2: 0.0048,
    inputWeightL2: 0.0048,
    annealConst: 100,
    initialBias: 0
  },
  learnsDecoder: true,
  check: (p) =>
    p.targetDim === 2 ? undefined : { path: "targetDim", message: `must be 2 (cos θ, sin θ), actual ${p.targetDim}` },
  bind: (ws) => {
    const { N, targetDim, output, target, decoded, probability } = ws
    const normalize = ws.normalizeOutput
    return {
      // §4.1(e) y_t = (cos θ_t, sin θ_t).
      target: (_theta, cos, sin) => {
        target[0] = cos
        target[1] = sin
      },
      // §4.1(d) o_t = D·r^u_t as it is; (f) −‖y − o‖² (§9.4: of D·(r^u/‖r^u‖)).
      record: () => {
        if (normalize) decodeNormalized(ws, ws.unclamped, ws.normalizedOutput)
        const read = normalize ? ws.normalizedOutput : output
        let objective = 0
        for (let o = 0; o < targetDim; o++) {
          const e = target[o]! - read[o]!
          objective -= e * e
        }
        return objective
      },
      // §4.2 E = −‖y − D·r_t‖² (§9.4: D·r̂_t, r̂ = r/‖r‖, left in ws.decoded).
      modulator: () => {
        if (normalize) decodeNormalized(ws, ws.rates, decoded)
        let objective = 0
        for (let o = 0; o < targetDim; o++) {
          const e = target[o]! - decoded[o]!
          objective -= e * e
        }
        ws.modulator = objective
        return objective
      },
      // §4.3 ΔD = (−1·(D r − y)) rᵀ − λ_W·D (§9.4: r̂).
      decoderRule: () =>
        decoderStep(
          ws.decoder,
          normalize ? ws.normalizedRates : ws.rates,
          decoded,
          probability,
          target,
          N,
          targetDim,
          false,
          ws.stepDecoder,
          ws.weightL2,
          0
        ),
      fusedDecoder: normalize ? undefined : { rule: "delta", gain: 0 }
    }
  }
}
