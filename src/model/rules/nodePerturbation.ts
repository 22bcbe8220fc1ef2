/**
 * `node-perturbation`: noise × (objective − its running average), the node-perturbation /
 * REINFORCE rule of Fiete & Seung (2006, "Gradient learning in spiking neural networks by
 * dynamic perturbation of conductances", PRL 97:048104) and Miconi (2017, eLife 6:e20899):
 *
 *   ΔW_ij = (E − Ē)·ν_i·r_j(t−1) − λ_W·W_ij,   ΔC_ik = (E − Ē)·ν_i·s_k(t−1) − λ_C·C_ik,
 *   Δb_i  = (E − Ē)·ν_i − λ_b·b_i,
 *
 * where ν_i = σ·ξ_i(t) is the noise injected into neuron i at step t (§4.1(c)), r(t−1), s(t−1)
 * the presynaptic rate and input that drove that step, E the objective of the clamped rate r_t and
 * Ē ← (1 − θ_obj)·Ē + θ_obj·E its running average (starting each trial at the first E). The usual
 * 1/σ² normalisation is absorbed into the learning rates (the same η as the paper's rule). The
 * decoder learns with the paper's decoder rule (§4.3).
 */
import type { PlasticityRule } from "../rule.js"
import { clampedObjective, computeCurrents, decoderRule, updateObjectiveAverage } from "../step.js"
import type { Workspace } from "../workspace.js"

function update(ws: Workspace, learn: boolean): void {
  const E = clampedObjective(ws)
  const baseline = updateObjectiveAverage(ws, E)
  if (learn) {
    const { N, inputDim, previousRates, previousInput, noise, sigma, weights, inputWeights, biases } = ws
    const { stepWeights, stepBiases, stepInputWeights, weightL2, biasL2, inputWeightL2 } = ws
    const factor = E - baseline
    for (let i = 0; i < N; i++) {
      const eligibility = factor * (sigma * noise[i]!)
      const row = i * N
      for (let j = 0; j < N; j++) {
        const w = weights[row + j]!
        weights[row + j] = w + stepWeights * (eligibility * previousRates[j]! - weightL2 * w)
      }
      const b = biases[i]!
      biases[i] = b + stepBiases * (eligibility - biasL2 * b)
      const rowIn = i * inputDim
      for (let k = 0; k < inputDim; k++) {
        const c = inputWeights[rowIn + k]!
        inputWeights[rowIn + k] = c + stepInputWeights * (eligibility * previousInput[k]! - inputWeightL2 * c)
      }
    }
    decoderRule(ws)
  }
  computeCurrents(ws)
}

export const nodePerturbation: PlasticityRule = {
  id: "node-perturbation",
  module: import.meta.url,
  description:
    "Node perturbation (Fiete & Seung 2006): ΔW_ij = (E − Ē)·ν_i·r_j(t−1) − λ·W_ij, ν the injected noise (likewise b, C).",
  update
}
