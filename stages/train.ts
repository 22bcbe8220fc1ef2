/**
 * `train`: all training trials (README §4, `train_2 = True`), one worker task per trial, with the
 * plasticity rule and the task the pipeline provides. Trials run in sequence (each starts from the
 * previous trial's weights); every trial's random stream depends only on (seed, trial index), so a
 * run resumed from a checkpoint is bit-identical to an uninterrupted one. Two stages of one
 * implementation: {@link train} for a stimulus task (its angles come from `sample-inputs`), and
 * {@link trainClosedLoop} for a feedback task (BCI: no stimulus, the input is the fed-back output).
 *
 * Checkpoint (after each trial, throttled by the engine): the network, the next trial index, the
 * per-trial mean objective, the recorded objective so far and the traces of the last trials.
 *
 * Artifacts: `objective.npy` (trials × S/recordEvery, float32: the per-step objective every
 * recordEvery-th step; at step 0 the previous trial's last value, as the reference's `obj_record`); `last-outputs.npy` and `last-targets.npy` (the output and target of the
 * last {@link TRACE_TRIALS} trials, K × targetDim × S/recordEvery, K = min(TRACE_TRIALS, trials)),
 * `last-angles.npy` (K × S/recordEvery).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as NdArray from "../src/engine/NdArray.js"
import * as Stage from "../src/engine/Stage.js"
import type { Network } from "../src/model/network.js"
import { recordedSteps, steps } from "../src/model/params.js"
import { type StimulusRecipe, type trainTrialTask, trialWorkerModule } from "../src/model/trialWorker.js"
import { trainSeconds } from "./cpuCost.js"
import { requireFinite } from "./finite.js"
import { init, NetworkResult } from "./network.js"
import { fromJson, NetworkJson, toJson } from "./networkFile.js"
import { baseMemory, checkSizes, Dynamics, Learning, modelOf, NonNegativeInt, recordingBytes } from "./params.js"
import { PlasticityRule } from "./plasticityRule.js"
import { recipeOf, sampleInputs } from "./sampleInputs.js"
import { TaskModel } from "./taskService.js"

const TrainTrial = { module: trialWorkerModule, export: "trainTrialTask" } as const

/** A trained network's arrays by the quantity they hold (for the numerical-health check). */
const networkArrays = (n: Network) =>
  [
    ["weights W", n.weights],
    ["input weights C", n.inputWeights],
    ["biases b", n.biases],
    ["decoder D", n.decoder]
  ] as const

/** How many of the last training trials keep their output and target traces. */
export const TRACE_TRIALS = 3

/** The checkpoint's JSON state. */
const Progress = Schema.Struct({
  nextTrial: NonNegativeInt,
  network: NetworkJson,
  objectiveMean: Schema.Array(Schema.Number),
  /** The last step's objective of the last trial done, carried into the next trial's step 0. */
  lastObjective: Schema.Number
})

const TrainParams = Schema.Struct({ dynamics: Dynamics, learning: Learning, trials: NonNegativeInt })
type TrainParams = typeof TrainParams.Type

/** What a training returns: the trained network, the rule and the learning curve. */
const TrainResult = Schema.Struct({
  ...NetworkResult.fields,
  rule: Schema.String,
  trials: NonNegativeInt,
  /** Mean objective of each training trial (the learning curve; BCI: the reward rate per trial). */
  objectiveMean: Schema.Array(Schema.Number)
})

/**
 * The recorded objective of every trial and the traces of the last ones, plus a copy of each in
 * the checkpoint being written, and a trial's angles and noise in its worker.
 */
const estimate = ({ dynamics, trials }: TrainParams) => {
  const objective = recordingBytes(dynamics, trials, 1)
  const traces = recordingBytes(dynamics, Math.min(TRACE_TRIALS, trials), 2 * dynamics.targetDim + 1)
  const trial = 3 * 8 * Math.trunc(dynamics.trialSeconds / dynamics.dt)
  return {
    memoryBytes: baseMemory(dynamics) + 3 * (objective + traces) + trial,
    diskBytes: objective + traces,
    cpuSeconds: trainSeconds(dynamics, trials * Math.trunc(dynamics.trialSeconds / dynamics.dt))
  }
}

/** What the shared implementation needs of a stage's context (either stage's). */
interface TrainContext {
  readonly params: TrainParams
  readonly seed: number
  readonly checkpoint: Stage.Checkpoint
  readonly runTask: Stage.StageContext<TrainParams, Stage.Inputs>["runTask"]
  readonly writeArray: Stage.StageContext<TrainParams, Stage.Inputs>["writeArray"]
  readonly progress: Stage.StageContext<TrainParams, Stage.Inputs>["progress"]
}

/** The stimuli of a stimulus task: the recipe the worker draws a trial's angles from, and their digests. */
interface Stimuli {
  readonly recipe: StimulusRecipe
  readonly trials: number
  readonly steps: number
  readonly digests: ReadonlyArray<string>
}

const run = (ctx: TrainContext, initial: Network, stimuli: Option.Option<Stimuli>) =>
  Effect.gen(function* () {
    const rule = yield* PlasticityRule
    const task = yield* TaskModel
    const { dynamics, learning, trials } = ctx.params
    if (task.id !== dynamics.task) {
      return yield* Effect.dieMessage(
        `train: the pipeline provides task ${task.id}, the dynamics are for ${dynamics.task}`
      )
    }
    if ((task.input === "stimulus") !== Option.isSome(stimuli)) {
      return yield* Effect.dieMessage(
        `train: task ${task.id} ${task.input === "stimulus" ? "needs" : "takes no"} training stimuli (use ${task.input === "stimulus" ? "train" : "trainClosedLoop"})`
      )
    }
    let network = initial
    const mismatch = checkSizes("train", network, dynamics)
    if (mismatch !== undefined) return yield* Effect.dieMessage(mismatch)
    const model = modelOf(task, dynamics, learning)
    const S = steps(model)
    const samples = recordedSteps(model)
    if (Option.isSome(stimuli) && (stimuli.value.trials < trials || stimuli.value.steps !== S)) {
      return yield* Effect.dieMessage(
        `train: sample-inputs drew ${stimuli.value.trials} trials of ${stimuli.value.steps} steps, need ${trials} of ${S}`
      )
    }

    let first = 0
    // Quirk 4 (README §4 item 5): each trial's recorded objective at step 0 is the previous trial's
    // last step's value (0 for the first trial).
    let lastObjective = 0
    const objectiveMean: Array<number> = []
    const objective = new Float32Array(trials * samples)
    const saved = yield* ctx.checkpoint.load
    if (Option.isSome(saved)) {
      const state = Schema.decodeUnknownSync(Progress)(saved.value.state)
      first = state.nextTrial
      lastObjective = state.lastObjective
      network = fromJson(state.network)
      objectiveMean.push(...state.objectiveMean)
      objective.set((saved.value.arrays["objective"]!.data as Float32Array).subarray(0, first * samples))
    }

    // The last K trials' traces, slot k − (trials − K) for trial k (kept in the checkpoint, so a
    // run resumed after its last trial still writes them).
    const K = Math.min(TRACE_TRIALS, trials)
    const { targetDim } = network
    const traces = {
      outputs: new Float32Array(K * targetDim * samples),
      targets: new Float32Array(K * targetDim * samples),
      angles: new Float32Array(K * samples)
    }
    if (Option.isSome(saved)) {
      for (const [name, array] of Object.entries(traces)) {
        const kept = saved.value.arrays[`last-${name}`]
        if (kept !== undefined) array.set(kept.data as Float32Array)
      }
    }
    const traceArrays = () => ({
      "last-outputs": NdArray.make("f4", [K, targetDim, samples], traces.outputs),
      "last-targets": NdArray.make("f4", [K, targetDim, samples], traces.targets),
      "last-angles": NdArray.make("f4", [K, samples], traces.angles)
    })

    for (let k = first; k < trials; k++) {
      const last = yield* ctx.runTask<typeof trainTrialTask>(TrainTrial, {
        network,
        params: model,
        ruleId: rule.id,
        ruleModule: rule.module,
        taskId: task.id,
        taskModule: task.module,
        seed: ctx.seed,
        trial: k,
        stimulus: Option.isSome(stimuli) ? stimuli.value.recipe : undefined,
        previousObjective: lastObjective
      })
      if (Option.isSome(stimuli) && last.anglesDigest !== stimuli.value.digests[k]) {
        return yield* Effect.dieMessage(
          `train: the angles of trial ${k} drawn from the recipe differ from those sample-inputs drew (digest ${last.anglesDigest?.slice(0, 12)}, recorded ${stimuli.value.digests[k]?.slice(0, 12)}): this machine draws other numbers than the one that ran sample-inputs`
        )
      }
      // Numerical health (#22): a trial whose network or objective is no longer finite stops here.
      yield* requireFinite("train", "mean objective", [last.objectiveMean, last.lastObjective], () => ({ trial: k }))
      yield* requireFinite("train", "recorded objective", last.objective, (i) => ({ trial: k, at: `sample ${i}` }))
      for (const [quantity, values] of networkArrays(last.network)) {
        yield* requireFinite("train", quantity, values, (i) => ({ trial: k, at: `entry ${i}` }))
      }
      network = last.network
      lastObjective = last.lastObjective
      objectiveMean.push(last.objectiveMean)
      objective.set(last.objective, k * samples)
      const slot = k - (trials - K)
      if (slot >= 0) {
        traces.outputs.set(last.outputs, slot * targetDim * samples)
        traces.targets.set(last.targets, slot * targetDim * samples)
        traces.angles.set(last.angles, slot * samples)
      }
      yield* ctx.checkpoint.save(
        { nextTrial: k + 1, network: toJson(network), objectiveMean, lastObjective },
        {
          objective: NdArray.make("f4", [k + 1, samples], objective.subarray(0, (k + 1) * samples)),
          ...traceArrays()
        }
      )
      yield* ctx.progress(k + 1, trials, `trial ${k + 1}/${trials}`)
    }

    yield* ctx.writeArray("objective.npy", NdArray.make("f4", [trials, samples], objective))
    for (const [name, array] of Object.entries(traceArrays())) yield* ctx.writeArray(`${name}.npy`, array)
    return { network: toJson(network), source: `train(${rule.id})`, rule: rule.id, trials, objectiveMean }
  })

export const train = Stage.make({
  name: "train",
  module: import.meta.url,
  description: "Trains the network on the Langevin stimulus sequences with the plasticity rule.",
  params: TrainParams,
  random: true,
  estimate,
  inputs: { network: init, stimuli: sampleInputs },
  output: TrainResult,
  requires: [PlasticityRule, TaskModel],
  run: (ctx) => {
    const stimuli = ctx.inputs.stimuli.result
    return run(ctx, fromJson(ctx.inputs.network.result.network), Option.some({ ...stimuli, recipe: recipeOf(stimuli) }))
  }
})

export const trainClosedLoop = Stage.make({
  name: "train",
  module: import.meta.url,
  description: "Trains the network in its closed loop (its input is its own decoded output) with the plasticity rule.",
  params: TrainParams,
  random: true,
  estimate,
  inputs: { network: init },
  output: TrainResult,
  requires: [PlasticityRule, TaskModel],
  run: (ctx) => run(ctx, fromJson(ctx.inputs.network.result.network), Option.none())
})
