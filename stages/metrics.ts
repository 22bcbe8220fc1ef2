/**
 * `metrics`: what one run of an experiment reports to a sweep (`pipeline run estimation --sweep …`):
 * its scalar results (test error, prior-weighted error, final training objective, …) and its
 * curves (the learning curve, the test error by stimulus angle), in the generic form the sweep's
 * `aggregate` stage tabulates and draws with confidence bands (src/analysis/aggregate.ts). It only
 * rearranges what `analyze` and `train` computed: cheap, and part of every run, so a sweep member
 * is exactly the single run with its params. Each task says what it reports (its summary module's
 * metrics function, src/analysis/tasks/summaries/); {@link metricsStages} makes the task's stages.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Metrics } from "../src/analysis/aggregate.js"
import * as Stage from "../src/engine/Stage.js"
import { requireFinite } from "./finite.js"
import { train } from "./train.js"

/** The member metrics, as JSON (src/analysis/aggregate.ts `Metrics`). */
export const MetricsJson = Schema.Struct({
  scalars: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      label: Schema.String,
      value: Schema.NullOr(Schema.Number),
      primary: Schema.Boolean
    })
  ),
  series: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      label: Schema.String,
      xLabel: Schema.String,
      yLabel: Schema.String,
      x: Schema.Array(Schema.Number),
      y: Schema.Array(Schema.Number),
      /** Names of the points when they are categories (drawn as grouped bars by the sweep's report). */
      categories: Schema.optional(Schema.Array(Schema.String))
    })
  )
})

/** What a task reports: its metrics function of its typed summaries, and the module defining it. */
export interface MetricsDefinition<S> {
  readonly module: string
  readonly metrics: (trained: S, initial?: S, objectiveMean?: ReadonlyArray<number>) => Metrics
}

/** Numerical health (#22): metrics holding a non-finite value fail the stage (never published as null). */
const requireFiniteMetrics = (stage: string, m: Metrics) =>
  Effect.gen(function* () {
    for (const s of m.scalars) if (s.value !== null) yield* requireFinite(stage, `metric ${s.name}`, [s.value])
    for (const s of m.series) {
      yield* requireFinite(stage, `series ${s.name} (y)`, s.y, (i) => ({ at: `point ${i}` }))
      yield* requireFinite(stage, `series ${s.name} (x)`, s.x, (i) => ({ at: `point ${i}` }))
    }
    return m
  })

/** The task's `metrics` stage (a trained run) and `metrics-pretrained` (a loaded network's run). */
export const metricsStages = <P, PI, I extends Stage.Inputs, S, SI>(
  analyze: Stage.Stage<"analyze", P, PI, I, S, SI, never>,
  definition: MetricsDefinition<S>
) => ({
  trained: Stage.make({
    name: "metrics",
    module: import.meta.url,
    code: [definition.module],
    description: "Collects a trained run's results and curves for sweeps.",
    params: Schema.Struct({}),
    inputs: { analysis: analyze, analysisInitial: analyze, training: train },
    output: MetricsJson,
    run: (ctx) =>
      requireFiniteMetrics(
        "metrics",
        definition.metrics(
          ctx.inputs.analysis.result,
          ctx.inputs.analysisInitial.result,
          ctx.inputs.training.result.objectiveMean
        )
      )
  }),
  pretrained: Stage.make({
    name: "metrics-pretrained",
    module: import.meta.url,
    code: [definition.module],
    description: "Collects a loaded network's results and curves for sweeps.",
    params: Schema.Struct({}),
    inputs: { analysis: analyze },
    output: MetricsJson,
    run: (ctx) => requireFiniteMetrics("metrics-pretrained", definition.metrics(ctx.inputs.analysis.result))
  })
})

/**
 * What an aggregate reads of a sweep member: any task's `metrics` node (every task's stage has
 * this output). A declaration for the aggregate's input type only: its members are the swept
 * pipeline's own `metrics` nodes, so this stage never runs.
 */
export const memberMetrics = Stage.make({
  name: "metrics",
  module: import.meta.url,
  description: "Any task's metrics (the input type of a sweep's aggregate; never run itself).",
  params: Schema.Struct({}),
  output: MetricsJson,
  run: () => Effect.dieMessage("memberMetrics declares the aggregate's input; a pipeline's own metrics stage runs")
})
