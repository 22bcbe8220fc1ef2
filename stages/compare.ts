/**
 * The comparison stages of issue #5, each ending in its own `report.html`:
 *
 * - `compare-rules`: every rule trained from the same initial network on the same stimuli, then
 *   tested; learning curves per rule, test error by angle per rule, and a summary table.
 * - `noise-sweep`: test error against the rate noise σ for two rules (the paper's claim that
 *   plastic recurrence compensates for noise, against the decoder-only control).
 *
 * Both take a variable number of upstream runs, so they are built per pipeline by a factory
 * whose inputs are named `<what>:<member>`.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Summary, SweepResult, VonMises } from "../src/analysis/index.js"
import * as Stage from "../src/engine/Stage.js"
import type { ReportSection } from "../src/figures/index.js"
import { analyze, asSummary } from "./analyze.js"
import { provenanceRows, runRecordPlaceholder } from "./report.js"
import { train } from "./train.js"

const Task = Schema.Literal("estimation", "classification")
const Output = Schema.Struct({ table: Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown })) })

/** Learning curves in the comparison reports: a centred moving average over this many trials. */
export const CURVE_SMOOTHING = 11

export const mainError = (s: Summary) =>
  s.task === "estimation" ? s.testMse : s.accuracy === null ? null : 1 - s.accuracy
export const errorLabel = (task: Summary["task"]) =>
  task === "estimation" ? "test MSE ‖o − y‖² (a.u.)" : "error rate (fraction)"
export const byAngle = (s: Summary) =>
  s.task === "estimation"
    ? s.mseByAngle.map((e) => ({ angle: e.angle, error: e.mse }))
    : s.accuracyByAngle.map((e) => ({ angle: e.angle, error: 1 - e.accuracy }))
/** The prior density on a grid, for the figures: the one the members' analyses used (their summary's `prior`). */
export const prior = (vonMisesDensity: (theta: number, prior: VonMises) => number, vonMises: VonMises) => {
  const angles = Array.from({ length: 181 }, (_, k) => -Math.PI + (2 * Math.PI * k) / 180)
  return { angles, density: angles.map((a) => vonMisesDensity(a, vonMises)) }
}

/** The analyses and figures (mathjs, d3, jsdom) load when a comparison runs, not when it is planned. */
export const libraries = Effect.promise(() =>
  Promise.all([import("../src/analysis/index.js"), import("../src/figures/index.js")])
).pipe(Effect.map(([analysis, figures]) => ({ ...analysis, ...figures })))

/** `compare-rules` over the given rules: inputs `analysis:<rule>` and `training:<rule>`. */
export const compareRulesStage = (rules: ReadonlyArray<string>) =>
  Stage.make({
    name: "compare-rules",
    module: import.meta.url,
    description: "Compares plasticity rules trained from the same network on the same stimuli.",
    params: Schema.Struct({ task: Task, rules: Schema.Array(Schema.String), pipeline: Schema.String }),
    inputs: Object.fromEntries(
      rules.flatMap((r) => [
        [`analysis:${r}`, analyze],
        [`training:${r}`, train]
      ])
    ) as Record<string, typeof analyze | typeof train>,
    output: Output,
    publish: ["report.html"],
    run: (ctx) =>
      Effect.gen(function* () {
        const { compareRules, errorByAngle, movingAverage, objectiveCurve, renderReport, vonMisesDensity } =
          yield* libraries
        const { task } = ctx.params
        const inputs = ctx.inputs as unknown as Record<string, Stage.Upstream<Record<string, unknown>>>
        const results = ctx.params.rules.map((rule) => {
          const training = inputs[`training:${rule}`]!.result as unknown as Stage.OutputOf<typeof train>
          return {
            rule,
            summary: asSummary(inputs[`analysis:${rule}`]!.result),
            objectiveMean: training.objectiveMean
          }
        })
        const comparison = compareRules(results)
        const curves = objectiveCurve(
          {
            series: results.map((r) => ({
              name: r.rule,
              x: r.objectiveMean.map((_, k) => k + 1),
              y: movingAverage(r.objectiveMean, CURVE_SMOOTHING)
            }))
          },
          {
            title: "Learning curves by plasticity rule",
            xLabel: "training trial (index)",
            yLabel: task === "estimation" ? "objective −‖y − o‖² (a.u.)" : "objective log p(y) (nats)"
          }
        )
        const first = byAngle(results[0]!.summary)
        const angles = errorByAngle(
          {
            angles: first.map((e) => e.angle),
            series: results.map((r) => ({ name: r.rule, error: byAngle(r.summary).map((e) => e.error) })),
            prior: prior(vonMisesDensity, results[0]!.summary.prior)
          },
          { title: "Test error by angle, per rule", yLabel: errorLabel(task) }
        )
        yield* ctx.writeText("learning-curves.svg", curves)
        yield* ctx.writeText("error-by-angle.svg", angles)
        const columns =
          task === "estimation"
            ? [
                "rule",
                "test MSE",
                "prior-weighted MSE",
                "× three-factor",
                "final objective",
                "noise share on decoder",
                "rank"
              ]
            : [
                "rule",
                "accuracy",
                "log-likelihood",
                "× three-factor",
                "final objective",
                "noise share on decoder",
                "rank"
              ]
        const rows = comparison.rows.map((r) => [
          r.rule,
          (task === "estimation" ? r.testMse : r.accuracy) ?? Number.NaN,
          (task === "estimation" ? r.priorWeighted : r.logLikelihood) ?? Number.NaN,
          r.relativeToBaseline ?? Number.NaN,
          r.finalObjective ?? Number.NaN,
          r.decoderShare ?? Number.NaN,
          r.rank ?? Number.NaN
        ])
        const sections: Array<ReportSection> = [
          {
            heading: "Summary",
            text: "Every rule starts from the same initial network and sees the same training stimuli and test schedule (shared upstream stages).",
            tables: [{ caption: "Test results per plasticity rule", columns, rows }]
          },
          {
            heading: "Figures",
            figures: [
              {
                svg: curves,
                caption: `Mean objective of each training trial, per rule (centred moving average over ${CURVE_SMOOTHING} trials).`
              },
              { svg: angles, caption: "Test error per stimulus angle, per rule, with the stimulus prior." }
            ]
          }
        ]
        const html = renderReport({
          title: `Plasticity rules compared: ${task} task`,
          subtitle: `pipeline "${ctx.params.pipeline}"`,
          sections,
          provenance: provenanceRows(yield* ctx.lineage),
          trusted: runRecordPlaceholder
        })
        yield* ctx.writeText("report.html", html)
        return { table: comparison.rows as unknown as ReadonlyArray<Record<string, unknown>> }
      })
  })

/** One member of a sweep: the input name of its analysis. */
export const sweepInput = (rule: string, sigma: number) => `analysis:${rule}@${sigma}`

/** `noise-sweep` over rules × σ: inputs `analysis:<rule>@<σ>`. */
export const noiseSweepStage = (rules: ReadonlyArray<string>, sigmas: ReadonlyArray<number>) =>
  Stage.make({
    name: "noise-sweep",
    module: import.meta.url,
    description: "Test error against rate noise σ, per rule.",
    params: Schema.Struct({
      task: Task,
      rules: Schema.Array(Schema.String),
      sigmas: Schema.Array(Schema.Number),
      pipeline: Schema.String
    }),
    inputs: Object.fromEntries(rules.flatMap((r) => sigmas.map((s) => [sweepInput(r, s), analyze]))) as Record<
      string,
      typeof analyze
    >,
    output: Output,
    publish: ["report.html"],
    run: (ctx) =>
      Effect.gen(function* () {
        const { errorVsNoise, noiseSweepTable, renderReport } = yield* libraries
        const { task } = ctx.params
        const inputs = ctx.inputs as unknown as Record<string, Stage.Upstream<Record<string, unknown>>>
        const results: Array<SweepResult> = ctx.params.rules.flatMap((rule) =>
          ctx.params.sigmas.map((sigma) => ({
            rule,
            sigma,
            summary: asSummary(inputs[sweepInput(rule, sigma)]!.result)
          }))
        )
        const table = noiseSweepTable(results)
        const figure = errorVsNoise(
          {
            sigmas: table.sigmas,
            series: table.rules.map((rule) => ({
              name: rule,
              error: table.sigmas.map((sigma) => {
                const r = results.find((x) => x.rule === rule && x.sigma === sigma)!
                return mainError(r.summary) ?? Number.NaN
              })
            }))
          },
          { title: "Test error against rate noise", yLabel: errorLabel(task), xLabel: "rate noise σ (a.u.)" }
        )
        yield* ctx.writeText("error-vs-noise.svg", figure)
        const rows = table.rows.map((row) => [row.sigma, ...row.values.map((v) => v ?? Number.NaN)])
        const html = renderReport({
          title: `Noise sweep: ${task} task`,
          subtitle: `pipeline "${ctx.params.pipeline}"`,
          sections: [
            {
              heading: "Test error against noise",
              text: "Each member is trained and tested at its own rate noise σ, from the same initial network and stimuli.",
              tables: [{ caption: `${table.metric} per σ and rule`, columns: ["σ", ...table.rules], rows }],
              figures: [
                {
                  svg: figure,
                  caption: `Test ${task === "estimation" ? "MSE" : "error rate"} against σ, one line per rule.`
                }
              ]
            }
          ],
          provenance: provenanceRows(yield* ctx.lineage),
          trusted: runRecordPlaceholder
        })
        yield* ctx.writeText("report.html", html)
        return { table: table.rows as unknown as ReadonlyArray<Record<string, unknown>> }
      })
  })
