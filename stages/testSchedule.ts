/**
 * `test-schedule`: the fixed test stimuli (README §3.3): `trials × stimuliPerTrial` angles drawn
 * uniformly from the preferred angles (stream `test/schedule`), each held `switchSeconds`. Drawn
 * by its own stage, apart from the training stimuli, so that a test-side change (more test trials,
 * another presentation length) reruns only the tests and what follows them.
 *
 * The schedule is small (500 angles at full settings): it is the stage's JSON result.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stage from "../src/engine/Stage.js"
import { sampleTestSchedule } from "../src/model/inputs.js"
import { modelParamsFields as f, stimuliPerTrial } from "../src/model/params.js"
import { NonNegativeInt, PositiveInt } from "./params.js"

export const testSchedule = Stage.make({
  name: "test-schedule",
  module: import.meta.url,
  description: "Draws the fixed test stimuli: which preferred angle each presentation shows.",
  params: Schema.Struct({
    trials: NonNegativeInt,
    inputDim: f.inputDim,
    trialSeconds: f.trialSeconds,
    switchSeconds: f.switchSeconds
  }),
  random: true,
  output: Schema.Struct({
    trials: NonNegativeInt,
    stimuliPerTrial: PositiveInt,
    switchSeconds: Schema.Number,
    /** trials × stimuliPerTrial angles (rad), trial-major. */
    schedule: Schema.Array(Schema.Array(Schema.Number))
  }),
  run: (ctx) =>
    Effect.sync(() => {
      const { trials, switchSeconds } = ctx.params
      const perTrial = stimuliPerTrial(ctx.params)
      const flat = sampleTestSchedule(ctx.params, ctx.seed, trials)
      const schedule = Array.from({ length: trials }, (_, k) =>
        Array.from(flat.subarray(k * perTrial, (k + 1) * perTrial))
      )
      return { trials, stimuliPerTrial: perTrial, switchSeconds, schedule }
    })
})
