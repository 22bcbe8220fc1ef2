/**
 * `analyze`: what a test recording is analysed into, per task (DESIGN §14): a stage made for each
 * task by {@link analyzeStage} from the task's analysis module (src/analysis/tasks/), typed by
 * that task's summary Schema, the `analyze` edge of the DAG. The analysis runs on the worker pool
 * (a full recording is 20 M rates and the analyses take seconds); its JSON result is the summary
 * the report and the sweeps read (`testMse` and `mseByAngle` for estimation; `accuracy`,
 * `logLikelihood` and their by-angle lists for classification; both for mixed; the reward rate
 * for bci), and the artifact `details.json` holds what the figures draw, so a figure change reruns
 * neither the simulation nor the analyses.
 *
 * The stage reads the run's own parameters (its params), never a default; how the recording was
 * made (dt, recordEvery, switchSeconds) and the tested network come with the recording.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { NetworkWeights } from "../src/analysis/networkWeights.js"
import type { Recording } from "../src/analysis/recording.js"
import { analysisSettings } from "../src/analysis/settings.js"
import * as Stage from "../src/engine/Stage.js"
import type { Network } from "../src/model/network.js"
import { Finite, type ModelParams, Positive } from "../src/model/params.js"
import { fromJson } from "./networkFile.js"
import { test } from "./test.js"

/** A test recording as the analyses read it: the `test` stage's arrays, its network and how it was made. */
export interface TestRecording {
  readonly N: number
  readonly targetDim: number
  readonly trials: number
  readonly samples: number
  /** trials × N × samples, trials × targetDim × samples (outputs, targets), trials × samples (angles, objective). */
  readonly rates: Float32Array
  readonly outputs: Float32Array
  readonly targets: Float32Array
  readonly angles: Float32Array
  readonly objective: Float32Array
  readonly network: Network
  readonly dt: number
  readonly recordEvery: number
  readonly switchSeconds: number
}

/**
 * A worker function named by its module's URL and export, typed by `F` without importing the
 * module (a task's analysis loads mathjs: the pipelines list without loading it).
 */
export interface WorkerRef<F> {
  readonly module: string
  readonly export: string
  /** Phantom: the function's type. */
  readonly function?: F
}

/** A worker reference of the function type `F` (e.g. `workerRef<typeof analyzeEstimation>(url, "analyzeEstimation")`). */
export const workerRef = <F>(module: string, name: string): WorkerRef<F> => ({ module, export: name })

/**
 * The URL of a module of the project, relative to `from` (an `import.meta.url`) and without its
 * extension: `.ts` when running from the sources (tsx), `.js` when compiled.
 */
export const moduleUrl = (from: string, path: string): string =>
  new URL(`${path}${from.endsWith(".ts") ? ".ts" : ".js"}`, from).href

/** What the analysis worker of a task returns: its summary and the details its figures draw. */
export interface Analysed<S, D> {
  readonly summary: S
  readonly details: D
}

/** How a task's recording is analysed: its worker, its typed summary, its params and the worker's input. */
export interface AnalysisDefinition<S, SI, D, P, PI, W> {
  /** The task whose recordings this analyses (its id). */
  readonly task: string
  /** The worker (a src/analysis/tasks/ module's export), `(input: W) => { summary: S; details: D }`. */
  readonly worker: WorkerRef<(input: W) => Analysed<S, D>>
  readonly summary: Schema.Schema<S, SI, never>
  readonly params: Schema.Schema<P, PI, never>
  /** The stage's params from the run's model parameters. */
  readonly paramsOf: (model: ModelParams) => PI
  /** The worker's input from the recording and the params. */
  readonly input: (recording: TestRecording, params: P) => W
}

/** Any task's `analyze` stage whose summary is `S` (to type a stage reading several tasks' analyses). */
// biome-ignore lint/suspicious/noExplicitAny: the params and inputs of any task's analysis
export type AnalyzeOf<S> = Stage.Stage<"analyze", any, any, any, S, any, never>

/** The `analyze` stage of a task. */
export const analyzeStage = <S, SI, D, P, PI, W>(definition: AnalysisDefinition<S, SI, D, P, PI, W>) =>
  Stage.make({
    name: "analyze",
    module: import.meta.url,
    code: [definition.worker.module],
    description: `Analyzes a ${definition.task} test recording: error, code, noise, …`,
    params: definition.params,
    inputs: { recording: test },
    // The recording read whole (as the test wrote it), the analyses' per-sample work arrays about
    // as much again, and the structured clone the worker task receives.
    estimate: (_, { recording }) => ({ memoryBytes: 64 * 2 ** 20 + 3 * recording.diskBytes, diskBytes: 8 * 2 ** 20 }),
    output: definition.summary,
    run: (ctx) =>
      Effect.gen(function* () {
        const rec = ctx.inputs.recording
        if (rec.result.task !== definition.task) {
          return yield* Effect.dieMessage(
            `analyze: the recording is of task ${rec.result.task}, this analysis is ${definition.task}'s`
          )
        }
        const read = (name: string) => rec.readArray(name).pipe(Effect.map((a) => a.data as Float32Array))
        const recording: TestRecording = {
          N: rec.result.N,
          targetDim: rec.result.targetDim,
          trials: rec.result.trials,
          samples: rec.result.samples,
          rates: yield* read("rates.npy"),
          outputs: yield* read("outputs.npy"),
          targets: yield* read("targets.npy"),
          angles: yield* read("angles.npy"),
          objective: yield* read("objective.npy"),
          network: fromJson(rec.result.network),
          dt: rec.result.dt,
          recordEvery: rec.result.recordEvery,
          switchSeconds: rec.result.switchSeconds
        }
        const { summary, details } = yield* ctx.runTask<(input: W) => Analysed<S, D>>(
          { module: definition.worker.module, export: definition.worker.export },
          definition.input(recording, ctx.params)
        )
        yield* ctx.writeText("details.json", JSON.stringify(details))
        return summary
      })
  })

/**
 * Seconds after each switch of the test stimulus that the noise statistics leave out: the
 * reference's window of 40 recorded samples × dt·recordEvery = 0.2 s (see `SwitchTransient` in
 * src/analysis/angleGroups.ts).
 */
export const REFERENCE_SWITCH_TRANSIENT_SECONDS = 8

/** The params of a stimulus task's analysis: the prior, the class boundary (a task with a class), the switch transient. */
export const StimulusAnalysisParams = Schema.Struct({
  /** `mu_in`, `kappa_in`: the nominal stimulus prior von Mises(μ, κ). */
  muIn: Finite,
  kappaIn: Positive,
  /** `theta_thresh`: the classifier's boundary, where d′ and LDA split the samples. */
  thetaThresh: Schema.optional(Finite),
  /** Seconds after each switch left out of the noise statistics. */
  switchTransientSeconds: Schema.Number.pipe(Schema.finite(), Schema.nonNegative())
})

/** A stimulus task's analysis params from its model parameters (`thetaThresh` from its settings, if it has one). */
export const stimulusAnalysisParams = (model: ModelParams): typeof StimulusAnalysisParams.Encoded => {
  const boundary = model.settings.thetaThresh
  return {
    muIn: model.muIn,
    kappaIn: model.kappaIn,
    ...(typeof boundary === "number" ? { thetaThresh: boundary } : {}),
    switchTransientSeconds: REFERENCE_SWITCH_TRANSIENT_SECONDS
  }
}

/** A stimulus task's worker input: the recording, the tested network's weights and the run's settings. */
export const stimulusAnalysisInput = (recording: TestRecording, params: typeof StimulusAnalysisParams.Type) => {
  const { network } = recording
  const rec: Recording = {
    task: recording.targetDim === 1 ? "classification" : "estimation",
    N: recording.N,
    targetDim: recording.targetDim,
    trials: recording.trials,
    samples: recording.samples,
    rates: recording.rates,
    outputs: recording.outputs,
    targets: recording.targets,
    angles: recording.angles,
    decoder: network.decoder
  }
  const weights: NetworkWeights = {
    N: network.N,
    inputDim: network.inputDim,
    weights: network.weights,
    inputWeights: network.inputWeights,
    biases: network.biases
  }
  const settings = analysisSettings({
    ...params,
    thetaThresh: params.thetaThresh ?? 0,
    inputDim: network.inputDim,
    dt: recording.dt,
    recordEvery: recording.recordEvery,
    switchSeconds: recording.switchSeconds
  })
  return { recording: rec, network: weights, settings }
}
