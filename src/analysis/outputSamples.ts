import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups } from "./angleGroups.js"
import type { Recording } from "./recording.js"

export interface OutputSamplesOptions extends GroupingOptions {
  /** At most this many samples per test angle, evenly spaced over the recording (default 200). */
  readonly perAngle?: number
}

export interface OutputSamples {
  /** The test angles that occur, ascending (what `angleIndex` points into). */
  readonly angles: Array<number>
  /** outputs[d][k]: component d of the k-th kept sample (targetDim arrays). */
  readonly outputs: Array<Array<number>>
  /** Index into `angles` of each kept sample. */
  readonly angleIndex: Array<number>
}

/**
 * A subsample of the outputs for drawing output clouds: up to `perAngle` samples of each test angle,
 * evenly spaced in recording order (so every trial contributes), as plain arrays.
 */
export const outputSamples = (recording: Recording, options: OutputSamplesOptions = {}): OutputSamples => {
  const perAngle = Math.max(1, Math.floor(options.perAngle ?? 200))
  const { angles, counts, label } = angleGroups(recording, options)
  const { targetDim, samples, outputs } = recording
  const stride = counts.map((count) => count / Math.min(count, perAngle))
  const seen = new Array<number>(angles.length).fill(0)
  const next = new Array<number>(angles.length).fill(0)
  const kept: Array<Array<number>> = Array.from({ length: targetDim }, () => [])
  const angleIndex: Array<number> = []
  for (let k = 0; k < label.length; k++) {
    const g = label[k]!
    if (g < 0) continue
    if (seen[g]! >= next[g]! - 1e-9) {
      const trial = Math.floor(k / samples)
      const s = k % samples
      for (let d = 0; d < targetDim; d++) kept[d]!.push(outputs[(trial * targetDim + d) * samples + s]!)
      angleIndex.push(g)
      next[g]! += stride[g]!
    }
    seen[g]!++
  }
  return { angles, outputs: kept, angleIndex }
}
