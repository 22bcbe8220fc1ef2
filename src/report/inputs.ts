/**
 * What a report's figures read of one run (the `plot` stage writes it as `report-inputs.json`):
 * the trained network's analysis (its `analyze` summary and details), the untrained network's and
 * the training's when the run trained, the training stimuli's histogram, and what the figures need
 * to know of the run's parameters and of its task (the names of its outputs and objective).
 */

/** One recording's analysis: the `analyze` result and its `details.json`. */
export interface Analyzed<S, D> {
  readonly summary: S
  readonly details: D
}

/** A density histogram of the training angles over [−π, π] (bins + 1 edges, density per bin in 1/rad). */
export interface AngleHistogram {
  readonly edges: ReadonlyArray<number>
  readonly density: ReadonlyArray<number>
  readonly total: number
}

/** What a run's training contributes. */
export interface TrainingInputs {
  readonly rule: string
  /** Mean objective of each training trial (BCI: the reward rate per trial). */
  readonly objectiveMean: ReadonlyArray<number>
  readonly trialSeconds: number
  /** Output and target over the last training trials (one row per output dimension, trial after trial). */
  readonly lastTrials?: {
    /** The 1-based index of the first trial shown, and how many trials follow. */
    readonly firstTrial: number
    readonly trials: number
    /** Recorded samples per plotted point. */
    readonly stride: number
    readonly outputs: Array<Array<number>>
    readonly targets: Array<Array<number>>
  }
  /** The training stimuli's distribution (a stimulus task's). */
  readonly angleHistogram?: AngleHistogram
}

/** How the task names its outputs and objective in figures. */
export interface TaskLabels {
  /** One per output row, e.g. "cos θ", "sin θ"; "p(class 1)"; "D·r". */
  readonly outputs: ReadonlyArray<string>
  /** The objective's axis label, e.g. "objective −‖y − o‖² (a.u.)". */
  readonly objective: string
  /** What the objective is, for captions, e.g. "−‖y − Dr‖², 0 is perfect". */
  readonly objectiveNote: string
}

/** The report inputs of a run of a task whose analysis is `S` (summary) and `D` (details). */
export interface ReportInputs<S, D> {
  readonly task: string
  readonly trained: Analyzed<S, D>
  readonly initial?: Analyzed<S, D>
  readonly training?: TrainingInputs
  /** Seconds per recorded sample (dt · recordEvery). */
  readonly sampleSeconds: number
  /** Angles (rad) of the class boundaries, for tasks with a class (θ_thresh, θ_thresh_rev, and π if that is −π). */
  readonly classBoundaries: ReadonlyArray<number>
  /** The run's rate function, for the F–I curve. */
  readonly rateFunction: {
    readonly nonlinearity: "softplus" | "sigmoid" | "linear"
    readonly alpha: number
    readonly beta: number
    readonly gamma: number
    readonly rLow: number
    readonly rHigh: number
  }
  readonly labels: TaskLabels
  /** "trained with the three-factor rule", or "loaded network". */
  readonly label: string
}
