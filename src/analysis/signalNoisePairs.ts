import type { GroupingOptions } from "./angleGroups.js"
import { noiseCorrelations } from "./noiseCorrelations.js"
import { pearson } from "./pearson.js"
import type { Recording } from "./recording.js"
import { signalCorrelations } from "./signalCorrelations.js"

export interface SignalNoisePairs {
  /** Every neuron pair i < j where both correlations are defined. */
  readonly pairs: Array<{ i: number; j: number; signal: number; noise: number }>
  /** Pearson correlation between the signal and the noise correlations over the pairs (null if < 3). */
  readonly relation: number | null
}

/**
 * The (signal correlation, angle-averaged noise correlation) of every neuron pair, for a scatter,
 * and the correlation between the two over pairs.
 */
export const signalNoisePairs = (recording: Recording, options: GroupingOptions = {}): SignalNoisePairs => {
  const signal = signalCorrelations(recording, options).matrix
  const noise = noiseCorrelations(recording, options).average
  const pairs: Array<{ i: number; j: number; signal: number; noise: number }> = []
  for (let i = 0; i < recording.N; i++) {
    for (let j = i + 1; j < recording.N; j++) {
      const s = signal[i]![j]!
      const n = noise[i]![j]!
      if (s !== null && n !== null) pairs.push({ i, j, signal: s, noise: n })
    }
  }
  return {
    pairs,
    relation: pearson(
      pairs.map((p) => p.signal),
      pairs.map((p) => p.noise)
    )
  }
}
