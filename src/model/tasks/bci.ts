/**
 * `bci` (the reference's `bci` objective, README §10.4): a closed brain–computer-interface loop.
 * A fixed decoder D (1 × N, the experimenter's) reads the network, o_t = D·r^u_t, and its output
 * is the network's only input, s_t = D·r_{t−1} (the rate update of step t sees s_{t−1} = D·r_{t−2}:
 * the fed-back signal reaches the rates two steps after the rate that produced it, quirk 4). The
 * third factor is a reward for keeping the output in a window:
 *
 *   E = 1 if bciLow < D·r < bciHigh (both strict), else 0,
 *
 * of the clamped rate for the rules and of the unclamped one for the recorded objective. There is
 * no stimulus (θ = 0 throughout) and no decoder rule: D never changes.
 *
 * Defaults: the reference's constants, but the learning rates of W, b and C are ten times the
 * estimation task's. With the reference's own rates the reward rate barely moves in 20 trials of
 * 100 s (README §10.2: between 20% and 34%); ×10 takes it from about 27% to 45% in 15 trials, so
 * that the default run visibly learns within minutes (see the README's "bci" section).
 */
import * as Schema from "effect/Schema"
import { Finite } from "../params.js"
import type { TaskModel } from "../task.js"

const Settings = Schema.Struct({
  /** `bci_threshold`, `bci_upper_bd`: the reward window of the decoder output, open at both ends. */
  bciLow: Schema.optionalWith(Finite, { default: () => 0 }),
  bciHigh: Schema.optionalWith(Finite, { default: () => 0.01 })
}).pipe(
  Schema.filter((s) =>
    s.bciLow < s.bciHigh
      ? true
      : { path: ["bciHigh"], message: `must exceed bciLow (${s.bciLow}), actual ${s.bciHigh}` }
  )
)

/** The factor of the task's default learning rates over the estimation task's (see the module doc). */
export const BCI_LEARNING_RATE_SCALE = 10

export const bci: TaskModel<typeof Settings.Type> = {
  id: "bci",
  module: import.meta.url,
  description:
    "Keep a fixed decoder's output D·r, fed back as the only input, inside a reward window (bciLow, bciHigh); reward 1 inside, 0 outside (reference `bci`).",
  input: "feedback",
  settings: Settings,
  defaults: {
    N: 40,
    inputDim: 1,
    targetDim: 1,
    learningRate: BCI_LEARNING_RATE_SCALE * 5e-6,
    learningRateBias: BCI_LEARNING_RATE_SCALE * 5e-6,
    learningRateInput: BCI_LEARNING_RATE_SCALE * 5e-6,
    learningRateDecoder: 5e-6,
    weightL2: 0.0008,
    biasL2: 0.0048,
    inputWeightL2: 0.0048,
    annealConst: 100,
    initialBias: 0,
    trialSeconds: 100,
    transientSeconds: 10,
    trainTrials: 40,
    testTrials: 20,
    switchSeconds: 100
  },
  learnsDecoder: false,
  check: (p) => {
    if (p.targetDim !== 1)
      return { path: "targetDim", message: `must be 1 (one decoder output), actual ${p.targetDim}` }
    if (p.inputDim !== p.targetDim)
      return { path: "inputDim", message: `must equal targetDim (the fed-back output), actual ${p.inputDim}` }
    if (p.normalizeOutput)
      return { path: "normalizeOutput", message: "is an estimation switch; the BCI reward does not read it" }
    return undefined
  },
  bind: (ws, { bciLow, bciHigh }) => {
    const { output, target, decoded } = ws
    return {
      // §10.4 (e) y_t = bciLow, recorded, read by nothing.
      target: () => {
        target[0] = bciLow
      },
      // (d) o_t = D·r^u_t as it is; (f) the reward of the unclamped rate.
      record: () => {
        const o = output[0]!
        return bciLow < o && o < bciHigh ? 1 : 0
      },
      // (i) E = the reward of the clamped rate.
      modulator: () => {
        const z = decoded[0]!
        const reward = bciLow < z && z < bciHigh ? 1 : 0
        ws.modulator = reward
        return reward
      },
      decoderRule: undefined,
      fusedDecoder: { rule: "none", gain: 0 }
    }
  }
}
