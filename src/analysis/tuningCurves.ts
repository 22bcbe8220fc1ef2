import type { GroupingOptions } from "./angleGroups.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

/** Each neuron's rate as a function of the stimulus angle. */
export interface TuningCurves {
  /** The test angles that occur, ascending (rad). */
  readonly angles: Array<number>
  /** Samples per angle (pooled over trials). */
  readonly counts: Array<number>
  /** N × angles: mean rate of neuron i at each angle. */
  readonly mean: Array<Array<number>>
  /** N × angles: standard deviation (population, divided by the count) of the rate at each angle. */
  readonly std: Array<Array<number>>
  /** N: the angle of the largest mean rate (first one on ties). */
  readonly preferredAngle: Array<number>
  /** N: the direction of the vector sum Σ_a mean_a·(cos a, sin a), in (−π, π]; 0 for a flat curve. */
  readonly vectorPreferredAngle: Array<number>
  /** N: length of that vector sum over the sum of the means, in [0, 1] (0 for a flat or silent neuron). */
  readonly selectivity: Array<number>
}

/**
 * Tuning curves (mean and std of each neuron's rate per test angle) and each neuron's preferred angle,
 * both as the argmax of the curve and as the circular vector-sum direction (angles weighted equally,
 * whatever their sample counts).
 */
export const tuningCurves = (recording: Recording, options: GroupingOptions = {}): TuningCurves => {
  const { N, angles, counts, means, covariances } = rateMoments(recording, options)
  const G = angles.length
  const mean: Array<Array<number>> = []
  const std: Array<Array<number>> = []
  const preferredAngle: Array<number> = []
  const vectorPreferredAngle: Array<number> = []
  const selectivity: Array<number> = []
  for (let i = 0; i < N; i++) {
    const curve = angles.map((_, g) => means[g * N + i]!)
    mean.push(curve)
    std.push(angles.map((_, g) => Math.sqrt(Math.max(0, covariances[g * N * N + i * N + i]!))))
    let best = 0
    for (let g = 1; g < G; g++) if (curve[g]! > curve[best]!) best = g
    preferredAngle.push(G > 0 ? angles[best]! : 0)
    let x = 0
    let y = 0
    let sum = 0
    for (let g = 0; g < G; g++) {
      x += curve[g]! * Math.cos(angles[g]!)
      y += curve[g]! * Math.sin(angles[g]!)
      sum += curve[g]!
    }
    const length = Math.hypot(x, y)
    // A resultant at round-off level has no direction: report 0 rather than a random angle.
    const flat = length <= 1e-12 * Math.max(1, Math.abs(sum))
    vectorPreferredAngle.push(flat ? 0 : Math.atan2(y, x))
    selectivity.push(flat || sum <= 0 ? 0 : Math.min(1, length / sum))
  }
  return { angles, counts, mean, std, preferredAngle, vectorPreferredAngle, selectivity }
}
