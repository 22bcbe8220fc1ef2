/**
 * `three-factor` (default): the paper's rule, objective × (coactivation − its running average),
 * reference README §4.1(h)–(i) with the decoder rule of §4.3:
 *
 *   ΔW = E·(r rᵀ − Ā_rr) − λ_W·W,  Δb = E·(r − Ā_r) − λ_b·b,  ΔC = E·(r sᵀ − Ā_rs) − λ_C·C,
 *   P ← P + ((dt·A)·η_P)·ΔP,  E = objective of the clamped rate r = r_t, s = s_t.
 *
 * Speed: the averaging (h), the updates of W, b, C (i) and the next step's currents W·r, C·s are
 * one pass over each matrix (each entry is read and written once), in a rearranged but
 * algebraically identical form (see `learnMatrix`); conformance stays at the round-off floor.
 */
import type { PlasticityRule } from "../rule.js"
import { clampedObjective, computeCurrents, decoderRule, updateAverages } from "../step.js"
import type { Workspace } from "../workspace.js"

/**
 * One matrix of §4.1(h)–(i) fused with the next step's current, for P = W (pre = r) or P = C
 * (pre = s), post = r:
 *   δ = post_i·pre_j − Ā_ij;  Ā_ij ← Ā_ij + ρ·δ;  P_ij ← decay·P_ij + gain·δ;  current_i = Σ_j P_ij·pre_j.
 * This is the reference's Ā ← (1−ρ)·Ā + ρ·X, ΔP = E·(X − Ā) − λ·P, P ← P + s·ΔP rearranged
 * (X − Ā_new = (1−ρ)·δ, so gain = s·E·(1−ρ) and decay = 1 − s·λ): equal up to round-off, with 9
 * instead of 12 flops per entry. Four rows at a time share the pre loads and hide the add latency
 * of the four current sums (each still summed j = 0 … cols−1 in order).
 */
function learnMatrix(
  P: Float64Array,
  average: Float64Array,
  post: Float64Array,
  pre: Float64Array,
  rows: number,
  cols: number,
  rho: number,
  decay: number,
  gain: number,
  current: Float64Array
): void {
  let i = 0
  for (; i + 3 < rows; i += 4) {
    const q0 = post[i]!
    const q1 = post[i + 1]!
    const q2 = post[i + 2]!
    const q3 = post[i + 3]!
    const row = i * cols
    let c0 = 0
    let c1 = 0
    let c2 = 0
    let c3 = 0
    for (let j = 0; j < cols; j++) {
      const pj = pre[j]!
      let k = row + j
      let a = average[k]!
      let d = q0 * pj - a
      average[k] = a + rho * d
      let p = decay * P[k]! + gain * d
      P[k] = p
      c0 += p * pj
      k += cols
      a = average[k]!
      d = q1 * pj - a
      average[k] = a + rho * d
      p = decay * P[k]! + gain * d
      P[k] = p
      c1 += p * pj
      k += cols
      a = average[k]!
      d = q2 * pj - a
      average[k] = a + rho * d
      p = decay * P[k]! + gain * d
      P[k] = p
      c2 += p * pj
      k += cols
      a = average[k]!
      d = q3 * pj - a
      average[k] = a + rho * d
      p = decay * P[k]! + gain * d
      P[k] = p
      c3 += p * pj
    }
    current[i] = c0
    current[i + 1] = c1
    current[i + 2] = c2
    current[i + 3] = c3
  }
  for (; i < rows; i++) {
    const q = post[i]!
    const row = i * cols
    let c = 0
    for (let j = 0; j < cols; j++) {
      const pj = pre[j]!
      const k = row + j
      const a = average[k]!
      const d = q * pj - a
      average[k] = a + rho * d
      const p = decay * P[k]! + gain * d
      P[k] = p
      c += p * pj
    }
    current[i] = c
  }
}

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
  learnMatrix(weights, averageRR, rates, rates, N, N, rho, 1 - sW * ws.weightL2, sW * E * oneMinusRho, recurrent)
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
  learnMatrix(inputWeights, averageRS, rates, input, N, inputDim, rho, decayC, sC * E * oneMinusRho, inputCurrent)
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
