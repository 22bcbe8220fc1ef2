/**
 * The energy of the network state, as the reference's analysis code defines it
 * (`pl_support_functions_cr.py`: `energy_relu`, `differential_energy_relu`,
 * `stimulus_dependent_energy`; github.com/colinbredenberg/Efficient-Plasticity-Camera-Ready).
 *
 * `energy_relu` is the Hopfield-style energy of the rate dynamics drdt = −r + W·r + C·s + b, i.e.
 * with the leak of a rectified-identity rate function and R = 1 (its own comment: "approximate
 * energy calculation — assumes R = 1, and the ReLU is the rectified identity"):
 *
 *   E(r, s) = −½·rᵀWr + ½·Σ_i r_i² − bᵀr − rᵀCs.
 *
 * The simulated network's leak is −g(r)/R with the softplus inverse g (README §4.1(b)), and W is
 * not symmetric, so E is not a Lyapunov function of the simulated dynamics; it is the reference's
 * descriptive statistic and is computed exactly as it is there. `differential_energy_relu` is the
 * stimulus-dependent part alone, −rᵀCs.
 */
import { angleGroups, type GroupingOptions } from "./angleGroups.js"
import { checkNetwork, type NetworkWeights, stimulusInput } from "./networkWeights.js"
import type { Recording } from "./recording.js"

/** The reference's `energy_relu`: −½·rᵀWr + ½·‖r‖² − bᵀr − rᵀCs. */
export const energyRelu = (r: ArrayLike<number>, s: ArrayLike<number>, network: NetworkWeights): number => {
  const { N, inputDim, weights, inputWeights, biases } = network
  let quadratic = 0
  let leak = 0
  let bias = 0
  let input = 0
  for (let i = 0; i < N; i++) {
    let recurrent = 0
    for (let j = 0; j < N; j++) recurrent += weights[i * N + j]! * r[j]!
    let drive = 0
    for (let k = 0; k < inputDim; k++) drive += inputWeights[i * inputDim + k]! * s[k]!
    quadratic += r[i]! * recurrent
    leak += r[i]! * r[i]!
    bias += biases[i]! * r[i]!
    input += r[i]! * drive
  }
  return -0.5 * quadratic + 0.5 * leak - bias - input
}

/** The reference's `differential_energy_relu`: the input term alone, −rᵀCs. */
export const differentialEnergyRelu = (r: ArrayLike<number>, s: ArrayLike<number>, network: NetworkWeights): number => {
  const { N, inputDim, inputWeights } = network
  let input = 0
  for (let i = 0; i < N; i++) {
    let drive = 0
    for (let k = 0; k < inputDim; k++) drive += inputWeights[i * inputDim + k]! * s[k]!
    input += r[i]! * drive
  }
  return -input
}

export interface StimulusEnergyOptions extends GroupingOptions {
  /** Evaluate every k-th sample of each angle, in recording order (the reference's `downsample`, 200). */
  readonly downsample?: number
}

export interface StimulusEnergy {
  readonly angles: Array<number>
  /** Samples evaluated per angle. */
  readonly counts: Array<number>
  /** Mean `energy_relu` of the evaluated samples of each angle (the reference's `energy_means`). */
  readonly energy: Array<number>
  /** Mean `differential_energy_relu` (−rᵀCs) of the same samples. */
  readonly differential: Array<number>
  /** ‖energy − mean(energy)‖: how strongly the energy varies with the stimulus (its second plot). */
  readonly spread: number
}

/**
 * `stimulus_dependent_energy`: for each test angle, the mean energy of every `downsample`-th of its
 * samples (counted in recording order, trial after trial), with s = s(θ) the angle's input.
 */
export const stimulusDependentEnergy = (
  recording: Recording,
  network: NetworkWeights,
  options: StimulusEnergyOptions = {}
): StimulusEnergy => {
  checkNetwork(network, recording)
  const downsample = Math.max(1, Math.floor(options.downsample ?? 200))
  const { angles, label } = angleGroups(recording, options)
  const { N, trials, samples, rates } = recording
  const G = angles.length
  const inputs = angles.map((theta) => stimulusInput(theta, network.inputDim))
  const seen = new Array<number>(G).fill(0)
  const counts = new Array<number>(G).fill(0)
  const energy = new Array<number>(G).fill(0)
  const differential = new Array<number>(G).fill(0)
  const r = new Float64Array(N)
  for (let trial = 0; trial < trials; trial++) {
    for (let s = 0; s < samples; s++) {
      const g = label[trial * samples + s]!
      if (g < 0) continue
      if (seen[g]!++ % downsample !== 0) continue
      for (let i = 0; i < N; i++) r[i] = rates[(trial * N + i) * samples + s]!
      energy[g]! += energyRelu(r, inputs[g]!, network)
      differential[g]! += differentialEnergyRelu(r, inputs[g]!, network)
      counts[g]!++
    }
  }
  for (let g = 0; g < G; g++) {
    energy[g]! /= counts[g]!
    differential[g]! /= counts[g]!
  }
  const mean = energy.reduce((a, b) => a + b, 0) / Math.max(1, G)
  const spread = Math.sqrt(energy.reduce((a, e) => a + (e - mean) ** 2, 0))
  return { angles, counts, energy, differential, spread }
}
