/**
 * `no-baseline`: objective × coactivation, without subtracting the running average:
 *
 *   ΔW = E·(r rᵀ) − λ_W·W,  Δb = E·r − λ_b·b,  ΔC = E·(r sᵀ) − λ_C·C,
 *
 * with the same learning steps, L2 terms and decoder rule as the paper's rule. Since E is
 * mostly of one sign (the MSE objective is ≤ 0), this drives weights along the mean coactivation
 * rather than its task-related fluctuations: it shows what the baseline is for.
 */
import type { PlasticityRule } from "../rule.js"
import { clampedObjective, computeCurrents, decoderRule } from "../step.js"
import type { Workspace } from "../workspace.js"

function update(ws: Workspace, learn: boolean): void {
  if (learn) {
    const { N, inputDim, rates, input, weights, inputWeights, biases } = ws
    const { stepWeights, stepBiases, stepInputWeights, weightL2, biasL2, inputWeightL2 } = ws
    const E = clampedObjective(ws)
    for (let i = 0; i < N; i++) {
      const ri = rates[i]!
      const row = i * N
      for (let j = 0; j < N; j++) {
        const w = weights[row + j]!
        weights[row + j] = w + stepWeights * (E * (ri * rates[j]!) - weightL2 * w)
      }
      const b = biases[i]!
      biases[i] = b + stepBiases * (E * ri - biasL2 * b)
      const rowIn = i * inputDim
      for (let k = 0; k < inputDim; k++) {
        const c = inputWeights[rowIn + k]!
        inputWeights[rowIn + k] = c + stepInputWeights * (E * (ri * input[k]!) - inputWeightL2 * c)
      }
    }
    decoderRule(ws)
  }
  computeCurrents(ws)
}

export const noBaseline: PlasticityRule = {
  id: "no-baseline",
  module: import.meta.url,
  description: "Ablation: ΔW = E·r rᵀ − λ·W (likewise b, C), the paper's rule without the running-average baseline.",
  update
}
