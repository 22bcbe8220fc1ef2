/**
 * The `seed-study` stage: the same experiment run from several root seeds, summarised in one
 * report — how much of a single run's test error is the luck of its random streams (which stimuli
 * training happens to see, the initial network, the noise).
 *
 * It takes a variable number of members, so it is built per pipeline by a factory whose inputs
 * are named `analysis:<seed>` and `training:<seed>`.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { SeedResult } from "../src/analysis/index.js"
import * as Stage from "../src/engine/Stage.js"
import { analyze, asSummary } from "./analyze.js"
import { byAngle, CURVE_SMOOTHING, errorLabel, libraries, prior } from "./compare.js"
import { provenanceRows, runRecordPlaceholder } from "./report.js"
import { train } from "./train.js"

const Nullable = Schema.NullOr(Schema.Number)
const Output = Schema.Struct({
  metric: Schema.Literal("testMse", "accuracy"),
  count: Schema.Number,
  median: Nullable,
  mean: Nullable,
  sd: Nullable,
  min: Nullable,
  max: Nullable,
  medianSeed: Nullable,
  table: Schema.Array(Schema.Struct({ seed: Schema.Number, value: Nullable, companion: Nullable }))
})

/** The input names of one member. */
export const seedInput = (what: "analysis" | "training", seed: number) => `${what}:${seed}`

/** `seed-study` over the given seeds. */
export const seedStudyStage = (seeds: ReadonlyArray<number>) =>
  Stage.make({
    name: "seed-study",
    module: import.meta.url,
    description: "Summarises one experiment run from several root seeds.",
    params: Schema.Struct({
      task: Schema.Literal("estimation", "classification"),
      seeds: Schema.Array(Schema.Number),
      rule: Schema.String,
      pipeline: Schema.String
    }),
    inputs: Object.fromEntries(
      seeds.flatMap((s) => [
        [seedInput("analysis", s), analyze],
        [seedInput("training", s), train]
      ])
    ) as Record<string, typeof analyze | typeof train>,
    output: Output,
    publish: ["report.html"],
    run: (ctx) =>
      Effect.gen(function* () {
        const {
          errorByAngle,
          formatNumber,
          movingAverage,
          objectiveCurve,
          renderReport,
          resultBySeed,
          seedSpread,
          vonMisesDensity
        } = yield* libraries
        const { task, rule } = ctx.params
        const inputs = ctx.inputs as unknown as Record<string, Stage.Upstream<Record<string, unknown>>>
        const members = ctx.params.seeds.map((seed) => ({
          seed,
          summary: asSummary(inputs[seedInput("analysis", seed)]!.result),
          objectiveMean: (inputs[seedInput("training", seed)]!.result as unknown as Stage.OutputOf<typeof train>)
            .objectiveMean
        }))
        const spread = seedSpread(members satisfies ReadonlyArray<SeedResult>)
        const estimation = task === "estimation"
        const metricLabel = estimation ? "test MSE ‖o − y‖² (a.u.)" : "accuracy (fraction)"
        const spreadFigure = resultBySeed(
          {
            points: spread.rows.flatMap((r) => (r.value === null ? [] : [{ seed: r.seed, value: r.value }])),
            median: spread.median
          },
          { title: `${estimation ? "Test MSE" : "Accuracy"} of each seed's trained network`, yLabel: metricLabel }
        )
        const first = byAngle(members[0]!.summary)
        const angles = errorByAngle(
          {
            angles: first.map((e) => e.angle),
            series: members.map((m) => ({ name: `seed ${m.seed}`, error: byAngle(m.summary).map((e) => e.error) })),
            prior: prior(vonMisesDensity, members[0]!.summary.prior)
          },
          { title: "Test error by angle, per seed", yLabel: errorLabel(task) }
        )
        const curves = objectiveCurve(
          {
            series: members.map((m) => ({
              name: `seed ${m.seed}`,
              x: m.objectiveMean.map((_, k) => k + 1),
              y: movingAverage(m.objectiveMean, CURVE_SMOOTHING)
            }))
          },
          {
            title: "Learning curves, per seed",
            xLabel: "training trial (index)",
            yLabel: estimation ? "objective −‖y − o‖² (a.u.)" : "objective log p(y) (nats)"
          }
        )
        yield* ctx.writeText("result-by-seed.svg", spreadFigure)
        yield* ctx.writeText("error-by-angle.svg", angles)
        yield* ctx.writeText("learning-curves.svg", curves)
        const show = (v: number | null) => (v === null ? "—" : formatNumber(v))
        const html = renderReport({
          title: `Seed study: ${task} task, rule ${rule}`,
          subtitle: `pipeline "${ctx.params.pipeline}"`,
          sections: [
            {
              heading: "Summary",
              keyNumbers: [
                { label: `median ${estimation ? "test MSE" : "accuracy"}`, value: show(spread.median) },
                { label: "mean ± sd", value: `${show(spread.mean)} ± ${show(spread.sd)}` },
                { label: "range", value: `${show(spread.min)} – ${show(spread.max)}` },
                { label: "median seed", value: spread.medianSeed === null ? "—" : String(spread.medianSeed) }
              ],
              text: `Each seed runs the whole experiment — stimuli, initial network, training, test — from its own root seed, with the same parameters; the members differ only in their random streams. ${spread.count} of ${spread.rows.length} seeds have a result.`,
              tables: [
                {
                  caption: "Result per seed",
                  columns: estimation
                    ? ["seed", "test MSE", "prior-weighted MSE"]
                    : ["seed", "accuracy", "log-likelihood (nats)"],
                  rows: spread.rows.map((r) => [String(r.seed), r.value ?? Number.NaN, r.companion ?? Number.NaN])
                }
              ]
            },
            {
              heading: "Figures",
              figures: [
                { svg: spreadFigure, caption: "One point per seed, ranked; the dashed line is the median." },
                { svg: angles, caption: "Test error per stimulus angle, one line per seed, with the stimulus prior." },
                {
                  svg: curves,
                  caption: `Mean objective of each training trial, one line per seed (centred moving average over ${CURVE_SMOOTHING} trials).`
                }
              ]
            }
          ],
          provenance: provenanceRows(yield* ctx.lineage),
          trusted: runRecordPlaceholder
        })
        yield* ctx.writeText("report.html", html)
        return { ...spread, table: spread.rows }
      })
  })
