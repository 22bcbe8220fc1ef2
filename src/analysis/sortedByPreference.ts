/**
 * The reference's orderings by preferred angle (`pl_support_functions_cr.py`):
 * `sorted_noise_correlations` and `sorted_stimulus_variance` order the neurons by the index of the
 * test angle of their largest (or smallest) mean rate, so that neighbouring rows of a matrix are
 * neurons tuned to neighbouring stimuli; in neuron-index order the structure is invisible.
 *
 * The reference sorts with `np.argsort` (quicksort, not stable); ties (neurons with the same
 * preferred test angle) are broken here by neuron index.
 */
import type { GroupingOptions } from "./angleGroups.js"
import { rateMoments } from "./rateMoments.js"
import type { Recording } from "./recording.js"

/** The neuron order of `sorted_noise_correlations`: by argmax (or argmin) of the tuning curve. */
export const preferenceOrder = (
  curves: ReadonlyArray<ArrayLike<number>>,
  extreme: "max" | "min" = "max"
): Array<number> => {
  const position = curves.map((curve) => {
    let best = 0
    for (let g = 1; g < curve.length; g++) {
      if (extreme === "max" ? curve[g]! > curve[best]! : curve[g]! < curve[best]!) best = g
    }
    return best
  })
  return position.map((_, i) => i).sort((a, b) => position[a]! - position[b]! || a - b)
}

/** The square matrix with rows and columns permuted: out[a][b] = m[order[a]][order[b]]. */
export const permuteSquare = <T>(m: ReadonlyArray<ReadonlyArray<T>>, order: ReadonlyArray<number>): Array<Array<T>> =>
  order.map((i) => order.map((j) => m[i]![j]!))

export interface SortedStimulusVariance {
  readonly angles: Array<number>
  /** The neurons in row order (sorted by preferred test angle). */
  readonly order: Array<number>
  /** rows × angles: std/|mean| of the rate of neuron order[row] at each angle (null where the mean is 0). */
  readonly cv: Array<Array<number | null>>
}

/**
 * The reference's `sorted_stimulus_variance`: the coefficient of variation (population std over
 * |mean|) of each neuron's rate at each test angle, rows in the order of preferred angle. Every
 * sample counts.
 */
export const sortedStimulusVariance = (recording: Recording, options: GroupingOptions = {}): SortedStimulusVariance => {
  const { N, angles, means, covariances } = rateMoments(recording, options)
  const G = angles.length
  const curves = Array.from({ length: N }, (_, i) => Array.from({ length: G }, (_, g) => means[g * N + i]!))
  const order = preferenceOrder(curves)
  const cv = order.map((i) =>
    angles.map((_, g) => {
      const mean = Math.abs(means[g * N + i]!)
      const std = Math.sqrt(Math.max(0, covariances[g * N * N + i * N + i]!))
      return mean > 0 ? std / mean : null
    })
  )
  return { angles, order, cv }
}
