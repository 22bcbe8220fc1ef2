/**
 * Where a task's experiment finds its analysis: the worker in `src/analysis/tasks/<task>.ts`, the
 * metrics of `src/analysis/tasks/summaries/<task>.ts`, and for a stimulus task (estimation,
 * classification, mixed) the whole `analysis` block over the stimulus recording
 * (`StimulusAnalysisParams`: the run's prior, presentations and switch transient).
 */
import type * as Schema from "effect/Schema"
import type { Metrics } from "../../src/analysis/aggregate.js"
import {
  type Analysed,
  type AnalysisDefinition,
  moduleUrl,
  StimulusAnalysisParams,
  stimulusAnalysisInput,
  stimulusAnalysisParams,
  type WorkerRef,
  workerRef
} from "../analyze.js"
import type { MetricsDefinition } from "../metrics.js"

type StimulusInput = ReturnType<typeof stimulusAnalysisInput>

/** A task's analysis worker, `export` of `src/analysis/tasks/<task>.ts` (typed by the worker function `F`). */
export const analysisWorker = <F>(task: string, name: string): WorkerRef<F> =>
  workerRef<F>(moduleUrl(import.meta.url, `../../src/analysis/tasks/${task}`), name)

/**
 * A stimulus task's `analysis` block: its worker (whose input is the stimulus recording's, checked
 * by the compiler) and its summary Schema.
 */
export const stimulusAnalysis = <S, SI, D>(
  task: string,
  worker: WorkerRef<(input: StimulusInput) => Analysed<S, D>>,
  summary: Schema.Schema<S, SI, never>
): AnalysisDefinition<
  S,
  SI,
  D,
  typeof StimulusAnalysisParams.Type,
  typeof StimulusAnalysisParams.Encoded,
  StimulusInput
> => ({
  task,
  worker,
  summary,
  params: StimulusAnalysisParams,
  paramsOf: stimulusAnalysisParams,
  input: stimulusAnalysisInput
})

/** A task's `metrics` block: its summary module `src/analysis/tasks/summaries/<name>.ts` and its metrics function. */
export const summaryMetrics = <S>(
  task: string,
  metrics: (trained: S, initial?: S, objectiveMean?: ReadonlyArray<number>) => Metrics
): MetricsDefinition<S> => ({
  module: moduleUrl(import.meta.url, `../../src/analysis/tasks/summaries/${task}`),
  metrics
})
