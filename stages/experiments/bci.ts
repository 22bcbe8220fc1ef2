/**
 * The BCI experiment (the reference's `bci` objective, its README §10.4): a fixed decoder's
 * output, fed back as the network's only input, is rewarded while it stays in a window; the
 * network learns to keep it there with the reward as the rules' third factor.
 */
import * as Schema from "effect/Schema"
import type { analyzeBci } from "../../src/analysis/tasks/bci.js"
import { BciSummary, bciMetrics } from "../../src/analysis/tasks/summaries/bci.js"
import { Finite } from "../../src/model/params.js"
import { bci as task } from "../../src/model/tasks/bci.js"
import { bciContent } from "../../src/report/content/bci.js"
import { bciTrace } from "../../src/report/figures/bciTrace.js"
import { decoderOverlap } from "../../src/report/figures/decoderOverlap.js"
import { fiCurve } from "../../src/report/figures/fiCurve.js"
import { manifoldAngles } from "../../src/report/figures/manifoldAngles.js"
import { manifoldSpectrum } from "../../src/report/figures/manifoldSpectrum.js"
import { objective } from "../../src/report/figures/objective.js"
import { outputDistribution } from "../../src/report/figures/outputDistribution.js"
import { trainingTrace } from "../../src/report/figures/trainingTrace.js"
import type { TestRecording } from "../analyze.js"
import { defineExperiment } from "./experiment.js"
import { analysisWorker, summaryMetrics } from "./taskAnalysis.js"

/** The analysis reads the reward window. */
const BciAnalysisParams = Schema.Struct({ bciLow: Finite, bciHigh: Finite })

export const bci = defineExperiment({
  task,
  title: "BCI",
  description:
    "The BCI task (the reference's bci objective): a fixed decoder's output, fed back as the only input, is rewarded inside a window.",
  defaultSeed: 1,
  params: {
    fields: {
      /** `bci_threshold`: the reward window's lower bound (0; strict). */
      bciLow: Schema.optionalWith(Finite, { default: () => 0 }).annotations({
        description: "the reward window's lower bound, strict (`bci_threshold`; bci)"
      }),
      /** `bci_upper_bd`: its upper bound (0.01; strict). */
      bciHigh: Schema.optionalWith(Finite, { default: () => 0.01 }).annotations({
        description: "the reward window's upper bound, strict (`bci_upper_bd`; bci)"
      })
    },
    settings: (p) => ({ bciLow: p.bciLow, bciHigh: p.bciHigh })
  },
  analysis: {
    task: task.id,
    worker: analysisWorker<typeof analyzeBci>(task.id, "analyzeBci"),
    summary: BciSummary,
    params: BciAnalysisParams,
    paramsOf: (model) => ({ bciLow: Number(model.settings.bciLow), bciHigh: Number(model.settings.bciHigh) }),
    input: (recording: TestRecording, params) => ({
      recording: {
        N: recording.N,
        trials: recording.trials,
        samples: recording.samples,
        rates: recording.rates,
        outputs: recording.outputs,
        reward: recording.objective,
        decoder: recording.network.decoder
      },
      settings: { window: { low: params.bciLow, high: params.bciHigh } }
    })
  },
  metrics: summaryMetrics(task.id, bciMetrics),
  labels: {
    outputs: ["D·r"],
    objective: "reward rate (fraction of steps in the window)",
    objectiveNote: "the fraction of the trial's steps whose decoder output lay in the reward window"
  },
  figures: [
    objective,
    trainingTrace,
    bciTrace,
    outputDistribution,
    manifoldSpectrum,
    manifoldAngles,
    decoderOverlap,
    fiCurve
  ],
  content: bciContent
})
