/**
 * `recurrent-only` (the README's worked example of a new rule): the paper's three-factor rule
 * on the recurrent weights and the decoder only; the input weights C and the biases b stay at
 * their initial values. It asks how much of the learned code the recurrence carries by itself.
 *
 *   ΔW = E·(r rᵀ − Ā_rr) − λ_W·W    (§4.1(i), W only),   ΔD as in §4.3
 */
import type { PlasticityRule } from "../rule.js"
import { clampedObjective, computeCurrents, decoderRule, updateAverages } from "../step.js"
import type { Workspace } from "../workspace.js"

function update(ws: Workspace, learn: boolean): void {
  // §4.1(h) the running averages, on every step.
  updateAverages(ws)
  if (learn) {
    const { N, rates, weights, averageRR, stepWeights, weightL2 } = ws
    // §4.2 E of the clamped rate, with the decoder as it is at the start of the step.
    const E = clampedObjective(ws)
    // §4.1(i) W ← W + η_W·(E·(r rᵀ − Ā_rr) − λ_W·W); C and b are left alone.
    for (let i = 0; i < N; i++) {
      const ri = rates[i]!
      const row = i * N
      for (let j = 0; j < N; j++) {
        const w = weights[row + j]!
        weights[row + j] = w + stepWeights * (E * (ri * rates[j]! - averageRR[row + j]!) - weightL2 * w)
      }
    }
    // §4.3 the decoder rule, last.
    decoderRule(ws)
  }
  // The next step's currents W·r and C·s with the updated W.
  computeCurrents(ws)
}

export const recurrentOnly: PlasticityRule = {
  id: "recurrent-only",
  module: import.meta.url,
  description: "Example: the three-factor rule on W and the decoder only; C and b frozen.",
  update
}
