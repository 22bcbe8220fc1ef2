/**
 * `test`: the network on the fixed test stimuli (README §3.3, `train = False`), trials spread
 * over the worker pool; {@link testClosedLoop} records a feedback task's closed loop (BCI: no
 * stimulus) the same way. Each trial's noise comes from stream `test/trial/<k>/noise` and results
 * are placed by trial index, so the recording is identical whatever the number of workers.
 *
 * Artifacts (every recordEvery-th step from step 0, as the reference records them; float32 since
 * they only feed analyses): `rates.npy` (trials × N × samples), `outputs.npy` and `targets.npy`
 * (trials × targetDim × samples), `angles.npy` (trials × samples), `objective.npy` (trials ×
 * samples; at step 0 the previous trial's last value, as the reference's `obj_record`, quirk 4).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as NdArray from "../src/engine/NdArray.js"
import * as Stage from "../src/engine/Stage.js"
import type { Network } from "../src/model/network.js"
import { recordedSteps } from "../src/model/params.js"
import { type testTrialTask, trialWorkerModule } from "../src/model/trialWorker.js"
import { testSeconds } from "./cpuCost.js"
import { requireFinite } from "./finite.js"
import { init } from "./network.js"
import { fromJson, NetworkJson } from "./networkFile.js"
import { baseMemory, checkSizes, Dynamics, modelOf, NonNegativeInt, recordingBytes } from "./params.js"
import { TaskModel } from "./taskService.js"
import { testSchedule } from "./testSchedule.js"

const TestTrial = { module: trialWorkerModule, export: "testTrialTask" } as const

const TestParams = Schema.Struct({ dynamics: Dynamics, trials: NonNegativeInt })
type TestParams = typeof TestParams.Type

/** The recordings (rates, outputs, targets, angles, objective), held whole, and written once. */
const estimate = ({ dynamics, trials }: TestParams) => {
  const bytes = recordingBytes(dynamics, trials, dynamics.N + 2 * dynamics.targetDim + 2)
  return {
    memoryBytes: baseMemory(dynamics) + 2 * bytes,
    diskBytes: bytes,
    cpuSeconds: testSeconds(dynamics, trials * Math.trunc(dynamics.trialSeconds / dynamics.dt)),
    // Its trials are independent: spread over as many threads as the job has.
    parallelism: trials
  }
}

const TestResult = Schema.Struct({
  task: Schema.String,
  trials: NonNegativeInt,
  N: NonNegativeInt,
  targetDim: NonNegativeInt,
  samples: NonNegativeInt,
  /** The tested network (the analyses read its decoder, and W, C, b for currents and energy). */
  network: NetworkJson,
  /** How the recording was made: the time step, the recording stride and the presentation length. */
  dt: Schema.Number,
  recordEvery: NonNegativeInt,
  switchSeconds: Schema.Number,
  source: Schema.String
})

/** What the shared implementation needs of a stage's context (either stage's). */
interface TestContext {
  readonly params: TestParams
  readonly seed: number
  readonly workers: number
  readonly runTask: Stage.StageContext<TestParams, Stage.Inputs>["runTask"]
  readonly writeArray: Stage.StageContext<TestParams, Stage.Inputs>["writeArray"]
  readonly progress: Stage.StageContext<TestParams, Stage.Inputs>["progress"]
}

/** The test stimuli of a stimulus task: each trial's presentations, and how long each is held. */
interface Schedule {
  readonly schedule: ReadonlyArray<ReadonlyArray<number>>
  readonly switchSeconds: number
}

const run = (
  ctx: TestContext,
  network: Network,
  networkResult: { readonly network: typeof NetworkJson.Type; readonly source: string },
  stimuli: Option.Option<Schedule>
) =>
  Effect.gen(function* () {
    const task = yield* TaskModel
    const { dynamics, trials } = ctx.params
    if (task.id !== dynamics.task) {
      return yield* Effect.dieMessage(
        `test: the pipeline provides task ${task.id}, the dynamics are for ${dynamics.task}`
      )
    }
    if ((task.input === "stimulus") !== Option.isSome(stimuli)) {
      return yield* Effect.dieMessage(
        `test: task ${task.id} ${task.input === "stimulus" ? "needs" : "takes no"} test stimuli (use ${task.input === "stimulus" ? "test" : "testClosedLoop"})`
      )
    }
    if (Option.isSome(stimuli) && stimuli.value.schedule.length < trials) {
      return yield* Effect.dieMessage(
        `test: test-schedule holds ${stimuli.value.schedule.length} trials, need ${trials}`
      )
    }
    const mismatch = checkSizes("test", network, dynamics)
    if (mismatch !== undefined) return yield* Effect.dieMessage(mismatch)
    const { N, targetDim } = network
    // A closed loop has no presentations: one "presentation" per trial.
    const switchSeconds = Option.isSome(stimuli) ? stimuli.value.switchSeconds : dynamics.trialSeconds
    const params = { ...modelOf(task, dynamics), switchSeconds }
    const samples = recordedSteps(params)

    const rates = new Float32Array(trials * N * samples)
    const outputs = new Float32Array(trials * targetDim * samples)
    const targets = new Float32Array(trials * targetDim * samples)
    const angles = new Float32Array(trials * samples)
    const objective = new Float32Array(trials * samples)
    const lastObjective = new Float64Array(trials)
    let done = 0
    yield* Effect.forEach(
      Array.from({ length: trials }, (_, k) => k),
      (k) =>
        ctx
          .runTask<typeof testTrialTask>(TestTrial, {
            network,
            params,
            taskId: task.id,
            taskModule: task.module,
            seed: ctx.seed,
            trial: k,
            schedule: Option.isSome(stimuli) ? Float64Array.from(stimuli.value.schedule[k]!) : undefined
          })
          .pipe(
            Effect.tap((r) =>
              Effect.gen(function* () {
                rates.set(r.rates, k * N * samples)
                outputs.set(r.outputs, k * targetDim * samples)
                targets.set(r.targets, k * targetDim * samples)
                angles.set(r.angles, k * samples)
                objective.set(r.objective, k * samples)
                lastObjective[k] = r.lastObjective
                yield* ctx.progress(++done, trials)
              })
            )
          ),
      { concurrency: Math.max(1, ctx.workers), discard: true }
    )
    // Quirk 4: step 0 of trial k records trial k − 1's last objective (the trials ran in parallel).
    for (let k = 1; k < trials; k++) objective[k * samples] = lastObjective[k - 1]!
    // Numerical health (#22): nothing non-finite is stored (float32 also overflows above 3.4e38).
    // Each array is trials × rows × samples (rows: the outputs' targetDim, the rates' N, 1).
    for (const [quantity, values, rows, row] of [
      ["outputs", outputs, targetDim, "output"],
      ["rates", rates, N, "neuron"],
      ["objective", objective, 1, ""]
    ] as const) {
      yield* requireFinite("test", quantity, values, (i) => ({
        trial: Math.floor(i / (rows * samples)),
        at: `${row === "" ? "" : `${row} ${Math.floor(i / samples) % rows}, `}recorded sample ${i % samples}`
      }))
    }
    yield* ctx.writeArray("rates.npy", NdArray.make("f4", [trials, N, samples], rates))
    yield* ctx.writeArray("outputs.npy", NdArray.make("f4", [trials, targetDim, samples], outputs))
    yield* ctx.writeArray("targets.npy", NdArray.make("f4", [trials, targetDim, samples], targets))
    yield* ctx.writeArray("angles.npy", NdArray.make("f4", [trials, samples], angles))
    yield* ctx.writeArray("objective.npy", NdArray.make("f4", [trials, samples], objective))
    return {
      task: dynamics.task,
      trials,
      N,
      targetDim,
      samples,
      network: networkResult.network,
      dt: params.dt,
      recordEvery: params.recordEvery,
      switchSeconds,
      source: networkResult.source
    }
  })

export const test = Stage.make({
  name: "test",
  module: import.meta.url,
  description: "Records the network's responses to the fixed test stimuli (no learning).",
  params: TestParams,
  random: true,
  estimate,
  inputs: { network: init, schedule: testSchedule },
  output: TestResult,
  requires: [TaskModel],
  run: (ctx) =>
    run(
      ctx,
      fromJson(ctx.inputs.network.result.network),
      ctx.inputs.network.result,
      Option.some(ctx.inputs.schedule.result)
    )
})

export const testClosedLoop = Stage.make({
  name: "test",
  module: import.meta.url,
  description: "Records the network in its closed loop, without learning (a feedback task's test).",
  params: TestParams,
  random: true,
  estimate,
  inputs: { network: init },
  output: TestResult,
  requires: [TaskModel],
  run: (ctx) => run(ctx, fromJson(ctx.inputs.network.result.network), ctx.inputs.network.result, Option.none())
})
