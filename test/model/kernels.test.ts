/**
 * The WebAssembly kernels against their definitions in TypeScript (src/model/kernels/reference.ts):
 * matVec, learnMatrix and learnThreeFactor bit for bit, integrate and fillNormal to round-off (they use
 * AssemblyScript's log and exp); and the committed simd.wasm.ts against a fresh compile of
 * simd.as.ts.
 */
import fc from "fast-check"
import { assert, describe, it } from "vitest"
import { compileKernels } from "../../scripts/build-kernels.js"
import { sampleTrainingAngles } from "../../src/model/inputs.js"
import { createKernels, type Kernels, simdAvailable } from "../../src/model/kernels/index.js"
import {
  DECODER_RULES,
  INTEGRATION_CONSTANTS,
  integrate,
  learnMatrix,
  learnThreeFactor,
  matVec
} from "../../src/model/kernels/reference.js"
import { simdWasmBase64 } from "../../src/model/kernels/simd.wasm.js"
import { cloneNetwork, initNetwork } from "../../src/model/network.js"
import { inverseNonlinearity, NONLINEARITY_CODE } from "../../src/model/nonlinearity.js"
import type { ModelParams } from "../../src/model/params.js"
import { RandomStream, stream } from "../../src/model/random.js"
import { threeFactor } from "../../src/model/rules/threeFactor.js"
import type { AnyTask } from "../../src/model/task.js"
import { defaultParams, getTask } from "../../src/model/tasks/index.js"
import { runTrainTrial } from "../../src/model/trial.js"
import { streamNoise, Workspace } from "../../src/model/workspace.js"

const bitsEqual = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, k) => Object.is(x, b[k]))

const maxRelative = (a: Float64Array, b: Float64Array) => {
  let worst = 0
  for (let k = 0; k < a.length; k++) {
    if (Object.is(a[k], b[k])) continue
    const scale = Math.max(1, Math.abs(b[k]!))
    worst = Math.max(worst, Math.abs(a[k]! - b[k]!) / scale)
  }
  return worst
}

/** Kernels with room for `n` values, and a helper that copies plain arrays into their memory. */
const simd = (n: number): { kernels: Kernels; put: (a: Float64Array) => Float64Array } => {
  const kernels = createKernels(n, "simd")
  return {
    kernels,
    put: (a) => {
      const view = kernels.allocate(a.length)
      view.set(a)
      return view
    }
  }
}

const values = (rng: RandomStream, n: number, low = -1, high = 1) =>
  Float64Array.from({ length: n }, () => rng.uniformRange(low, high))

describe("WebAssembly kernels", () => {
  it("run here: this Node has WebAssembly SIMD", () => {
    assert.isTrue(simdAvailable())
    assert.strictEqual(createKernels(16).kind, "simd")
  })

  it("simd.wasm.ts is a fresh compile of simd.as.ts (else: npm run build:kernels)", () => {
    const fresh = compileKernels().toString("base64")
    assert.isTrue(fresh === simdWasmBase64, "src/model/kernels/simd.wasm.ts is stale: run npm run build:kernels")
  }, 60_000)

  it("matVec and learnMatrix equal reference.ts bit for bit, any shape (odd sizes, remainder rows)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 45 }),
        fc.integer(),
        (rows, cols, seed) => {
          const rng = new RandomStream(`kernels/${seed}`)
          const P = values(rng, rows * cols)
          const average = values(rng, rows * cols, 0, 2)
          const post = values(rng, rows, 0, 3)
          const pre = values(rng, cols, 0, 3)
          const [rho, decay, gain] = [0.001, 1 - 1e-7, rng.uniformRange(-1e-3, 1e-3)]
          const k = createKernels(3 * rows * cols + 3 * rows + 2 * cols)
          const copy = (a: Float64Array) => {
            const view = k.allocate(a.length)
            view.set(a)
            return view
          }
          const [P2, average2, post2, pre2] = [copy(P), copy(average), copy(post), copy(pre)]
          const out = new Float64Array(rows)
          const out2 = k.allocate(rows)
          matVec(P, pre, rows, cols, out)
          k.matVec(P2, pre2, rows, cols, out2)
          if (!bitsEqual(out2, out)) return false
          const current = new Float64Array(rows)
          const current2 = k.allocate(rows)
          learnMatrix(P, average, post, pre, rows, cols, rho, decay, gain, current)
          k.learnMatrix(P2, average2, post2, pre2, rows, cols, rho, decay, gain, current2)
          return bitsEqual(P2, P) && bitsEqual(average2, average) && bitsEqual(current2, current)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("learnThreeFactor equals reference.ts bit for bit, with each decoder rule (delta, logistic, none)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(DECODER_RULES.delta, DECODER_RULES.logistic, DECODER_RULES.none),
        fc.integer(),
        (N, inputDim, targetDim, decoderRule, seed) => {
          const rng = new RandomStream(`kernels/learn/${seed}`)
          const plain = {
            weights: values(rng, N * N),
            averageRR: values(rng, N * N, 0, 2),
            inputWeights: values(rng, N * inputDim),
            averageRS: values(rng, N * inputDim, 0, 2),
            biases: values(rng, N),
            averageR: values(rng, N, 0, 2),
            decoder: values(rng, targetDim * N),
            decoded: values(rng, targetDim),
            probability: values(rng, targetDim, 0, 1),
            target: values(rng, targetDim, 0, 1),
            recurrent: new Float64Array(N),
            inputCurrent: new Float64Array(N),
            N,
            inputDim,
            targetDim,
            decoderRule,
            constants: Float64Array.from([0.01, 0.99, 1e-3, 0.01, 2e-3, 0.02, 3e-3, 0.03, 4e-3, 100])
          }
          const rates = values(rng, N, 0, 3)
          const input = values(rng, inputDim, 0, 1)
          const E = rng.uniformRange(-1, 0)
          const k = createKernels(4 * (N * N + N * inputDim) + 20 * N + 8 * targetDim + 60)
          const copy = (a: Float64Array) => {
            const view = k.allocate(a.length)
            view.set(a)
            return view
          }
          const mirrored = Object.fromEntries(
            Object.entries(plain).map(([key, v]) => [key, v instanceof Float64Array ? copy(v) : v])
          ) as typeof plain
          const frame = k.prepareLearning(mirrored)
          learnThreeFactor(rates, input, E, plain)
          k.learnThreeFactor(copy(rates), copy(input), E, frame)
          const names = ["weights", "averageRR", "inputWeights", "averageRS", "biases", "averageR", "decoder"] as const
          return [...names, "recurrent", "inputCurrent"].every((name) =>
            bitsEqual(
              mirrored[name as keyof typeof plain] as Float64Array,
              plain[name as keyof typeof plain] as Float64Array
            )
          )
        }
      ),
      { numRuns: 200 }
    )
  })

  it("integrate equals reference.ts to round-off, with the same clamps and the overflow of quirk 14", () => {
    const rng = new RandomStream("kernels/integrate")
    const N = 41
    const targetDim = 2
    const p = defaultParams("estimation")
    for (const kind of ["softplus", "sigmoid", "linear"] as const) {
      const leakAtLow = (-1 * inverseNonlinearity(p.rLow, p.beta, p.alpha, p.gamma, kind)) / p.R
      const constants = Float64Array.from([
        p.dt,
        p.sigma,
        p.rLow,
        p.rHigh,
        1 / p.beta,
        p.alpha,
        1 / (p.gamma * p.R),
        leakAtLow,
        p.beta,
        p.gamma,
        p.R,
        NONLINEARITY_CODE[kind]
      ])
      assert.strictEqual(constants.length, INTEGRATION_CONSTANTS.length)
      for (let trial = 0; trial < 50; trial++) {
        // Rates across every branch: clamped at r_low, small, linear above x = 40, overflowing exp.
        const previous = values(rng, N, 0, 3)
        previous[0] = p.rLow
        previous[1] = 1.2 // x = 36
        previous[2] = 2 // x = 60: log(exp(x) − 1) = x
        previous[3] = 24 // x = 720: exp overflows, nl = −∞, r clamps to r_low
        const arrays = {
          unclamped: new Float64Array(N),
          recurrent: values(rng, N),
          inputCurrent: values(rng, N),
          biases: values(rng, N, -0.5, 0.5),
          noise: values(rng, N, -0.3, 0.3),
          decoder: values(rng, targetDim * N),
          output: new Float64Array(targetDim),
          decoded: new Float64Array(targetDim),
          N,
          targetDim,
          constants
        }
        const next = new Float64Array(N)
        integrate(previous, next, arrays)
        const { kernels, put } = simd(4 * N + 12 * N + 40)
        const bound = kernels.prepareIntegration({
          ...arrays,
          unclamped: kernels.allocate(N),
          recurrent: put(arrays.recurrent),
          inputCurrent: put(arrays.inputCurrent),
          biases: put(arrays.biases),
          noise: put(arrays.noise),
          decoder: put(arrays.decoder),
          output: kernels.allocate(targetDim),
          decoded: kernels.allocate(targetDim),
          constants: put(constants)
        })
        const next2 = kernels.allocate(N)
        kernels.integrate(put(previous), next2, bound)
        assert.isBelow(maxRelative(next2, next), 1e-14, kind)
        assert.isBelow(maxRelative(bound.arrays.unclamped, arrays.unclamped), 1e-14, kind)
        assert.isBelow(maxRelative(bound.arrays.output, arrays.output), 1e-13, kind)
        assert.isBelow(maxRelative(bound.arrays.decoded, arrays.decoded), 1e-13, kind)
        if (kind === "softplus") {
          assert.strictEqual(next2[3], p.rLow)
          assert.strictEqual(arrays.unclamped[3], Number.NEGATIVE_INFINITY)
          assert.strictEqual(bound.arrays.unclamped[3], Number.NEGATIVE_INFINITY)
        } else {
          // §9.6: the other pairs never overflow.
          assert.isTrue(arrays.unclamped.every(Number.isFinite), kind)
        }
        for (let i = 0; i < N; i++) assert.strictEqual(next2[i] === p.rLow, next[i] === p.rLow, `clamp of neuron ${i}`)
        // The leak is the pair's: r^u − (r_p + (W·r + C·s + b)·dt + σξ) = nl·dt, nl = (−1·g(r_p))/R.
        for (let i = 1; i < N; i++) {
          if (kind === "softplus" && i === 3) continue
          const nl = (-1 * inverseNonlinearity(previous[i]!, p.beta, p.alpha, p.gamma, kind)) / p.R
          const drive = arrays.recurrent[i]! + arrays.inputCurrent[i]! + arrays.biases[i]!
          const expected = previous[i]! + (nl + drive) * p.dt + p.sigma * arrays.noise[i]!
          assert.closeTo(arrays.unclamped[i]!, expected, 1e-13, `${kind}, neuron ${i}`)
        }
      }
    }
  })

  it("fillNormal draws the stream's normals to round-off and leaves alea's state exactly as the stream does", () => {
    const { kernels } = simd(64)
    const state = kernels.allocate(5)
    const out = kernels.allocate(41)
    const mine = stream(7, "kernels/normal")
    const theirs = stream(7, "kernels/normal")
    mine.saveState(state)
    const expected = new Float64Array(41)
    const savedTheirs = new Float64Array(5)
    for (let k = 0; k < 200; k++) {
      kernels.fillNormal(state, out, 0.1)
      theirs.fillNormal(expected, 0.1)
      assert.isBelow(maxRelative(out, expected), 1e-15)
      theirs.saveState(savedTheirs)
      // s0, s1, s2, c exact (the same uniforms were consumed); the cached variate to round-off.
      assert.isTrue(bitsEqual(state.subarray(0, 4), savedTheirs.subarray(0, 4)), `alea state after ${k + 1} fills`)
      assert.strictEqual(Number.isNaN(state[4]!), Number.isNaN(savedTheirs[4]!))
    }
  })

  it("refuse an array or frame from outside their memory, naming it", () => {
    const { kernels } = simd(100)
    const M = kernels.allocate(4)
    const out = kernels.allocate(2)
    assert.throws(
      () => kernels.matVec(M, new Float64Array(2), 2, 2, out),
      /matVec's x is not an array of this Workspace/
    )
    // …and a frame prepared by another workspace's kernels.
    const p = defaultParams("estimation")
    const initRng = stream(1, "init/weights")
    const network = initNetwork(p, () => initRng.uniformDouble())
    const one = new Workspace(p, network, threeFactor, getTask(p.task))
    const two = new Workspace(p, network, threeFactor, getTask(p.task))
    assert.throws(
      () => one.kernels.integrate(one.rates, one.previousRates, two.integration),
      /integrate's frame is not an array of this Workspace/
    )
    assert.throws(
      () => one.kernels.learnThreeFactor(one.rates, one.input, -0.1, two.learning),
      /learnThreeFactor's frame is not an array of this Workspace/
    )
  })

  it("hold every array of a Workspace, whatever its sizes (a decoder wider than 2N included)", () => {
    // The estimation task with its size check and objective left out: any targetDim, the fused delta rule.
    const { check: _sizes, ...estimation } = getTask("estimation")
    const anySizes: AnyTask = {
      ...estimation,
      bind: () => ({
        target: () => {},
        record: () => 0,
        modulator: () => 0,
        decoderRule: undefined,
        fusedDecoder: { rule: "delta", gain: 0 }
      })
    }
    for (const [N, inputDim, targetDim] of [
      [1, 1, 1],
      [3, 5, 7],
      [40, 12, 2],
      [25, 12, 1],
      [50, 12, 200],
      [7, 3, 300]
    ] as const) {
      const p: ModelParams = { ...defaultParams("estimation"), N, inputDim, targetDim, trialSeconds: 0.05 }
      const rng = stream(N, "kernels/sizes")
      const network = initNetwork(p, () => rng.uniformDouble())
      const ws = new Workspace(p, network, threeFactor, anySizes)
      assert.strictEqual(ws.kernels.kind, "simd")
      runTrainTrial(ws, p, { angles: new Float64Array(5).fill(0.3), noise: streamNoise(stream(1, "n"), p.dt) })
      assert.isTrue(ws.rates.every(Number.isFinite), `rates of N=${N}, inputDim=${inputDim}, targetDim=${targetDim}`)
    }
  })

  it("a training trial in WebAssembly stays within round-off of the TypeScript kernels", () => {
    const p: ModelParams = {
      ...defaultParams("estimation"),
      trialSeconds: 200,
      switchSeconds: 40,
      transientSeconds: 20
    }
    const initRng = stream(5, "init/weights")
    const network = initNetwork(p, () => initRng.uniformDouble())
    const angles = sampleTrainingAngles(p, 5, 0)
    const run = (kind: "simd" | "js") => {
      const ws = new Workspace(p, cloneNetwork(network), threeFactor, getTask(p.task), undefined, kind)
      assert.strictEqual(ws.kernels.kind, kind)
      runTrainTrial(ws, p, { angles, noise: streamNoise(stream(5, "train/trial/0/noise"), p.dt) })
      return ws
    }
    const a = run("simd")
    const b = run("js")
    assert.isBelow(maxRelative(a.weights, b.weights), 1e-12)
    assert.isBelow(maxRelative(a.inputWeights, b.inputWeights), 1e-12)
    assert.isBelow(maxRelative(a.rates, b.rates), 1e-12)
    assert.isBelow(maxRelative(a.decoder, b.decoder), 1e-12)
    // …and learning did happen (the comparison is not between two untouched copies).
    assert.isAbove(maxRelative(a.weights, network.weights), 1e-6)
  })
})
