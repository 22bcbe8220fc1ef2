/**
 * `tuning-compare`: the tuning curves of the estimation and the classification network side by
 * side, as the reference's `tuning_curve_compare` (`pl_plotters_cr.py`) draws them — the
 * population's mean tuning curve ± SEM over neurons, one per network — and each network's curves
 * as a heatmap of neurons sorted by preferred angle, with the class boundary marked. It reads the
 * two experiments' `analyze` results (their details), so a pipeline that wires the same stages as
 * `estimation` and `classification` reuses their cache.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { StimulusDetails } from "../src/analysis/tasks/stimulus.js"
import * as Stage from "../src/engine/Stage.js"
import { Finite } from "../src/model/params.js"
import { provenanceRows } from "./report.js"

type Details = StimulusDetails

const libraries = Effect.promise(() =>
  Promise.all([import("../src/analysis/index.js"), import("../src/figures/index.js")])
).pipe(Effect.map(([analysis, figures]) => ({ ...analysis, ...figures })))

/** The stage, reading the `analyze` stages of the two experiments (any stimulus task's: their details). */
export const tuningCompareStage = <E extends Stage.Any, C extends Stage.Any>(estimation: E, classification: C) =>
  Stage.make({
    name: "tuning-compare",
    module: import.meta.url,
    description: "Tuning curves of the estimation and the classification network side by side.",
    params: Schema.Struct({
      pipeline: Schema.String,
      /** `theta_thresh`, `theta_thresh_rev`: the classifier's boundaries, drawn dashed. */
      thetaThresh: Finite,
      thetaThreshRev: Finite
    }),
    inputs: { estimation, classification },
    output: Schema.Struct({
      angles: Schema.Array(Schema.Number),
      estimation: Schema.Struct({
        mean: Schema.Array(Schema.Number),
        sem: Schema.Array(Schema.Number),
        neurons: Schema.Number
      }),
      classification: Schema.Struct({
        mean: Schema.Array(Schema.Number),
        sem: Schema.Array(Schema.Number),
        neurons: Schema.Number
      })
    }),
    publish: ["report.html"],
    run: (ctx) =>
      Effect.gen(function* () {
        const { angleCurves, matrixPanels, meanTuningCurve, preferenceOrder, renderReport } = yield* libraries
        // The details of a stimulus task's analysis (src/analysis/tasks/stimulus.ts), as `analyze` wrote them.
        const details = (u: { readonly readText: Stage.Upstream<unknown>["readText"] }) =>
          u.readText("details.json").pipe(Effect.map((text): Details => JSON.parse(text)))
        const estimation = yield* details(ctx.inputs.estimation)
        const classification = yield* details(ctx.inputs.classification)
        const curves = (d: Details) => meanTuningCurve(d.tuning.angles, d.tuning.mean)
        const e = curves(estimation)
        const c = curves(classification)
        const { thetaThresh, thetaThreshRev } = ctx.params
        const boundaries = [
          thetaThresh,
          thetaThreshRev,
          ...(Math.abs(thetaThreshRev + Math.PI) < 1e-12 ? [Math.PI] : [])
        ]
        const names = {
          estimation: `estimation network (N = ${e.neurons})`,
          classification: `classification network (N = ${c.neurons})`
        }
        const mean = angleCurves(
          {
            panels: [
              {
                yLabel: "mean rate over neurons (a.u.)",
                angles: e.angles,
                series: [
                  { name: names.estimation, values: e.mean, band: e.sem },
                  { name: names.classification, values: c.mean, band: c.sem }
                ]
              }
            ]
          },
          { title: "Mean tuning curve of each network", classBoundaries: boundaries, panelWidth: 420, panelHeight: 260 }
        )
        const sorted = (d: Details) => preferenceOrder(d.tuning.mean).map((i) => d.tuning.mean[i]!)
        const heatmaps = matrixPanels(
          {
            panels: [
              { title: names.estimation, matrix: sorted(estimation) },
              { title: names.classification, matrix: sorted(classification) }
            ]
          },
          {
            title: "Tuning curves of each network, neurons sorted by preferred angle",
            colorLabel: "mean rate (a.u.)",
            rows: { kind: "index", label: "neuron (sorted by preferred angle)" },
            columns: { kind: "angle", label: "stimulus angle θ (rad)", angles: e.angles },
            scale: "sequential",
            panelWidth: 220,
            panelHeight: 260
          }
        )
        yield* ctx.writeText("mean-tuning.svg", mean)
        yield* ctx.writeText("tuning-heatmaps.svg", heatmaps)
        const html = renderReport({
          title: "Tuning curves: estimation against classification",
          subtitle: `Bredenberg, Simoncelli & Savin (NeurIPS 2020) · pipeline "${ctx.params.pipeline}"`,
          sections: [
            {
              heading: "Tuning",
              text: "The two networks after training with the three-factor rule, each from its own experiment's stages (shared with the estimation and classification pipelines' cache).",
              figures: [
                {
                  svg: mean,
                  caption:
                    "Mean tuning curve ± SEM over neurons of each trained network (the reference's tuning_curve_compare); dashed lines mark the class boundary."
                },
                {
                  svg: heatmaps,
                  caption:
                    "Every neuron's tuning curve (mean rate per test angle) of each network, neurons sorted by the angle of their largest rate."
                }
              ]
            }
          ],
          provenance: provenanceRows(yield* ctx.lineage)
        })
        yield* ctx.writeText("report.html", html)
        return {
          angles: e.angles,
          estimation: { mean: e.mean, sem: e.sem, neurons: e.neurons },
          classification: { mean: c.mean, sem: c.sem, neurons: c.neurons }
        }
      })
  })
