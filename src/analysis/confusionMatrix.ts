import type { GroupingOptions } from "./angleGroups.js"
import { angleGroups } from "./angleGroups.js"
import type { Recording } from "./recording.js"

export interface ConfusionMatrix {
  /** counts[true class][predicted class], class = (value > 0.5). */
  readonly counts: [[number, number], [number, number]]
  /** Each row of counts divided by its total (null for a class with no sample). */
  readonly rates: [[number, number] | null, [number, number] | null]
  readonly truePositives: number
  readonly trueNegatives: number
  readonly falsePositives: number
  readonly falseNegatives: number
}

/** The 2 × 2 confusion matrix of the classifier: target y > 0.5 against prediction o > 0.5. */
export const confusionMatrix = (recording: Recording, options: GroupingOptions = {}): ConfusionMatrix => {
  const { label } = angleGroups(recording, options)
  if (recording.targetDim !== 1) {
    throw new Error(`confusionMatrix needs targetDim 1, the recording has ${recording.targetDim}`)
  }
  const counts: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0]
  ]
  for (let k = 0; k < label.length; k++) {
    if (label[k]! < 0) continue
    counts[recording.targets[k]! > 0.5 ? 1 : 0][recording.outputs[k]! > 0.5 ? 1 : 0]++
  }
  const rowRates = (row: [number, number]): [number, number] | null => {
    const total = row[0] + row[1]
    return total > 0 ? [row[0] / total, row[1] / total] : null
  }
  return {
    counts,
    rates: [rowRates(counts[0]), rowRates(counts[1])],
    truePositives: counts[1][1],
    trueNegatives: counts[0][0],
    falsePositives: counts[0][1],
    falseNegatives: counts[1][0]
  }
}
