/**
 * The dynamics step, reference README §4.1 (a)–(g), and the kernels the plasticity rules share
 * for (h)–(i). `step(ws, t)` allocates nothing and creates no closures; learning is delegated to
 * `ws.rule.update` in training mode, and test mode only refreshes the currents of the next step
 * (averages and learning cannot affect a test trial's result).
 *
 * Speed notes (the conformance tolerance 1e-10 allows them, README §8): r/β is computed as
 * r·(1/β); log(exp(x) − 1) is replaced by x where exp(−x) is below round-off (x > 40); the
 * currents W·r_t and C·s_t for step t+1 are computed at the end of step t (fused into the
 * three-factor rule's weight-update loop). The noise, the per-neuron integration and the N×N work
 * run in the workspace's kernels (kernels/: WebAssembly SIMD compiled from AssemblyScript, defined
 * by the plain TypeScript of kernels/reference.ts).
 *
 * The reference's switches (README §9; params `annealed`, `inputNoise`, `normalizeOutput`,
 * `decoderFixed`, `nonlinearity`): the nonlinearity's inverse runs in the integration kernel; the
 * input noise adds C·(s_{t−1} + ν_t) here ({@link addInputNoise}); normalizeOutput changes the
 * recorded objective here and {@link clampedObjective} / {@link decoderRule}; decoderFixed is
 * {@link decoderRule}'s; the annealed learning steps are set per trial (Workspace.startTrial).
 */
import { decoderStep } from "./kernels/reference.js"
import { inverseNonlinearity } from "./nonlinearity.js"
import { computeCurrents, type Workspace } from "./workspace.js"

/**
 * One step t ≥ 1 of §4.1: (a) input s_t from θ_t, (b) leak, (c) Euler–Maruyama update with the
 * previous input's current, (d) output from the unclamped rate, (e) target, (f) recorded objective,
 * (g) clamp; then (h)–(i) through the rule in training mode, or the next step's currents in test mode.
 */
export function step(ws: Workspace, t: number): void {
  const { N, targetDim, target, output, projection, noise } = ws
  const previous = ws.rates
  const next = ws.previousRates

  // §4.1(a) θ_t, s_t and (e) y_t; recomputed only when θ changes (test stimuli are held).
  const theta = ws.angles[t]!
  if (theta !== ws.theta || theta !== ws.targetTheta) {
    const c = Math.cos(theta)
    const s = Math.sin(theta)
    if (theta !== ws.theta) {
      const fresh = ws.previousInput
      ws.previousInput = ws.input
      ws.input = fresh
      const inputDim = ws.inputDim
      for (let k = 0; k < inputDim; k++) {
        const x = projection[2 * k]! * c + projection[2 * k + 1]! * s
        fresh[k] = Math.max(0, x)
      }
      ws.theta = theta
      ws.inputStale = true
    }
    // §4.1(e) target: estimation (cos θ, sin θ); classifier 1 if θ ≥ thresh or θ ≤ thresh_rev.
    if (ws.classification) target[0] = theta >= ws.thetaThresh || theta <= ws.thetaThreshRev ? 1 : 0
    else {
      target[0] = c
      target[1] = s
    }
    ws.targetTheta = theta
  } else if (ws.inputStale) {
    ws.previousInput.set(ws.input)
    ws.inputStale = false
  }

  // ξ[:, t]
  ws.noiseSource.fill(noise, t)
  // §9.3 with input noise, this step's input current is C·(s_{t−1} + ν_t) instead of C·s_{t−1}.
  if (ws.inputNoiseSigma > 0) addInputNoise(ws, t)

  // §4.1(b)–(d), (g): the leak, currents, noise and clamp of every neuron, with o = D·r^u and D·r_t.
  ws.kernels.integrate(previous, next, ws.integration)
  ws.rates = next
  ws.previousRates = previous

  // §4.1(d) o_t (classifier: logistic with gain, no bias) and (f) the recorded objective of r^u
  // (§9.4 with normalizeOutput: of D·(r^u/‖r^u‖); o_t stays D·r^u).
  let objective = 0
  if (ws.normalizeOutput) decodeNormalized(ws, ws.unclamped, ws.normalizedOutput)
  for (let o = 0; o < targetDim; o++) {
    const z = output[o]!
    if (ws.classification) {
      const p = 1 / (1 + Math.exp(-ws.decoderGain * z))
      output[o] = p
      objective += logLikelihood(p, target[o]!, ws.probabilityClip)
    } else {
      const e = target[o]! - (ws.normalizeOutput ? ws.normalizedOutput[o]! : z)
      objective -= e * e
    }
  }
  ws.objective = objective

  // §4.1(h)–(i) in training mode (the rule also refreshes the currents); test mode: currents only.
  // (With input noise the next step computes its own input current.)
  if (ws.train) ws.rule.update(ws, t * ws.dt > ws.transientSeconds)
  else {
    ws.kernels.matVec(ws.weights, next, N, N, ws.recurrent)
    if (ws.inputCurrentTheta !== theta && ws.inputNoiseSigma === 0) computeCurrents(ws)
  }
}

/**
 * §9.3 ν_t from the workspace's input-noise source, and the input current C·(s_{t−1} + ν_t) of
 * step t (the elementwise sum first, then one matrix–vector product, as the reference). The
 * recorded input, the averages, the rules and the target keep the noise-free s.
 */
export function addInputNoise(ws: Workspace, t: number): void {
  const { inputDim, inputNoise, noisyInput, previousInput } = ws
  ws.inputNoiseSource.fill(inputNoise, t)
  for (let k = 0; k < inputDim; k++) noisyInput[k] = previousInput[k]! + inputNoise[k]!
  ws.kernels.matVec(ws.inputWeights, noisyInput, ws.N, inputDim, ws.inputCurrent)
}

/**
 * §9.4 r̂ = r/‖r‖ (‖r‖ = √(r·r), summed in order) into ws.normalizedRates, and out = D·r̂ (each
 * output summed i = 0 … N−1 in order): what the estimation objective and decoder rule read with
 * normalizeOutput.
 */
export function decodeNormalized(ws: Workspace, rates: Float64Array, out: Float64Array): void {
  const { N, targetDim, decoder, normalizedRates } = ws
  let squares = 0
  for (let i = 0; i < N; i++) squares += rates[i]! * rates[i]!
  const norm = Math.sqrt(squares)
  for (let i = 0; i < N; i++) normalizedRates[i] = rates[i]! / norm
  for (let o = 0; o < targetDim; o++) {
    const row = o * N
    let acc = 0
    for (let i = 0; i < N; i++) acc += decoder[row + i]! * normalizedRates[i]!
    out[o] = acc
  }
}

/** §4.2 classifier objective: clip p to [c, 1 − c], then y·log(p) + (1 − y)·log(1 − p) (y ∈ {0, 1}). */
export function logLikelihood(p: number, y: number, clip: number): number {
  if (p < clip) p = clip
  else if (1 - p < clip) p = 1 - clip
  if (y === 1) return Math.log(p)
  if (y === 0) return Math.log(1 - p)
  return y * Math.log(p) + (1 - y) * Math.log(1 - p)
}

/**
 * §4.2 E_t, the objective of the clamped rate r_t, for the rules' third factor, from ws.decoded =
 * D·r_t (computed by the step with the decoder as it was at the start of the step). Also leaves
 * (classifier) ws.probability = logistic(D·r_t), unclipped, for the decoder rule (§4.3). With
 * normalizeOutput (§9.4, estimation) ws.decoded becomes D·r̂_t, r̂_t = r_t/‖r_t‖ (ws.normalizedRates).
 */
export function clampedObjective(ws: Workspace): number {
  const { targetDim, decoded, probability, target } = ws
  if (ws.normalizeOutput) decodeNormalized(ws, ws.rates, decoded)
  let objective = 0
  for (let o = 0; o < targetDim; o++) {
    const z = decoded[o]!
    if (ws.classification) {
      const p = 1 / (1 + Math.exp(-ws.decoderGain * z))
      probability[o] = p
      objective += logLikelihood(p, target[o]!, ws.probabilityClip)
    } else {
      const e = target[o]! - z
      objective -= e * e
    }
  }
  ws.modulator = objective
  return objective
}

/** §4.1(h) the sliding averages Ā_rr, Ā_r, Ā_rs ← (1−ρ)·Ā + ρ·X of r_t rᵀ_t, r_t, r_t sᵀ_t. */
export function updateAverages(ws: Workspace): void {
  const { N, inputDim, rates, input, averageRR, averageR, averageRS, rho, oneMinusRho } = ws
  for (let i = 0; i < N; i++) {
    const ri = rates[i]!
    const row = i * N
    for (let j = 0; j < N; j++) averageRR[row + j] = oneMinusRho * averageRR[row + j]! + rho * (ri * rates[j]!)
    averageR[i] = oneMinusRho * averageR[i]! + rho * ri
    const rowIn = i * inputDim
    for (let k = 0; k < inputDim; k++)
      averageRS[rowIn + k] = oneMinusRho * averageRS[rowIn + k]! + rho * (ri * input[k]!)
  }
}

/**
 * Ē ← (1 − θ_obj)·Ē + θ_obj·E (the first value of a trial starts the average at E itself);
 * returns the updated Ē. Used by the rules with a reward baseline.
 */
export function updateObjectiveAverage(ws: Workspace, objective: number): number {
  const previous = ws.objectiveAverage
  const average = !Number.isNaN(previous) ? (1 - ws.thetaObj) * previous + ws.thetaObj * objective : objective
  ws.objectiveAverage = average
  return average
}

/**
 * §4.3 the decoder rule, D ← D + ((dt·A)·η_D)·ΔD with λ_W as its L2 (quirk 5):
 * estimation ΔD = (−1·(D r − y)) rᵀ − λ_W·D; classifier ΔD = ((y − p)·r)·gain − λ_W·D, p unclipped.
 * Needs ws.decoded / ws.probability from {@link clampedObjective} of this step. With
 * normalizeOutput (§9.4, estimation) r is r̂ = r/‖r‖ there too; with decoderFixed (§9.5) D is left
 * as it is (the reference evaluates ΔD and discards it, which changes nothing).
 */
export function decoderRule(ws: Workspace): void {
  if (ws.decoderFixed) return
  const { decoder, decoded, probability, target, N, targetDim, classification } = ws
  decoderStep(
    decoder,
    ws.normalizeOutput ? ws.normalizedRates : ws.rates,
    decoded,
    probability,
    target,
    N,
    targetDim,
    classification,
    ws.stepDecoder,
    ws.weightL2,
    ws.decoderGain
  )
}

export { computeCurrents, inverseNonlinearity }
