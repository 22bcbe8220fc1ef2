/**
 * Our analyses against direct ports of the reference's analysis functions (test/analysis/
 * referencePorts.ts), on the reference's own test recording (`vectors/test-estimation.json`: its
 * pretrained network, 2 trials × 500 steps, every step recorded here) and, where the reference
 * function needs more samples than that, on a synthetic one.
 */
import { assert, describe, it } from "vitest"
import { biasVariance } from "../../src/analysis/biasVariance.js"
import { classifierLda, solve } from "../../src/analysis/classifierLda.js"
import { meanCurrentBreakdown, recurrentBias } from "../../src/analysis/currents.js"
import { discriminability } from "../../src/analysis/discriminability.js"
import { stimulusDependentEnergy } from "../../src/analysis/energy.js"
import { stimulusInput } from "../../src/analysis/networkWeights.js"
import { decoderVariance, rateCovariance } from "../../src/analysis/noiseCovariance.js"
import { noiseVolume } from "../../src/analysis/noiseVolume.js"
import { stimulusDependentS2n } from "../../src/analysis/signalToNoise.js"
import { sortedStimulusVariance } from "../../src/analysis/sortedByPreference.js"
import { stimulusVariancePca } from "../../src/analysis/stimulusVariancePca.js"
import { testAngles } from "../../src/analysis/testAngles.js"
import {
  columns,
  concatenate,
  cov,
  decoderRightVectors,
  det,
  dot,
  eigenDescending,
  energyRelu,
  matmul,
  mean,
  variance
} from "./referencePorts.js"
import { loadReferenceCase } from "./referenceVectors.js"

const reference = loadReferenceCase()
const classifier = loadReferenceCase("test-classifier.json")

/** |a − b| ≤ tol·max(1, |b|) for every entry. */
const close = (actual: ArrayLike<number | null>, expected: ArrayLike<number>, tol: number, what: string) => {
  assert.strictEqual(actual.length, expected.length, `${what}: length`)
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k]
    assert.isNotNull(a, `${what}[${k}] is null`)
    assert.approximately(a!, expected[k]!, tol * Math.max(1, Math.abs(expected[k]!)), `${what}[${k}]`)
  }
}

describe.skipIf(reference === undefined)("the reference's formulas on its own test recording", () => {
  const { recording, network, inputs } = reference!
  const { N, inputDim: I } = network
  const c = concatenate(recording)
  // The exact test angles (the recording stores them as float32; the analyses match each sample to
  // the nearest grid angle, so s(θ) is computed at the exact angle, as the reference's inputs are).
  const grid = testAngles()
  /** The reference's i_reshape: the inputs it recorded, concatenated. */
  const input = Array.from({ length: I }, (_, k) => {
    const row = new Float64Array(c.total)
    inputs.forEach((trial, t) => {
      for (let s = 0; s < recording.samples; s++) row[t * recording.samples + s] = trial[k]![s]!
    })
    return row
  })

  it("rebuilds the reference's inputs from the angle (s(θ) of README §3.1)", () => {
    for (const t of [0, 1]) {
      for (const s of [0, 150, 499]) {
        const recorded = recording.angles[t * recording.samples + s]!
        const theta = grid.reduce((best, a) => (Math.abs(a - recorded) < Math.abs(best - recorded) ? a : best))
        close(
          stimulusInput(theta, I),
          inputs[t]!.map((row) => row[s]!),
          1e-15,
          `s(θ) at trial ${t}, step ${s}`
        )
      }
    }
  })

  it("stimulus_dependent_energy: the mean energy_relu of every 200th (and every 7th) sample of each angle", () => {
    for (const downsample of [200, 7]) {
      const expected = c.range.map((theta) => {
        const idx = c.idxOf(theta).filter((_, n) => n % downsample === 0)
        const first = c.idxOf(theta)[0]!
        const s = input.map((row) => row[first]!)
        return mean(
          idx.map((k) =>
            energyRelu(
              c.r.map((row) => row[k]!),
              s,
              network.weights,
              network.inputWeights,
              network.biases,
              N,
              I
            )
          )
        )
      })
      const ours = stimulusDependentEnergy(recording, network, { grid, downsample })
      close(ours.energy, expected, 1e-9, `energy (downsample ${downsample})`)
    }
  })

  it("mean_current_breakdown and recurrent_bias", () => {
    const ours = meanCurrentBreakdown(recording, network, { grid })
    const bias = recurrentBias(recording, network, { grid })
    c.range.forEach((theta, g) => {
      const idx = c.idxOf(theta)
      const r = columns(c.r, idx)
      const s = columns(input, idx)
      const W = Array.from({ length: N }, (_, i) => Array.from(network.weights).slice(i * N, (i + 1) * N))
      const C = Array.from({ length: N }, (_, i) => Array.from(network.inputWeights).slice(i * I, (i + 1) * I))
      const rCurrent = matmul(W, r).map(mean)
      const iCurrent = matmul(C, s).map(mean)
      close(
        ours.recurrent.map((row) => row[g]!),
        rCurrent,
        1e-9,
        `r_current at θ = ${theta}`
      )
      close(
        ours.input.map((row) => row[g]!),
        iCurrent,
        1e-12,
        `i_current at θ = ${theta}`
      )
      close(
        ours.bias.map((row) => row[g]!),
        Array.from(network.biases, Math.abs),
        0,
        "bias_current"
      )
      const D = [0, 1].map((o) => recording.decoder.slice(o * N, (o + 1) * N))
      close(
        bias[g]!.decodedRecurrent,
        D.map((d) => dot(d, rCurrent)),
        1e-9,
        "decoded_bias_recurrent"
      )
      close(
        bias[g]!.decodedInput,
        D.map((d) => dot(d, iCurrent)),
        1e-6,
        "decoded_bias_input"
      )
      const output = matmul(D, r)
      close(bias[g]!.meanReadout, output.map(mean), 1e-9, "avg_output")
      const vc = cov(output)
      assert.approximately(bias[g]!.readoutVariance!, vc[0]![0]! + vc[1]![1]!, 1e-9, "var_output")
    })
  })

  it("stimulus_dependent_s2n in the decoder subspace and its complement", () => {
    const V = decoderRightVectors(recording.decoder, 2, N)
    const ours = stimulusDependentS2n(recording, { grid })
    c.range.forEach((theta, g) => {
      const r = columns(c.r, c.idxOf(theta))
      const s2n = (rows: Array<Array<number>>) => {
        const projected = matmul(rows, r)
        const m = projected.map(mean)
        const cv = cov(projected)
        return dot(m, m) / cv.reduce((a, row, i) => a + row[i]!, 0)
      }
      assert.approximately(ours.decoder[g]!, s2n(V.slice(0, 2)), 1e-6 * s2n(V.slice(0, 2)), `decoder at ${theta}`)
      assert.approximately(ours.orthogonal[g]!, s2n(V.slice(2)), 1e-6 * s2n(V.slice(2)), `orthogonal at ${theta}`)
    })
  })

  it("noise_volume (entropy and determinant forms) and noise_angle", () => {
    const V = decoderRightVectors(recording.decoder, 2, N).slice(0, 2)
    const ours = noiseVolume(recording, { grid })
    c.range.forEach((theta, g) => {
      const r = columns(c.r, c.idxOf(theta))
      const pcs = eigenDescending(cov(r)).slice(0, 2)
      const top = cov(
        matmul(
          pcs.map((p) => p.vector),
          r
        )
      )
      const projected = cov(matmul(V, r))
      const entropy = (m: Array<Array<number>>) => (2 / 2) * (1 + Math.log(2 * Math.PI)) + 0.5 * Math.log(det(m))
      const at = ours.byAngle[g]!
      assert.approximately(at.totalVolume!, entropy(top), 1e-6, `total volume at ${theta}`)
      assert.approximately(at.projectedVolume!, entropy(projected), 1e-6, `projected volume at ${theta}`)
      assert.approximately(at.volumeFraction!, entropy(projected) / entropy(top), 1e-5, `volume fraction at ${theta}`)
      assert.approximately(at.determinantRatio!, det(projected) / det(top), 1e-5, `det ratio at ${theta}`)
      const angle = (Math.abs(dot(pcs[0]!.vector, V[0]!)) + Math.abs(dot(pcs[1]!.vector, V[1]!))) / 2
      assert.approximately(at.noiseAngle!, angle, 1e-6, `noise angle at ${theta}`)
    })
  })

  it("stimulus_variance_pca with the recording's own principal components", () => {
    const pcs = eigenDescending(cov(c.r))
      .slice(0, 10)
      .map((p) => p.vector)
    const projected = matmul(pcs, c.r)
    const D = [0, 1].map((o) => recording.decoder.slice(o * N, (o + 1) * N))
    const gain = pcs.map((p) => D.reduce((a, d) => a + dot(d, p) ** 2, 0))
    const ours = stimulusVariancePca(recording, { grid })
    c.range.forEach((theta, g) => {
      const idx = c.idxOf(theta)
      const expected = projected.map((row) => variance(idx.map((k) => row[k]!)))
      close(
        ours.variance.map((row) => row[g]!),
        expected,
        1e-6,
        `pca_variance at ${theta}`
      )
      close(
        ours.decodedVariance.map((row) => row[g]!),
        expected.map((v, k) => v * gain[k]!),
        1e-6,
        `decoder_variance at ${theta}`
      )
    })
  })

  it("sorted_stimulus_variance, covariance and stimulus_bias_variance", () => {
    const tc = c.r.map((row) => c.range.map((theta) => mean(c.idxOf(theta).map((k) => row[k]!))))
    const argmax = tc.map((curve) => curve.indexOf(Math.max(...curve)))
    const order = argmax.map((_, i) => i).sort((a, b) => argmax[a]! - argmax[b]! || a - b)
    const ours = sortedStimulusVariance(recording, { grid })
    assert.deepStrictEqual(ours.order, order)
    order.forEach((i, row) => {
      c.range.forEach((theta, g) => {
        const x = c.idxOf(theta).map((k) => c.r[i]![k]!)
        assert.approximately(ours.cv[row]![g]!, Math.sqrt(variance(x)) / Math.abs(mean(x)), 1e-6)
      })
    })
    const covariance = cov(c.r)
    const oursCov = rateCovariance(recording, { grid })
    for (const [i, j] of [
      [0, 0],
      [3, 17],
      [39, 12]
    ] as const) {
      assert.approximately(oursCov[i]![j]!, covariance[i]![j]!, 1e-9)
    }
    const bv = biasVariance(recording, { grid }).byAngle
    c.range.forEach((theta, g) => {
      const idx = c.idxOf(theta)
      const bias = [0, 1].map((d) => mean(idx.map((k) => c.y[d]![k]! - c.o[d]![k]!)))
      const v = [0, 1].map((d) => variance(idx.map((k) => c.o[d]![k]!)))
      close(bv[g]!.bias, bias, 1e-9, `bias at ${theta}`)
      assert.approximately(bv[g]!.outputVariance, v[0]! + v[1]!, 1e-9)
      assert.approximately(bv[g]!.bias2, bias[0]! ** 2 + bias[1]! ** 2, 1e-9)
    })
  })

  it("decoder_variance: Cov(D·r) per angle", () => {
    const D = [0, 1].map((o) => recording.decoder.slice(o * N, (o + 1) * N))
    const ours = decoderVariance(recording, { grid })
    c.range.forEach((theta, g) => {
      const expected = cov(matmul(D, columns(c.r, c.idxOf(theta))))
      for (const [a, b] of [
        [0, 0],
        [0, 1],
        [1, 1]
      ] as const) {
        assert.approximately(
          ours.covariance[g]![a]![b]!,
          expected[a]![b]!,
          1e-9 * Math.max(1e-3, Math.abs(expected[a]![b]!))
        )
      }
    })
  })
})

describe.skipIf(classifier === undefined)("the reference's classifier formulas on its own test recording", () => {
  const { recording } = classifier!
  const c = concatenate(recording)
  const grid = testAngles()
  const readout = (k: number) => c.r.reduce((a, row, i) => a + recording.decoder[i]! * row[k]!, 0)
  const meanVar = (v: ReadonlyArray<number>) => ({ mean: mean(v), variance: variance(v) })

  it("d_prime_calc: the readout's d′ between θ > 0 and θ < 0", () => {
    const all = Array.from({ length: c.total }, (_, k) => k)
    const up = meanVar(all.filter((k) => c.theta[k]! > 0).map(readout))
    const down = meanVar(all.filter((k) => c.theta[k]! < 0).map(readout))
    const expected = Math.abs(up.mean - down.mean) / Math.sqrt(0.5 * (up.variance + down.variance))
    assert.approximately(discriminability(recording, { grid }).readout.dPrime!, expected, 1e-9 * expected)
  })

  it("classifier_lda: the d′ of Fisher's discriminant (classes θ > 0 and the rest)", () => {
    const N = recording.N
    const classes = Array.from({ length: c.total }, (_, k) => (c.theta[k]! > 0 ? 1 : 0))
    const members = (cls: number) => classes.flatMap((x, k) => (x === cls ? [k] : []))
    const mu = [0, 1].map((cls) => c.r.map((row) => mean(members(cls).map((k) => row[k]!))))
    const within = new Float64Array(N * N)
    for (let k = 0; k < c.total; k++) {
      const m = mu[classes[k]!]!
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) within[i * N + j]! += (c.r[i]![k]! - m[i]!) * (c.r[j]![k]! - m[j]!)
      }
    }
    let trace = 0
    for (let i = 0; i < N; i++) trace += within[i * N + i]!
    for (let i = 0; i < N; i++) within[i * N + i]! += (1e-10 * trace) / N
    const w = solve(
      within,
      mu[1]!.map((v, i) => v - mu[0]![i]!),
      N
    )
    const projected = (cls: number) =>
      meanVar(members(cls).map((k) => c.r.reduce((a, row, i) => a + w[i]! * row[k]!, 0)))
    const p0 = projected(0)
    const p1 = projected(1)
    const expected = Math.abs(p1.mean - p0.mean) / Math.sqrt(0.5 * (p1.variance + p0.variance))
    assert.approximately(classifierLda(recording, { grid }).dPrime!, expected, 1e-6 * expected)
  })
})
