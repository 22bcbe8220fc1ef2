/**
 * The CPU time of the model's steps, for the stages' estimates (`Stage.Estimate.cpuSeconds`): what
 * the scheduler prints before a run and checks against `PIPELINE_MAX_CPU_HOURS`.
 *
 * Calibrated on `npm run bench` (this machine, WebAssembly SIMD kernels, one thread, N = 40,
 * inputDim = 12, targetDim = 2): about 3.1 µs per training step and 2.1 µs per test step. A step's
 * work grows with the weights it touches, N·(N + inputDim + targetDim) (the learning rule updates
 * every one of them, the test step reads them), so other sizes scale by that count; for small N
 * the fixed cost of a step keeps it from going below a tenth of the calibrated one. An estimate,
 * not a promise: within a factor of two of a measured run, which is what refusing a 10-hour run
 * by mistake needs.
 *
 * @module cpuCost
 */

/** µs per training step at the calibration size (npm run bench, N = 40). */
export const TRAIN_US_PER_STEP = 3.1
/** µs per test step at the calibration size. */
export const TEST_US_PER_STEP = 2.1

/** The sizes a step's cost depends on. */
export interface StepSizes {
  readonly N: number
  readonly inputDim: number
  readonly targetDim: number
}

/** A step's cost relative to the calibration size (N = 40, inputDim = 12, targetDim = 2). */
const scale = ({ N, inputDim, targetDim }: StepSizes): number =>
  Math.max(0.1, (N * (N + inputDim + targetDim)) / (40 * (40 + 12 + 2)))

/** CPU seconds of `steps` training steps. */
export const trainSeconds = (sizes: StepSizes, steps: number): number =>
  (steps * TRAIN_US_PER_STEP * scale(sizes)) / 1e6

/** CPU seconds of `steps` test steps. */
export const testSeconds = (sizes: StepSizes, steps: number): number => (steps * TEST_US_PER_STEP * scale(sizes)) / 1e6
