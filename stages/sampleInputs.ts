/**
 * `sample-inputs`: the stimuli of a run, drawn once and shared by every stage that simulates
 * (README §3): the training angle sequences θ_t of every training trial (Langevin von Mises chain,
 * stream `train/trial/<k>/angle`) and the fixed test schedule (stream `test/schedule`).
 *
 * Artifacts: `training-angles.npy` (trainTrials × S, float64: the training stage consumes them
 * exactly), `test-schedule.npy` (testTrials × stimuli per trial, float64).
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as NdArray from "../src/engine/NdArray.js"
import * as Stage from "../src/engine/Stage.js"
import { sampleTestSchedule, sampleTrainingAngles } from "../src/model/inputs.js"
import { steps, stimuliPerTrial } from "../src/model/params.js"
import { Dynamics, NonNegativeInt } from "./params.js"

export const sampleInputs = Stage.make({
  name: "sample-inputs",
  module: import.meta.url,
  description: "Draws the training angle sequences and the test stimulus schedule.",
  params: Schema.Struct({
    model: Dynamics,
    trainTrials: NonNegativeInt,
    testTrials: NonNegativeInt,
    switchSeconds: Schema.Number.pipe(Schema.positive())
  }),
  output: Schema.Struct({
    trainTrials: NonNegativeInt,
    steps: NonNegativeInt,
    testTrials: NonNegativeInt,
    stimuliPerTrial: NonNegativeInt,
    switchSeconds: Schema.Number
  }),
  run: (ctx) =>
    Effect.gen(function* () {
      const { model, trainTrials, testTrials, switchSeconds } = ctx.params
      const S = steps(model)
      // Written one trial at a time: the whole array is 208 MB at full settings.
      yield* ctx.writeArrayRows("training-angles.npy", "f8", [trainTrials, S], (append) =>
        Effect.gen(function* () {
          for (let k = 0; k < trainTrials; k++) {
            yield* append(sampleTrainingAngles(model, ctx.seed, k))
            yield* ctx.progress(k + 1, trainTrials, "training angles")
          }
        })
      )
      const perTrial = stimuliPerTrial({ ...model, switchSeconds })
      const schedule = sampleTestSchedule({ ...model, switchSeconds }, ctx.seed, testTrials)
      yield* ctx.writeArray("test-schedule.npy", NdArray.make("f8", [testTrials, perTrial], schedule))
      return { trainTrials, steps: S, testTrials, stimuliPerTrial: perTrial, switchSeconds }
    })
})
