/**
 * `sample-inputs`: the stimuli of the training trials (README §3.2), one Langevin von Mises chain
 * per trial from stream `train/trial/<k>/angle`.
 *
 * The angles themselves are not stored: a trial's 100 000 angles are drawn again in a few
 * milliseconds from the recipe this stage returns (its sampler params and seed), where reading
 * them back would cost 800 KB of disk per trial (208 MB per full run). The stage records, per
 * trial, the sha256 of the angles it drew (`digests`), and `train` checks the angles it draws
 * against them, so a training never consumes other stimuli than these. It also returns what the
 * figures show of the stimuli: θ_0 of every trial and a histogram of all training angles.
 *
 * Its params are the sampler's only (κ, μ, σ_s, dt, trial length) and the number of trials: a σ
 * sweep, another rule or a test-side change shares one set of stimuli.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stage from "../src/engine/Stage.js"
import { sampleTrainingAngles } from "../src/model/inputs.js"
import { steps } from "../src/model/params.js"
import { anglesDigest, type StimulusRecipe } from "../src/model/trialWorker.js"
import { NonNegativeInt, Stimulus } from "./params.js"

/** Bins of the training-angle histogram over [−π, π]. */
export const ANGLE_BINS = 72

export const sampleInputs = Stage.make({
  name: "sample-inputs",
  module: import.meta.url,
  description: "Draws the training angle sequences (Langevin von Mises chains), recording their digests.",
  params: Schema.Struct({ stimulus: Stimulus, trials: NonNegativeInt }),
  random: true,
  output: Schema.Struct({
    /** The recipe: the sampler's params and the root seed the angles are drawn from. */
    stimulus: Stimulus,
    seed: Schema.Number,
    trials: NonNegativeInt,
    steps: NonNegativeInt,
    /** sha256 of each trial's angles (float64 bytes). */
    digests: Schema.Array(Schema.String),
    /** θ_0 of each trial (the chain's von Mises start). */
    initialAngles: Schema.Array(Schema.Number),
    /** Counts of all training angles in {@link ANGLE_BINS} equal bins over [−π, π]. */
    histogram: Schema.Array(NonNegativeInt)
  }),
  run: (ctx) =>
    Effect.gen(function* () {
      const { stimulus, trials } = ctx.params
      const digests: Array<string> = []
      const initialAngles: Array<number> = []
      const histogram = new Array<number>(ANGLE_BINS).fill(0)
      const width = (2 * Math.PI) / ANGLE_BINS
      for (let k = 0; k < trials; k++) {
        const angles = sampleTrainingAngles(stimulus, ctx.seed, k)
        digests.push(anglesDigest(angles))
        initialAngles.push(angles[0]!)
        for (let t = 0; t < angles.length; t++) {
          histogram[Math.min(ANGLE_BINS - 1, Math.floor((angles[t]! + Math.PI) / width))]! += 1
        }
        yield* ctx.progress(k + 1, trials, "training angles")
      }
      return {
        stimulus,
        seed: ctx.seed,
        trials,
        steps: steps(stimulus),
        digests,
        initialAngles,
        histogram
      }
    })
})

/** The recipe of the stimuli a `sample-inputs` run drew (what `train` hands its worker tasks). */
export const recipeOf = (result: Stage.OutputOf<typeof sampleInputs>): StimulusRecipe => ({
  params: result.stimulus,
  seed: result.seed
})
