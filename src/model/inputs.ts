/**
 * The stimulus and the input it evokes (reference README §3): preferred angles, the ReLU
 * projection s(θ), the Langevin von Mises chain of the training trials and the fixed test schedule.
 */
import { type ModelParams, steps, stimuliPerTrial, switchSteps } from "./params.js"
import { paths, stream } from "./random.js"

/**
 * §3.1 preferred angles exactly as numpy's `arange(−π, π, 2π/n)`: a_k = −π + k·δ with
 * δ = (−π + 2π/n) − (−π) in doubles (one ulp below 2π/12 for n = 12, so a_6 = −8.88e-16).
 */
export function preferredAngles(n = 12): Float64Array {
  const start = -Math.PI
  const delta = start + (2 * Math.PI) / n - start
  const count = Math.ceil((Math.PI - start) / ((2 * Math.PI) / n))
  const out = new Float64Array(count)
  for (let k = 0; k < count; k++) out[k] = start + k * delta
  return out
}

/** The projection P: row k = (cos a_k, sin a_k), flat [cos a_0, sin a_0, cos a_1, …]. */
export function projection(angles: Float64Array = preferredAngles()): Float64Array {
  const out = new Float64Array(angles.length * 2)
  for (let k = 0; k < angles.length; k++) {
    out[2 * k] = Math.cos(angles[k]!)
    out[2 * k + 1] = Math.sin(angles[k]!)
  }
  return out
}

const defaultProjection = projection()

/** §3.1 s(θ) = max(0, P·(cos θ, sin θ)) into out[offset … offset+inputDim−1]; returns out. */
export function inputFromAngle(theta: number, out: Float64Array, offset = 0, P: Float64Array = defaultProjection) {
  const c = Math.cos(theta)
  const s = Math.sin(theta)
  const n = P.length >> 1
  for (let k = 0; k < n; k++) {
    const x = P[2 * k]! * c + P[2 * k + 1]! * s
    out[offset + k] = Math.max(0, x)
  }
  return out
}

/**
 * §3.2 the Langevin von Mises chain: θ_0 given, then for t = 1 … S−1
 * θ' = (θ + ((κ·(−1))·sin(θ − μ))·σ_s²·dt) + σ_s·η[t], wrapped once each side by strict tests.
 * `eta[t]` are normal(0, √dt) draws (eta[0] unused). Writes θ_t into out[0 … S−1].
 */
export function langevinAngles(
  params: Pick<ModelParams, "kappaIn" | "muIn" | "sigmaSampler" | "dt">,
  theta0: number,
  eta: ArrayLike<number>,
  out: Float64Array
): Float64Array {
  const { kappaIn, muIn, sigmaSampler, dt } = params
  const sigma2 = sigmaSampler * sigmaSampler
  const negKappa = kappaIn * -1
  let theta = theta0
  out[0] = theta
  for (let t = 1; t < out.length; t++) {
    const dTheta = negKappa * Math.sin(theta - muIn) * sigma2
    let next = theta + dTheta * dt + sigmaSampler * eta[t]!
    if (next < -Math.PI) next = Math.PI + (next + Math.PI)
    if (next > Math.PI) next = -Math.PI + (next - Math.PI)
    out[t] = theta = next
  }
  return out
}

/**
 * The training angles θ_0 … θ_{S−1} of one trial (§3.2), from stream `train/trial/<trial>/angle`:
 * θ_0 = vonMises(μ, κ), then η[t] = normal(0, √dt) for t = 1 … S−1 in order.
 */
export function sampleTrainingAngles(
  params: Pick<ModelParams, "dt" | "trialSeconds" | "muIn" | "kappaIn" | "sigmaSampler">,
  seed: number,
  trial: number
): Float64Array {
  const S = steps(params)
  const rng = stream(seed, paths.trainAngle(trial))
  const theta0 = rng.vonMises(params.muIn, params.kappaIn)
  const eta = new Float64Array(S)
  rng.fillNormal(eta, Math.sqrt(params.dt), 1)
  return langevinAngles(params, theta0, eta, new Float64Array(S))
}

/**
 * §3.3 the fixed test schedule: `trials × stimNum` angles drawn uniformly from the preferred
 * angles (stream `test/schedule`), row-major (trial-major).
 */
export function sampleTestSchedule(
  params: Pick<ModelParams, "inputDim" | "trialSeconds" | "switchSeconds">,
  seed: number,
  trials: number
): Float64Array {
  const angles = preferredAngles(params.inputDim)
  const perTrial = stimuliPerTrial(params)
  const rng = stream(seed, paths.testSchedule)
  const out = new Float64Array(trials * perTrial)
  for (let k = 0; k < out.length; k++) out[k] = angles[rng.index(angles.length)]!
  return out
}

/**
 * §3.3 expands one trial's stimuli (stimNum angles) to θ per step: presentation k covers steps
 * k·P_sw … (k+1)·P_sw − 1. Steps past stimNum·P_sw (only when P_sw does not divide S, where the
 * reference would fail) keep the last stimulus.
 */
export function scheduleToAngles(
  params: Pick<ModelParams, "trialSeconds" | "switchSeconds" | "dt">,
  trialStimuli: ArrayLike<number>,
  out: Float64Array = new Float64Array(steps(params))
): Float64Array {
  const hold = switchSteps(params)
  const last = trialStimuli.length - 1
  for (let t = 0; t < out.length; t++) out[t] = trialStimuli[Math.min(last, Math.floor(t / hold))]!
  return out
}
