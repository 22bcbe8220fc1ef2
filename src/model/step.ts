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
import { inverseNonlinearity } from "./nonlinearity.js"
import { logLikelihood } from "./tasks/objectives.js"
import { computeCurrents, type Workspace } from "./workspace.js"

/**
 * One step t ≥ 1 of §4.1: (a) input s_t (from θ_t, or fed back, §10.4), (b) leak, (c)
 * Euler–Maruyama update with the previous input's current, (d) output from the unclamped rate,
 * (e) target, (f) recorded objective, (g) clamp; then (h)–(i) through the rule in training mode,
 * or the next step's currents in test mode. (d)–(f) are the task's (`ws.taskStep`).
 */
export function step(ws: Workspace, t: number): void {
  const { N, noise } = ws
  const previous = ws.rates
  const next = ws.previousRates

  // §4.1(a) s_t and (e) y_t.
  const theta = ws.angles[t]!
  if (ws.feedback) feedBack(ws)
  else if (theta !== ws.theta) {
    // A new stimulus angle: s_t = max(0, P·(cos θ, sin θ)), recomputed only when θ changes (test
    // stimuli are held).
    const c = Math.cos(theta)
    const s = Math.sin(theta)
    const fresh = ws.previousInput
    ws.previousInput = ws.input
    ws.input = fresh
    const { inputDim, projection } = ws
    for (let k = 0; k < inputDim; k++) {
      const x = projection[2 * k]! * c + projection[2 * k + 1]! * s
      fresh[k] = Math.max(0, x)
    }
    ws.inputSerial += 1
    ws.theta = theta
    ws.inputStale = true
    if (theta !== ws.targetTheta) setTarget(ws, theta, c, s)
  } else if (ws.inputStale) {
    ws.previousInput.set(ws.input)
    ws.inputStale = false
  }
  if (theta !== ws.targetTheta) setTarget(ws, theta, Math.cos(theta), Math.sin(theta))

  // ξ[:, t]
  ws.noiseSource.fill(noise, t)
  // §9.3 with input noise, this step's input current is C·(s_{t−1} + ν_t) instead of C·s_{t−1}.
  if (ws.inputNoiseSigma > 0) addInputNoise(ws, t)

  // §4.1(b)–(d), (g): the leak, currents, noise and clamp of every neuron, with D·r^u and D·r_t.
  ws.kernels.integrate(previous, next, ws.integration)
  ws.rates = next
  ws.previousRates = previous

  // §4.1(d) o_t from D·r^u_t and (f) the recorded objective of r^u_t: the task's.
  ws.objective = ws.taskStep.record()

  // §4.1(h)–(i) in training mode (the rule also refreshes the currents); test mode: currents only
  // (C·s again only when s changed; with input noise the next step computes its own).
  if (ws.train) ws.rule.update(ws, t * ws.dt > ws.transientSeconds)
  else {
    ws.kernels.matVec(ws.weights, next, N, N, ws.recurrent)
    if (ws.currentSerial !== ws.inputSerial && ws.inputNoiseSigma === 0) computeCurrents(ws)
  }
}

/** §4.1(e) y_t of the task for θ_t (with its cosine and sine). */
function setTarget(ws: Workspace, theta: number, c: number, s: number): void {
  ws.taskStep.target(theta, c, s)
  ws.targetTheta = theta
}

/**
 * §10.4(a) s_t = D·r_{t−1}: the decoder applied to the stored, clamped rate of the previous step
 * (each output summed i = 0 … N−1 in order); s_{t−1} moves to previousInput.
 */
function feedBack(ws: Workspace): void {
  const { N, targetDim, decoder } = ws
  const rates = ws.rates
  const fresh = ws.previousInput
  ws.previousInput = ws.input
  ws.input = fresh
  for (let o = 0; o < targetDim; o++) {
    const row = o * N
    let acc = 0
    for (let i = 0; i < N; i++) acc += decoder[row + i]! * rates[i]!
    fresh[o] = acc
  }
  ws.inputSerial += 1
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

/**
 * §4.2 E_t, the objective of the clamped rate r_t, for the rules' third factor: the task's
 * `modulator`, from ws.decoded = D·r_t (computed by the step with the decoder as it was at the
 * start of the step). It leaves in the workspace what the task's decoder rule reads (e.g. p =
 * logistic(D·r_t), unclipped, in ws.probability; with normalizeOutput, D·r̂_t in ws.decoded).
 */
export function clampedObjective(ws: Workspace): number {
  return ws.taskStep.modulator()
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
 * §4.3 the task's decoder rule, D ← D + ((dt·A)·η_D)·ΔD with λ_W as its L2 (quirk 5), after
 * {@link clampedObjective} of this step. With decoderFixed (§9.5) D is left as it is (the
 * reference evaluates ΔD and discards it, which changes nothing); a task without a decoder rule
 * (BCI) leaves it too.
 */
export function decoderRule(ws: Workspace): void {
  if (ws.decoderFixed) return
  ws.taskStep.decoderRule?.()
}

export { computeCurrents, inverseNonlinearity, logLikelihood }
