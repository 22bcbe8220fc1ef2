/**
 * What a task is at the experiment level (DESIGN §14, issue #18): besides its model
 * (src/model/tasks/), its pipeline params, how its test recording is analysed (its typed summary,
 * src/analysis/tasks/), what it reports to sweeps (its metrics), and its report (its figure specs
 * and its header, src/report/). {@link defineExperiment} makes the task's stages from these;
 * `pipelines/experiment.ts` builds the same DAG for every task from them, asking the experiment
 * instead of branching on the task.
 */
import type * as Schema from "effect/Schema"
import type { ModelParams } from "../../src/model/params.js"
import type { AnyTask } from "../../src/model/task.js"
import type { TaskLabels } from "../../src/report/inputs.js"
import type { ContentSpec, FigureSpec, ReportInputs } from "../../src/report/spec.js"
import { type AnalysisDefinition, analyzeStage } from "../analyze.js"
import { figureStage } from "../figure.js"
import { type MetricsDefinition, metricsStages } from "../metrics.js"
import { plotStages } from "../plot.js"
import { reportStage } from "../report.js"

/** A task's own pipeline params (its `settings`, e.g. mixed's λ's) and how they become its settings. */
export interface TaskParams<F extends Schema.Struct.Fields> {
  readonly fields: F
  readonly settings: (p: Schema.Struct.Type<F>) => ModelParams["settings"]
}

/** What {@link defineExperiment} takes. */
export interface ExperimentDefinition<S, SI, D, P, PI, W, F extends Schema.Struct.Fields> {
  /** The task's model (src/model/tasks/). */
  readonly task: AnyTask
  /** The report's and the pipeline's name for it, e.g. "Estimation". */
  readonly title: string
  /** One sentence for `pipeline list`. */
  readonly description: string
  /** The default root seed (each stimulus task's: the median member of its seed study). */
  readonly defaultSeed: number
  readonly params: TaskParams<F>
  readonly analysis: AnalysisDefinition<S, SI, D, P, PI, W>
  readonly metrics: MetricsDefinition<S>
  readonly labels: TaskLabels
  /** The report's figures, in the order of the story; each applies where the run has what it needs. */
  readonly figures: ReadonlyArray<FigureSpec<ReportInputs<S, D>>>
  readonly content: ContentSpec<ReportInputs<S, D>>
}

/** A task's experiment: its definition and the stages made from it. */
export const defineExperiment = <S, SI, D, P, PI, W, F extends Schema.Struct.Fields>(
  definition: ExperimentDefinition<S, SI, D, P, PI, W, F>
) => {
  const analyze = analyzeStage(definition.analysis)
  const plot = plotStages(analyze)
  const figure = figureStage(plot.trained)
  return {
    ...definition,
    id: definition.task.id,
    stages: {
      analyze,
      metrics: metricsStages(analyze, definition.metrics),
      plot,
      figure,
      report: reportStage(plot.trained, figure)
    }
  }
}

/** An experiment of any task. */
// biome-ignore lint/suspicious/noExplicitAny: the experiment of any task
export type AnyExperiment = ReturnType<typeof defineExperiment<any, any, any, any, any, any, any>>
