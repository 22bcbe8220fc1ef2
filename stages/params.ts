/**
 * Stage params built from the model parameters. Each stage's key must cover what the stage reads
 * and nothing else: a test-only change (more test trials) must not retrain, a training-only change
 * must not retest the untrained network. The model parameters carry the run's scale
 * (`trainTrials`, `testTrials`, `switchSeconds`); {@link dynamicsOnly} sets those to fixed
 * neutral values so they never split a key, and the stages that do read them take them as their
 * own params.
 */
import * as Schema from "effect/Schema"
import { type ModelParams, ModelParams as ModelParamsSchema } from "../src/model/params.js"

/** The model parameters without the run's scale: trial counts 0, one presentation per trial. */
export const dynamicsOnly = (model: ModelParams): ModelParams => ({
  ...model,
  trainTrials: 0,
  testTrials: 0,
  switchSeconds: model.trialSeconds
})

/** `model`: the dynamics (see {@link dynamicsOnly}), as every simulating stage takes them. */
export const Dynamics = ModelParamsSchema

export const PositiveInt = Schema.Number.pipe(Schema.int(), Schema.positive())
export const NonNegativeInt = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
