import { assert, describe, it } from "vitest"
import { sampleTrainingAngles } from "../../src/model/inputs.js"
import { cloneNetwork, initNetwork } from "../../src/model/network.js"
import type { ModelParams } from "../../src/model/params.js"
import { stream } from "../../src/model/random.js"
import { getRule, ruleIds, rules } from "../../src/model/rules/index.js"
import { step } from "../../src/model/step.js"
import { defaultParams, getTask } from "../../src/model/tasks/index.js"
import { trainTrial } from "../../src/model/trialWorker.js"
import { streamNoise, Workspace } from "../../src/model/workspace.js"

// Learning from step 1 on (t·dt > 0), 3 s trials.
const p: ModelParams = { ...defaultParams("estimation"), trialSeconds: 3, transientSeconds: 0 }
const rng = stream(8, "init/weights")
const network = initNetwork(p, () => rng.uniformDouble())
const angles = sampleTrainingAngles(p, 8, 0)
const { N, inputDim: I } = p
const sW = p.dt * p.annealConst * p.learningRate
const sB = p.dt * p.annealConst * p.learningRateBias
const sC = p.dt * p.annealConst * p.learningRateInput
const sD = p.dt * p.annealConst * p.learningRateDecoder
const keep = 1 - p.rho

/** Runs steps 1 … k of a training trial of a rule; returns the state before and after step k. */
function stepsOf(ruleId: string, k: number, params: ModelParams = p) {
  const ws = new Workspace(params, cloneNetwork(network), getRule(ruleId), getTask(params.task))
  ws.startTrial(angles, streamNoise(stream(8, "train/trial/0/noise"), p.dt), true, 0)
  for (let t = 1; t < k; t++) step(ws, t)
  const before = {
    W: Float64Array.from(ws.weights),
    C: Float64Array.from(ws.inputWeights),
    b: Float64Array.from(ws.biases),
    D: Float64Array.from(ws.decoder),
    Arr: Float64Array.from(ws.averageRR),
    Ar: Float64Array.from(ws.averageR),
    Ars: Float64Array.from(ws.averageRS),
    objectiveAverage: ws.objectiveAverage
  }
  step(ws, k)
  return { ws, before, E: objectiveOf(ws.rates, before.D, angles[k]!) }
}

/**
 * The third factor computed here, not read from the workspace (§4.1(i), §4.2): the estimation
 * objective −‖y − D r‖² of the clamped rate r of step k, with the decoder D as it was before the
 * step's updates and the target y = (cos θ_k, sin θ_k).
 */
function objectiveOf(r: ArrayLike<number>, D: ArrayLike<number>, theta: number): number {
  const y = [Math.cos(theta), Math.sin(theta)]
  let E = 0
  for (let o = 0; o < 2; o++) {
    let dr = 0
    for (let i = 0; i < N; i++) dr += D[o * N + i]! * r[i]!
    E -= (y[o]! - dr) ** 2
  }
  return E
}

/** max |actual − expected| / max |expected| over the entries: the relative error of an update. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0
  let scale = 0
  for (let k = 0; k < expected.length; k++) {
    diff = Math.max(diff, Math.abs(actual[k]! - expected[k]!))
    scale = Math.max(scale, Math.abs(expected[k]!))
  }
  return diff / scale
}
const deltaOf = (after: Float64Array, before: Float64Array) => after.map((x, k) => x - before[k]!)

/** ΔP = factor·(X − Ā) − λP with the given coactivation X_ij = post_i·pre_j and baseline Ā. */
function expectedDelta(
  P: Float64Array,
  post: ArrayLike<number>,
  pre: ArrayLike<number>,
  cols: number,
  factor: (i: number) => number,
  baseline: ((m: number) => number) | undefined,
  lambda: number,
  stepSize: number
): Float64Array {
  return P.map((w, m) => {
    const i = Math.floor(m / cols)
    const x = post[i]! * pre[m % cols]!
    return stepSize * (factor(i) * (x - (baseline?.(m) ?? 0)) - lambda * w)
  })
}

/** The paper's decoder delta rule, D ← D + s_D·((−(D r − y)) rᵀ − λ_W D). */
function expectedDecoderDelta(ws: Workspace, D0: Float64Array): Float64Array {
  return D0.map((d, m) => {
    const o = Math.floor(m / N)
    let dr = 0
    for (let i = 0; i < N; i++) dr += D0[o * N + i]! * ws.rates[i]!
    return sD * (-(dr - ws.target[o]!) * ws.rates[m % N]! - p.weightL2 * d)
  })
}

describe("rule registry", () => {
  it("lists the paper's rule, the issue's four alternatives and the README example, each with its own module", () => {
    assert.deepStrictEqual(
      [...ruleIds],
      ["three-factor", "decoder-only", "no-baseline", "reward-baseline", "node-perturbation", "recurrent-only"]
    )
    const modules = new Set(ruleIds.map((id) => rules[id].module))
    assert.strictEqual(modules.size, ruleIds.length)
    assert.match(rules["three-factor"].module, /rules\/threeFactor\.(ts|js)$/)
    for (const id of ruleIds) assert.strictEqual(getRule(id).id, id)
    assert.throws(() => getRule("hebbian"), /unknown plasticity rule "hebbian".*three-factor, decoder-only/)
  })
})

describe("three-factor (the paper's rule, §4.1(h)–(i))", () => {
  it("updates Ā and W, b, C, D exactly as E·(coactivation − average) − λ·P", () => {
    const { ws, before, E } = stepsOf("three-factor", 6)
    const r = ws.rates
    const s = ws.input
    const Arr = before.Arr.map((a, m) => keep * a + p.rho * r[Math.floor(m / N)]! * r[m % N]!)
    const Ar = before.Ar.map((a, i) => keep * a + p.rho * r[i]!)
    const Ars = before.Ars.map((a, m) => keep * a + p.rho * r[Math.floor(m / I)]! * s[m % I]!)
    assert.isBelow(relativeError(ws.averageRR, Arr), 1e-14)
    assert.isBelow(relativeError(ws.averageR, Ar), 1e-14)
    assert.isBelow(relativeError(ws.averageRS, Ars), 1e-14)
    const dW = expectedDelta(
      before.W,
      r,
      r,
      N,
      () => E,
      (m) => Arr[m]!,
      p.weightL2,
      sW
    )
    assert.isBelow(relativeError(deltaOf(ws.weights, before.W), dW), 1e-6)
    const db = expectedDelta(
      before.b,
      r,
      [1],
      1,
      () => E,
      (i) => Ar[i]!,
      p.biasL2,
      sB
    )
    assert.isBelow(relativeError(deltaOf(ws.biases, before.b), db), 1e-6)
    const dC = expectedDelta(
      before.C,
      r,
      s,
      I,
      () => E,
      (m) => Ars[m]!,
      p.inputWeightL2,
      sC
    )
    assert.isBelow(relativeError(deltaOf(ws.inputWeights, before.C), dC), 1e-6)
    assert.isBelow(relativeError(deltaOf(ws.decoder, before.D), expectedDecoderDelta(ws, before.D)), 1e-6)
    // The check has power: the update without the baseline is measurably different.
    const dWNoBaseline = expectedDelta(before.W, r, r, N, () => E, undefined, p.weightL2, sW)
    assert.isAbove(relativeError(deltaOf(ws.weights, before.W), dWNoBaseline), 1e-3)
  })
})

describe("the third factor E (§4.1(i), quirk 1)", () => {
  // A decoder that learns fast enough for its own step to change E measurably.
  const fast: ModelParams = { ...p, learningRateDecoder: 0.02 }
  /** The first step k ≥ 2 at which some rate was clamped (r_t^u ≤ r_low), so that the clamp matters. */
  const clampedStep = (() => {
    for (let k = 2; k < 300; k++) {
      const { ws } = stepsOf("three-factor", k, fast)
      for (let i = 0; i < N; i++) if (ws.unclamped[i]! <= p.rLow) return k
    }
    throw new Error("no clamped rate in the first 300 steps")
  })()

  it("is the objective of the clamped rate under the decoder before the step", () => {
    const { ws, before, E } = stepsOf("three-factor", clampedStep, fast)
    const update = (factor: number) =>
      expectedDelta(
        before.W,
        ws.rates,
        ws.rates,
        N,
        () => factor,
        (m) => ws.averageRR[m]!,
        p.weightL2,
        sW
      )
    assert.isBelow(relativeError(deltaOf(ws.weights, before.W), update(E)), 1e-6)
    // The check has power (10× its tolerance): E of the unclamped rate, or under the updated decoder,
    // gives another update.
    const fromUnclamped = objectiveOf(ws.unclamped, before.D, angles[clampedStep]!)
    const fromUpdated = objectiveOf(ws.rates, ws.decoder, angles[clampedStep]!)
    assert.isAbove(relativeError(update(fromUnclamped), update(E)), 1e-5)
    assert.isAbove(relativeError(update(fromUpdated), update(E)), 1e-5)
  })
})

describe("alternative rules", () => {
  it("decoder-only leaves W, C, b bit-identical and trains the decoder", () => {
    const out = trainTrial(
      { network, params: p, ruleId: "decoder-only", seed: 8, trial: 0, angles },
      getRule("decoder-only"),
      getTask(p.task)
    )
    assert.deepStrictEqual(out.network.weights, network.weights)
    assert.deepStrictEqual(out.network.inputWeights, network.inputWeights)
    assert.deepStrictEqual(out.network.biases, network.biases)
    assert.notDeepEqual(out.network.decoder, network.decoder)
    const { ws, before } = stepsOf("decoder-only", 4)
    assert.isBelow(relativeError(deltaOf(ws.decoder, before.D), expectedDecoderDelta(ws, before.D)), 1e-6)
  })

  it("no-baseline updates by E·coactivation − λ·P and ends elsewhere than three-factor", () => {
    const { ws, before, E } = stepsOf("no-baseline", 6)
    const r = ws.rates
    const dW = expectedDelta(before.W, r, r, N, () => E, undefined, p.weightL2, sW)
    assert.isBelow(relativeError(deltaOf(ws.weights, before.W), dW), 1e-6)
    const dC = expectedDelta(before.C, r, ws.input, I, () => E, undefined, p.inputWeightL2, sC)
    assert.isBelow(relativeError(deltaOf(ws.inputWeights, before.C), dC), 1e-6)
    const db = expectedDelta(before.b, r, [1], 1, () => E, undefined, p.biasL2, sB)
    assert.isBelow(relativeError(deltaOf(ws.biases, before.b), db), 1e-6)
    const a = trainTrial(
      { network, params: p, ruleId: "no-baseline", seed: 8, trial: 0, angles },
      getRule("no-baseline"),
      getTask(p.task)
    )
    const b = trainTrial(
      { network, params: p, ruleId: "three-factor", seed: 8, trial: 0, angles },
      getRule("three-factor"),
      getTask(p.task)
    )
    assert.isAbove(
      relativeError(deltaOf(a.network.weights, network.weights), deltaOf(b.network.weights, network.weights)),
      1e-3
    )
  })

  it("reward-baseline updates by (E − Ē)·(coactivation − average) − λ·P with Ē at rate theta_obj", () => {
    const first = stepsOf("reward-baseline", 1)
    assert.approximately(first.ws.objectiveAverage, first.E, 1e-12) // Ē starts at the first E
    const { ws, before, E } = stepsOf("reward-baseline", 6)
    const Ebar = (1 - p.thetaObj) * before.objectiveAverage + p.thetaObj * E
    assert.closeTo(ws.objectiveAverage, Ebar, 1e-15)
    const r = ws.rates
    const Arr = before.Arr.map((a, m) => keep * a + p.rho * r[Math.floor(m / N)]! * r[m % N]!)
    const dW = expectedDelta(
      before.W,
      r,
      r,
      N,
      () => E - Ebar,
      (m) => Arr[m]!,
      p.weightL2,
      sW
    )
    assert.isBelow(relativeError(deltaOf(ws.weights, before.W), dW), 1e-6)
    const Ars = before.Ars.map((a, m) => keep * a + p.rho * r[Math.floor(m / I)]! * ws.input[m % I]!)
    const dC = expectedDelta(
      before.C,
      r,
      ws.input,
      I,
      () => E - Ebar,
      (m) => Ars[m]!,
      p.inputWeightL2,
      sC
    )
    assert.isBelow(relativeError(deltaOf(ws.inputWeights, before.C), dC), 1e-6)
  })

  it("node-perturbation updates by (E − Ē)·(σξ_i)·pre_j(t−1) − λ·P", () => {
    const { ws, before, E } = stepsOf("node-perturbation", 6)
    const Ebar = (1 - p.thetaObj) * before.objectiveAverage + p.thetaObj * E
    const noise = (i: number) => (E - Ebar) * p.sigma * ws.noise[i]!
    const dW = expectedDelta(
      before.W,
      [...Array(N).keys()].map(() => 1),
      ws.previousRates,
      N,
      noise,
      undefined,
      p.weightL2,
      sW
    )
    assert.isBelow(relativeError(deltaOf(ws.weights, before.W), dW), 1e-6)
    const dC = expectedDelta(before.C, Array(N).fill(1), ws.previousInput, I, noise, undefined, p.inputWeightL2, sC)
    assert.isBelow(relativeError(deltaOf(ws.inputWeights, before.C), dC), 1e-6)
    const db = expectedDelta(before.b, Array(N).fill(1), [1], 1, noise, undefined, p.biasL2, sB)
    assert.isBelow(relativeError(deltaOf(ws.biases, before.b), db), 1e-6)
    // ν·r(t−1), not ν·r(t): the check has power.
    const dWPost = expectedDelta(before.W, Array(N).fill(1), ws.rates, N, noise, undefined, p.weightL2, sW)
    assert.isAbove(relativeError(deltaOf(ws.weights, before.W), dWPost), 1e-3)
  })
})
