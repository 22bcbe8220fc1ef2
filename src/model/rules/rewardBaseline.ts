/**
 * `reward-baseline`: (objective − its running average) × (coactivation − its running average):
 *
 *   Ē ← (1 − θ_obj)·Ē + θ_obj·E   (every training step; Ē starts each trial at the first E),
 *   ΔW = (E − Ē)·(r rᵀ − Ā_rr) − λ_W·W,  Δb = (E − Ē)·(r − Ā_r) − λ_b·b,
 *   ΔC = (E − Ē)·(r sᵀ − Ā_rs) − λ_C·C,
 *
 * θ_obj the parameter file's `theta_obj` (5e-5, unused by the paper's rule); same learning steps,
 * L2 terms and decoder rule as the paper's rule.
 */
import type { PlasticityRule } from "../rule.js"
import { clampedObjective, computeCurrents, decoderRule, updateAverages, updateObjectiveAverage } from "../step.js"
import type { Workspace } from "../workspace.js"

function update(ws: Workspace, learn: boolean): void {
  updateAverages(ws)
  const E = clampedObjective(ws)
  const baseline = updateObjectiveAverage(ws, E)
  if (learn) {
    const { N, inputDim, rates, input, weights, inputWeights, biases, averageRR, averageR, averageRS } = ws
    const { stepWeights, stepBiases, stepInputWeights, weightL2, biasL2, inputWeightL2 } = ws
    const factor = E - baseline
    for (let i = 0; i < N; i++) {
      const ri = rates[i]!
      const row = i * N
      for (let j = 0; j < N; j++) {
        const w = weights[row + j]!
        weights[row + j] = w + stepWeights * (factor * (ri * rates[j]! - averageRR[row + j]!) - weightL2 * w)
      }
      const b = biases[i]!
      biases[i] = b + stepBiases * (factor * (ri - averageR[i]!) - biasL2 * b)
      const rowIn = i * inputDim
      for (let k = 0; k < inputDim; k++) {
        const c = inputWeights[rowIn + k]!
        inputWeights[rowIn + k] =
          c + stepInputWeights * (factor * (ri * input[k]! - averageRS[rowIn + k]!) - inputWeightL2 * c)
      }
    }
    decoderRule(ws)
  }
  computeCurrents(ws)
}

export const rewardBaseline: PlasticityRule = {
  id: "reward-baseline",
  module: import.meta.url,
  description: "ΔW = (E − Ē)·(r rᵀ − Ā_rr) − λ·W (likewise b, C), Ē a running average of E with rate theta_obj.",
  update
}
