import type { Recording } from "./recording.js"
import { checkRecording } from "./recording.js"
import { testAngles } from "./testAngles.js"

/**
 * The samples the reference leaves out of its noise statistics: those recorded in the first
 * moments after a test stimulus switches on, while the network still relaxes to its new state.
 *
 * The reference's `noise_correlations` and `decoder_variance` keep a sample of the concatenated,
 * downsampled record (every 20th step, trial after trial) only if `idx mod 2000 > 40`. That index
 * counts recorded samples, not steps: at its settings (200 s presentations = 1000 recorded samples)
 * it drops 41 samples (8.2 s) after every second switch. We drop, after every switch, the samples
 * recorded at most `steps` steps after it: a sample at step t is left out when
 * (t mod switchSteps) ≤ steps. With the reference's settings (dt = 0.01, recordEvery = 20,
 * switchSteps = 20 000) and steps = 800 (8 s, the reference's 40 recorded samples × 0.2 s) that is
 * sample s mod 1000 ≤ 40: the reference's window, after each switch instead of every second one.
 */
export interface SwitchTransient {
  /** Steps per test presentation, int(switchSeconds/dt) (README §3.3). */
  readonly switchSteps: number
  /** Steps between recorded samples (`record_res`). */
  readonly recordEvery: number
  /** Samples at most this many steps after a switch are left out (inclusive). */
  readonly steps: number
}

/** Whether recorded sample s of a trial falls in the transient after a switch. */
export const inSwitchTransient = (transient: SwitchTransient, s: number): boolean =>
  (s * transient.recordEvery) % transient.switchSteps <= transient.steps

/** A memo key for grouping options (the analyses memoize their passes per recording and options). */
export const groupingKey = (options: GroupingOptions): string => {
  const t = options.switchTransient
  const transient = t === undefined ? "" : `${t.switchSteps}/${t.recordEvery}/${t.steps}`
  return `${options.settleSamples ?? 0}|${transient}|${options.grid?.join(",") ?? ""}`
}

/** How samples are grouped by stimulus angle. */
export interface GroupingOptions {
  /** The angle grid to match samples to (default: the 12 test angles, README §3.1). */
  readonly grid?: ReadonlyArray<number>
  /**
   * Samples to leave out at the start of each trial and after each change of stimulus, so that
   * stimulus-conditioned statistics are not inflated by the transient (default 0: every sample
   * counts, step 0 included, as in the reference analyses, README §5).
   */
  readonly settleSamples?: number
  /**
   * Leave out the samples just after each switch of the test stimulus, as the reference's noise
   * statistics do (see {@link SwitchTransient}; default: keep every sample).
   */
  readonly switchTransient?: SwitchTransient
}

/** Samples grouped by the stimulus angle they were recorded under. */
export interface AngleGroups {
  /** The grid angles that occur in the recording, ascending. Per-angle results follow this order. */
  readonly angles: Array<number>
  /** Number of (included) samples of each angle. */
  readonly counts: Array<number>
  /** trials × samples: index into `angles` of each sample, or −1 for a sample left out. */
  readonly label: Int16Array
}

/** A sample angle farther than this from every grid angle is not a test angle: an error. */
const matchTolerance = 1e-3

const circularDistance = (a: number, b: number): number => {
  const d = Math.abs(a - b) % (2 * Math.PI)
  return Math.min(d, 2 * Math.PI - d)
}

const cache = new WeakMap<Recording, Map<string, AngleGroups>>()

/**
 * Groups the samples of a recording by stimulus angle: each float32 angle is matched to the nearest
 * grid angle (circular distance, so +π matches −π). Throws if a sample is not within 1e-3 rad of a
 * grid angle (the recording was not made with test stimuli, or the grid is wrong).
 * Memoized per recording object and options, since most analyses start from it.
 */
export const angleGroups = (recording: Recording, options: GroupingOptions = {}): AngleGroups => {
  const grid = options.grid ?? testAngles()
  const settle = options.settleSamples ?? 0
  const transient = options.switchTransient
  if (transient !== undefined) {
    for (const [name, value] of Object.entries(transient)) {
      if (!Number.isInteger(value) || value < (name === "steps" ? 0 : 1)) {
        throw new Error(
          `switchTransient.${name} must be a ${name === "steps" ? "non-negative" : "positive"} integer, got ${value}`
        )
      }
    }
  }
  const memoKey = `${groupingKey(options)}|${grid.join(",")}`
  const memo = cache.get(recording)
  const hit = memo?.get(memoKey)
  if (hit !== undefined) return hit
  checkRecording(recording)

  const { trials, samples } = recording
  const gridIndex = new Int16Array(trials * samples)
  const used = new Uint8Array(grid.length)
  let lastValue = Number.NaN
  let lastIndex = -1
  for (let k = 0; k < gridIndex.length; k++) {
    const theta = recording.angles[k]!
    if (theta !== lastValue) {
      let best = -1
      let bestDistance = Number.POSITIVE_INFINITY
      for (let g = 0; g < grid.length; g++) {
        const d = circularDistance(theta, grid[g]!)
        if (d < bestDistance) {
          bestDistance = d
          best = g
        }
      }
      if (!(bestDistance <= matchTolerance)) {
        throw new Error(
          `angle ${theta} at trial ${Math.floor(k / samples)}, sample ${k % samples} is not a test angle ` +
            `(nearest grid angle is ${bestDistance} rad away); pass the stimulus grid as options.grid`
        )
      }
      lastValue = theta
      lastIndex = best
    }
    gridIndex[k] = lastIndex
  }

  // Leave out the settling samples; an angle counts as occurring if one of its samples is kept.
  const included = new Uint8Array(trials * samples)
  for (let trial = 0; trial < trials; trial++) {
    let sinceChange = 0
    for (let s = 0; s < samples; s++) {
      const k = trial * samples + s
      if (s > 0 && gridIndex[k] !== gridIndex[k - 1]) sinceChange = 0
      if (sinceChange >= settle && (transient === undefined || !inSwitchTransient(transient, s))) {
        included[k] = 1
        used[gridIndex[k]!] = 1
      }
      sinceChange++
    }
  }

  // Keep only the grid angles that occur, in ascending order.
  const order = grid
    .map((angle, g) => ({ angle, g }))
    .filter(({ g }) => used[g] === 1)
    .sort((a, b) => a.angle - b.angle)
  const remap = new Int16Array(grid.length).fill(-1)
  order.forEach(({ g }, position) => {
    remap[g] = position
  })

  const label = new Int16Array(trials * samples).fill(-1)
  const counts = new Array<number>(order.length).fill(0)
  for (let k = 0; k < label.length; k++) {
    if (included[k] === 1) {
      const group = remap[gridIndex[k]!]!
      label[k] = group
      counts[group]!++
    }
  }

  const result: AngleGroups = { angles: order.map(({ angle }) => angle), counts, label }
  if (memo === undefined) cache.set(recording, new Map([[memoKey, result]]))
  else memo.set(memoKey, result)
  return result
}
