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
import { learnBiases } from "../kernels/reference.js"
import type { PlasticityRule } from "../rule.js"
import { clampedObjective, computeCurrents, decoderRule, updateAverages } from "../step.js"
import type { Workspace } from "../workspace.js"

function update(ws: Workspace, learn: boolean): void {
  if (!learn) {
    updateAverages(ws)
    computeCurrents(ws)
    return
  }
  // §4.2 E with the pre-update decoder (also leaves D·r and p for the decoder rule).
  const E = clampedObjective(ws)
  // §4.1(h)–(i) W, b, C and their averages, with W·r and C·s for the next step; then §4.3 D.
  if (ws.fusedLearning) ws.kernels.learnThreeFactor(ws.rates, ws.input, E, ws.learning)
  else learnInParts(ws, E)
}

/**
 * The same learning step as the fused kernel, in parts, for the switches it does not cover
 * (normalizeOutput §9.4, decoderFixed §9.5): W and C through the kernels' learnMatrix, b through
 * `learnBiases` (so the same bits as kernels/reference.ts `learnThreeFactor`); then the
 * decoder rule of step.ts, which reads those switches.
 */
function learnInParts(ws: Workspace, E: number): void {
  const { N, inputDim, rates, input, rho, oneMinusRho, kernels } = ws
  const { stepWeights: sW, stepBiases: sB, stepInputWeights: sC, weightL2, biasL2, inputWeightL2 } = ws
  kernels.learnMatrix(
    ws.weights,
    ws.averageRR,
    rates,
    rates,
    N,
    N,
    rho,
    1 - sW * weightL2,
    sW * E * oneMinusRho,
    ws.recurrent
  )
  learnBiases(ws.biases, ws.averageR, rates, N, rho, 1 - sB * biasL2, sB * E * oneMinusRho)
  const decayC = 1 - sC * inputWeightL2
  kernels.learnMatrix(
    ws.inputWeights,
    ws.averageRS,
    rates,
    input,
    N,
    inputDim,
    rho,
    decayC,
    sC * E * oneMinusRho,
    ws.inputCurrent
  )
  decoderRule(ws)
}

export const threeFactor: PlasticityRule = {
  id: "three-factor",
  module: import.meta.url,
  description:
    "The paper's rule: ΔW = E·(r rᵀ − Ā_rr) − λ·W (likewise b, C), E the task objective, Ā running averages.",
  update
}
