/**
 * The data the analyses read: a downsampled test recording (every 20th step, step 0 included, as the
 * reference's `r_record`/`o_record`/`target_record`, README §4.4) and a training summary.
 *
 * All arrays are flat and row-major. Every analysis in this folder is a pure function of these
 * values and returns plain JSON-able objects (numbers, arrays, `null` where a quantity is undefined;
 * never NaN, never typed arrays).
 *
 * Recordings are treated as immutable: the shared passes (`angleGroups`, rate and output moments) are
 * memoized per recording object, so calling several analyses on one recording sweeps the rates once.
 */

/** Which task the network was trained on (README §4.1(d–e)). */
export type Task = "estimation" | "classification"

/** A test recording, as the `test` stage hands it over. */
export interface Recording {
  readonly task: Task
  /** Number of neurons. */
  readonly N: number
  /** Output dimension: 2 for estimation, 1 for classification. */
  readonly targetDim: number
  readonly trials: number
  /** Samples per trial (recorded steps 0, 20, 40, …). */
  readonly samples: number
  /** trials × N × samples: rates[((trial·N) + i)·samples + s], the clamped rate (README §4.1(g)). */
  readonly rates: Float32Array
  /** trials × targetDim × samples: the network output o_t (README §4.1(d)). */
  readonly outputs: Float32Array
  /** trials × targetDim × samples: the target y_t (README §4.1(e)); 0 at step 0 (quirk 3). */
  readonly targets: Float32Array
  /** trials × samples: the stimulus angle θ_t at each sample (one of the test angles, as float32). */
  readonly angles: Float32Array
  /** targetDim × N: the network's decoder D, decoder[o·N + i]. */
  readonly decoder: Float64Array
}

/** What the training stage reports for the objective curve. */
export interface TrainingSummary {
  /** Mean objective of each training trial. */
  readonly objectiveMean: ReadonlyArray<number>
  /** Optionally the objective every 20th step over the whole training. */
  readonly objectiveEvery20?: ArrayLike<number>
}

/** Thrown when a recording's arrays do not have the lengths its header announces. */
export class RecordingShapeError extends Error {
  override readonly name = "RecordingShapeError"
}

/**
 * Checks that every array of a recording has the length its header (N, targetDim, trials, samples)
 * implies, and throws a `RecordingShapeError` naming the first field that does not.
 */
export const checkRecording = (recording: Recording): void => {
  const { N, targetDim, trials, samples } = recording
  for (const [name, value] of Object.entries({ N, targetDim, trials, samples })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RecordingShapeError(`recording.${name} must be a positive integer, got ${value}`)
    }
  }
  const expected: ReadonlyArray<readonly [keyof Recording, number, string]> = [
    ["rates", trials * N * samples, "trials × N × samples"],
    ["outputs", trials * targetDim * samples, "trials × targetDim × samples"],
    ["targets", trials * targetDim * samples, "trials × targetDim × samples"],
    ["angles", trials * samples, "trials × samples"],
    ["decoder", targetDim * N, "targetDim × N"]
  ]
  for (const [field, length, shape] of expected) {
    const actual = (recording[field] as ArrayLike<number>).length
    if (actual !== length) {
      throw new RecordingShapeError(
        `recording.${field} has ${actual} values, expected ${length} (${shape} = ${trials}, ${N}, ${targetDim}, ${samples})`
      )
    }
  }
}
