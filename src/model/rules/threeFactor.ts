/**
 * `three-factor` (default): the paper's rule, objective × (coactivation − its running average),
 * reference README §4.1(h)–(i) with the decoder rule of §4.3:
 *
 *   ΔW = E·(r rᵀ − Ā_rr) − λ_W·W,  Δb = E·(r − Ā_r) − λ_b·b,  ΔC = E·(r sᵀ − Ā_rs) − λ_C·C,
 *   P ← P + ((dt·A)·η_P)·ΔP,  E = objective of the clamped rate r = r_t, s = s_t.
 *
 * Speed: the averaging (h), the updates of W, b, C (i) and the next step's currents W·r, C·s are
 * one pass over each matrix (each entry is read and written once); every expression keeps the
 * reference's operation order, only the loops are fused.
 */
import type { PlasticityRule } from "../rule.js"
import { clampedObjective, computeCurrents, decoderRule, updateAverages } from "../step.js"
import type { Workspace } from "../workspace.js"

function update(ws: Workspace, learn: boolean): void {
  if (!learn) {
    updateAverages(ws)
    computeCurrents(ws)
    return
  }
  const { N, inputDim, rates, input, weights, inputWeights, biases, averageRR, averageR, averageRS } = ws
  const { recurrent, inputCurrent, rho, oneMinusRho, stepWeights, stepBiases, stepInputWeights } = ws
  const { weightL2, biasL2, inputWeightL2 } = ws
  // §4.2 E with the pre-update decoder (also leaves D·r for the decoder rule).
  const E = clampedObjective(ws)
  for (let i = 0; i < N; i++) {
    const ri = rates[i]!
    // §4.1(h) Ā_rr ← (1−ρ)·Ā_rr + ρ·(r rᵀ); (i) W ← W + ((dt·A)·η_W)·(E·(r rᵀ − Ā_rr) − λ_W·W); W·r.
    const row = i * N
    let recurrentSum = 0
    for (let j = 0; j < N; j++) {
      const k = row + j
      const rj = rates[j]!
      const coactivation = ri * rj
      const average = oneMinusRho * averageRR[k]! + rho * coactivation
      averageRR[k] = average
      const w = weights[k]!
      const updated = w + stepWeights * (E * (coactivation - average) - weightL2 * w)
      weights[k] = updated
      recurrentSum += updated * rj
    }
    recurrent[i] = recurrentSum
    // §4.1(h) Ā_r; (i) b ← b + ((dt·A)·η_b)·(E·(r − Ā_r) − λ_b·b).
    const averageRi = oneMinusRho * averageR[i]! + rho * ri
    averageR[i] = averageRi
    const b = biases[i]!
    biases[i] = b + stepBiases * (E * (ri - averageRi) - biasL2 * b)
    // §4.1(h) Ā_rs; (i) C ← C + ((dt·A)·η_C)·(E·(r sᵀ − Ā_rs) − λ_C·C); C·s.
    const rowIn = i * inputDim
    let inputSum = 0
    for (let k = 0; k < inputDim; k++) {
      const m = rowIn + k
      const sk = input[k]!
      const coactivation = ri * sk
      const average = oneMinusRho * averageRS[m]! + rho * coactivation
      averageRS[m] = average
      const c = inputWeights[m]!
      const updated = c + stepInputWeights * (E * (coactivation - average) - inputWeightL2 * c)
      inputWeights[m] = updated
      inputSum += updated * sk
    }
    inputCurrent[i] = inputSum
  }
  // §4.3 decoder rule, last.
  decoderRule(ws)
}

export const threeFactor: PlasticityRule = {
  id: "three-factor",
  module: import.meta.url,
  description:
    "The paper's rule: ΔW = E·(r rᵀ − Ā_rr) − λ·W (likewise b, C), E the task objective, Ā running averages.",
  update
}
