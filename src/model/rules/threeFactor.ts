/**
 * `three-factor` (default): the paper's rule, objective × (coactivation − its running average),
 * reference README §4.1(h)–(i) with the decoder rule of §4.3:
 *
 *   ΔW = E·(r rᵀ − Ā_rr) − λ_W·W,  Δb = E·(r − Ā_r) − λ_b·b,  ΔC = E·(r sᵀ − Ā_rs) − λ_C·C,
 *   P ← P + ((dt·A)·η_P)·ΔP,  E = objective of the clamped rate r = r_t, s = s_t.
 *
 * Speed: the averaging (h), the updates of W, b, C (i) and the next step's currents W·r, C·s are
 * one pass over each matrix (each entry is read and written once), in a rearranged but
 * algebraically identical form (`learnMatrix` of kernels/reference.ts, run by the workspace's
 * kernels); conformance stays at the round-off floor.
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
  const { recurrent, inputCurrent, rho, oneMinusRho } = ws
  // §4.2 E with the pre-update decoder (also leaves D·r for the decoder rule).
  const E = clampedObjective(ws)
  // §4.1(h)–(i) W and Ā_rr, with W·r for the next step.
  const sW = ws.stepWeights
  const kernels = ws.kernels
  kernels.learnMatrix(
    weights,
    averageRR,
    rates,
    rates,
    N,
    N,
    rho,
    1 - sW * ws.weightL2,
    sW * E * oneMinusRho,
    recurrent
  )
  // §4.1(h)–(i) b and Ā_r.
  const sB = ws.stepBiases
  const decayB = 1 - sB * ws.biasL2
  const gainB = sB * E * oneMinusRho
  for (let i = 0; i < N; i++) {
    const a = averageR[i]!
    const d = rates[i]! - a
    averageR[i] = a + rho * d
    biases[i] = decayB * biases[i]! + gainB * d
  }
  // §4.1(h)–(i) C and Ā_rs, with C·s for the next step.
  const sC = ws.stepInputWeights
  const decayC = 1 - sC * ws.inputWeightL2
  kernels.learnMatrix(
    inputWeights,
    averageRS,
    rates,
    input,
    N,
    inputDim,
    rho,
    decayC,
    sC * E * oneMinusRho,
    inputCurrent
  )
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
