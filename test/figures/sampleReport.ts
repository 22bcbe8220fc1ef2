/** A report with every figure, built from the fixtures: for the Chromium test and for humans. */

import { fiCurve as fiCurveData } from "../../src/analysis/rateFunction.js"
import { bandCurves } from "../../src/figures/bandCurves.js"
import {
  angleCurves,
  barChart,
  confusionMatrix,
  correlationMatrix,
  dprime,
  errorByAngle,
  fiCurve,
  histogramPanels,
  matrixPanels,
  objectiveCurve,
  outputClouds,
  outputTrace,
  preferredAngles,
  radialBias,
  renderReport,
  signalNoise,
  tuningCurves,
  varianceExplained
} from "../../src/figures/index.js"
import { metricByFactor } from "../../src/figures/metricByFactor.js"
import * as F from "./fixtures.js"

export const sampleReport = (): string =>
  renderReport({
    title: "Sample report: every figure on synthetic data",
    subtitle: "Synthetic inputs from test/figures/fixtures.ts <not a real run> & escaped text",
    sections: [
      {
        heading: "Estimation",
        keyNumbers: [
          { label: "test MSE after learning", value: 0.1234, unit: "a.u." },
          { label: "test MSE before learning", value: 0.98765 },
          { label: "accuracy", value: "85.1%" }
        ],
        figures: [
          {
            svg: objectiveCurve(F.objective, { smoothWindow: 9, yLabel: "objective: MSE (a.u.)" }),
            caption: "Objective over training."
          },
          { svg: outputTrace(F.trace), caption: "Output and target over the last 100 s of training." },
          { svg: outputClouds(F.clouds), caption: "Output clouds before and after learning (2-σ ellipses)." },
          { svg: tuningCurves(F.tuning, { maxNeurons: 12 }), caption: "Tuning curves of 12 of 20 neurons." },
          { svg: errorByAngle(F.errorAngle), caption: "Test error by angle against the prior." },
          { svg: preferredAngles(F.preferred), caption: "Preferred angles against the prior." },
          { svg: correlationMatrix(F.correlations), caption: "Noise correlations." },
          { svg: signalNoise(F.signalNoiseData), caption: "Signal vs noise correlations." },
          { svg: varianceExplained(F.variance), caption: "PCA variance explained." }
        ]
      },
      {
        heading: "Classification",
        figures: [
          {
            svg: tuningCurves(F.tuning, { maxNeurons: 8, classBoundaries: [-Math.PI, 0, Math.PI] }),
            caption: "Tuning curves with class boundaries."
          },
          { svg: dprime(F.dprimeData, { classBoundaries: [0] }), caption: "d′ by angle." },
          { svg: confusionMatrix(F.confusion), caption: "Confusion matrix after learning." }
        ]
      },
      {
        heading: "Code",
        figures: [
          {
            svg: angleCurves(F.anglePanels, { title: "Energy by angle" }),
            caption: "Quantities by angle, two panels."
          },
          {
            svg: matrixPanels(F.matrices.signed, {
              title: "Sorted noise correlations",
              colorLabel: "noise correlation (Pearson r)",
              rows: { kind: "index", label: "neuron (sorted)" },
              columns: { kind: "index", label: "neuron (sorted)" },
              maskDiagonal: true
            }),
            caption: "Heatmap panels."
          },
          {
            svg: histogramPanels(F.histograms, { title: "LDA projection", xLabel: "LDA projection (pooled std)" }),
            caption: "Histogram panels."
          },
          { svg: radialBias(F.radial), caption: "Radial bias." },
          {
            svg: barChart(
              {
                bars: [
                  { name: "before learning", value: 0.4 },
                  { name: "after learning", value: 1.2 }
                ]
              },
              { title: "Recurrent / input current", yLabel: "ratio" }
            ),
            caption: "Bars."
          },
          {
            svg: (() => {
              const c = fiCurveData("softplus", { alpha: 0, beta: 1 / 30, gamma: 30 })
              return fiCurve({ label: "softplus", u: c.u, r: c.r, clamp: { low: 0.001, high: 100 } })
            })(),
            caption: "F–I curve."
          }
        ]
      },
      {
        heading: "Rule comparison",
        figures: [
          { svg: objectiveCurve(F.learningCurves), caption: "Learning curves per rule." },
          {
            svg: metricByFactor(F.noiseSweep, {
              title: "Test MSE by sigma",
              xLabel: "sigma",
              yLabel: "test MSE (a.u.)"
            }),
            caption: "Test error against noise σ, with 95% intervals."
          },
          {
            svg: bandCurves(F.bands, {
              title: "Learning curve by rule",
              xAxis: { label: "training trial (index)", ticks: 6 },
              yLabel: "objective (a.u.)"
            }),
            caption: "Learning curves with bands."
          }
        ],
        tables: [
          {
            caption: "Test MSE per rule",
            columns: ["rule", "test MSE", "vs three-factor"],
            rows: [
              ["three-factor", 0.1234, "—"],
              ["decoder-only", 0.2345, "+90%"]
            ]
          }
        ]
      }
    ],
    provenance: [
      {
        stage: "train",
        key: "a".repeat(64),
        params: { trainTrials: 260, rule: "three-factor" }
      },
      { stage: "report", key: "b".repeat(64), params: {} }
    ]
  })
