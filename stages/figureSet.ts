/**
 * What the report of an experiment shows: the figures (src/figures) drawn from the `analyze`
 * details and the training curve, with captions, the key numbers and the per-angle table. Pure:
 * the `plot` stage writes the SVGs, the `report` stage lays them out.
 */
import type { ClassificationSummary, EstimationSummary, Summary } from "../src/analysis/index.js"
import { vonMisesDensity } from "../src/analysis/index.js"
import * as F from "../src/figures/index.js"
import type { Details } from "./tasks/analyzeRecording.js"

/** One recording's analysis: the `analyze` result and its `details.json`. */
export interface Analyzed {
  readonly summary: Summary
  readonly details: Details
}

/** Everything a report can show; the untrained network and training are absent with `pretrained`. */
export interface FigureInputs {
  readonly task: "estimation" | "classification"
  readonly trained: Analyzed
  readonly initial?: Analyzed
  readonly training?: {
    readonly rule: string
    readonly objectiveMean: ReadonlyArray<number>
    readonly trialSeconds: number
    /** Output and target over the last training trials (one row per output dimension, trial after trial). */
    readonly lastTrials?: {
      /** The 1-based index of the first trial shown, and how many trials follow. */
      readonly firstTrial: number
      readonly trials: number
      /** Recorded samples per plotted point. */
      readonly stride: number
      readonly outputs: Array<Array<number>>
      readonly targets: Array<Array<number>>
    }
  }
  /** Seconds per recorded sample (dt · recordEvery). */
  readonly sampleSeconds: number
  readonly label: string
}

export interface FigureEntry {
  /** Artifact name, e.g. `tuning-curves.svg`. */
  readonly file: string
  readonly caption: string
  readonly section: string
}

export interface ReportContent {
  readonly title: string
  readonly subtitle: string
  readonly keyNumbers: ReadonlyArray<{ label: string; value: number | string }>
  readonly table: { caption: string; columns: Array<string>; rows: Array<Array<string | number>> }
  readonly figures: ReadonlyArray<FigureEntry>
}

const priorCurve = () => {
  const angles = Array.from({ length: 181 }, (_, k) => -Math.PI + (2 * Math.PI * k) / 180)
  return { angles, density: angles.map((a) => vonMisesDensity(a)) }
}

const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v)

/** The figures (name → SVG) and the report content of an experiment. */
export function experimentFigures(input: FigureInputs): { svgs: Record<string, string>; content: ReportContent } {
  const { task, trained, initial, training } = input
  const svgs: Record<string, string> = {}
  const figures: Array<FigureEntry> = []
  const add = (file: string, section: string, caption: string, svg: string) => {
    svgs[file] = svg
    figures.push({ file, caption, section })
  }
  const stateLabel = initial === undefined ? input.label : "after learning"
  const boundaries = task === "classification" ? [0, -Math.PI, Math.PI] : []

  if (training !== undefined && training.objectiveMean.length > 0) {
    const x = training.objectiveMean.map((_, k) => k + 1)
    add(
      "objective.svg",
      "Learning",
      `Objective over training (${training.rule} rule): mean of the per-step objective in each ${training.trialSeconds} s trial, with a moving average. ${task === "estimation" ? "The objective is −‖y − Dr‖², so 0 is perfect." : "The objective is the log-likelihood of the class."}`,
      F.objectiveCurve(
        { series: [{ name: training.rule, x, y: training.objectiveMean }] },
        {
          title: "Objective over training",
          xLabel: "training trial (index)",
          yLabel: task === "estimation" ? "objective −‖y − o‖² (a.u.)" : "objective log p(y) (nats)",
          smoothWindow: Math.max(1, Math.min(25, Math.floor(x.length / 10)))
        }
      )
    )
  }

  const lastTrials = training?.lastTrials
  if (lastTrials !== undefined && lastTrials.trials > 0) {
    const step = lastTrials.stride * input.sampleSeconds
    const trialTime = lastTrials.outputs[0]!.map((_, k) => k * step)
    const range =
      lastTrials.trials === 1
        ? `trial ${lastTrials.firstTrial}`
        : `trials ${lastTrials.firstTrial}–${lastTrials.firstTrial + lastTrials.trials - 1}`
    add(
      "training-trace.svg",
      "Learning",
      `Output and target during the last training ${range}, one after the other (${training!.trialSeconds} s each; the stimulus follows the Langevin process of the training set).`,
      F.outputTrace(
        {
          time: trialTime,
          outputs: lastTrials.outputs,
          targets: lastTrials.targets,
          dimLabels: task === "estimation" ? ["cos θ", "sin θ"] : ["p(class 1)"]
        },
        { title: `Output and target, last training ${range}` }
      )
    )
  }

  const trace = trained.details.trace
  const time = trace.outputs[0]!.map((_, k) => k * input.sampleSeconds)
  add(
    "output-trace.svg",
    "Behaviour",
    `Output and target over the first test trial (${stateLabel}); the stimulus switches every presentation.`,
    F.outputTrace(
      {
        time,
        outputs: trace.outputs,
        targets: trace.targets,
        dimLabels: task === "estimation" ? ["cos θ", "sin θ"] : ["p(class 1)"]
      },
      { title: `Output and target over time (${stateLabel})` }
    )
  )

  if (task === "estimation") {
    const panel = (label: string, a: Analyzed): F.CloudPanel => {
      const stats = a.details.outputs.byAngle
      return {
        label,
        angles: a.details.clouds.angles,
        points: {
          x: a.details.clouds.outputs[0]!,
          y: a.details.clouds.outputs[1]!,
          angleIndex: a.details.clouds.angleIndex
        },
        means: stats.map((s) => [s.mean[0]!, s.mean[1]!] as const),
        covariances: stats.map((s) => [s.covariance[0]![0]!, s.covariance[0]![1]!, s.covariance[1]![1]!] as const)
      }
    }
    const panels = [...(initial !== undefined ? [panel("before learning", initial)] : []), panel(stateLabel, trained)]
    add(
      "output-clouds.svg",
      "Behaviour",
      "Network outputs per test angle (subsampled points) with 2-σ covariance ellipses around the mean output; the unit circle holds the targets (cos θ, sin θ).",
      F.outputClouds({ panels }, { title: "Output clouds on the unit circle", sigmas: 2 })
    )
  }

  const errorSeries = (a: Analyzed) => {
    if (task === "estimation") {
      const s = a.summary as EstimationSummary
      return { angles: s.mseByAngle.map((e) => e.angle), error: s.mseByAngle.map((e) => e.mse) }
    }
    const s = a.summary as ClassificationSummary
    return { angles: s.accuracyByAngle.map((e) => e.angle), error: s.accuracyByAngle.map((e) => 1 - e.accuracy) }
  }
  const after = errorSeries(trained)
  const series = [
    ...(initial !== undefined ? [{ name: "before learning", error: errorSeries(initial).error }] : []),
    { name: stateLabel, error: after.error }
  ]
  add(
    "error-by-angle.svg",
    "Behaviour",
    task === "estimation"
      ? "Mean squared error ‖o − y‖² per test angle, with the stimulus prior von Mises(0, 0.75) on the same axes (right scale): learning puts the precision where stimuli are frequent."
      : "Error rate (1 − accuracy) per test angle, with the stimulus prior von Mises(0, 0.75) on the same axes (right scale): errors remain where the class changes (θ = 0, and θ = ±π where the reference's −π quirk makes −π class 1).",
    F.errorByAngle(
      { angles: after.angles, series, prior: priorCurve() },
      {
        title: "Error by stimulus angle",
        yLabel: task === "estimation" ? "MSE ‖o − y‖² (a.u.)" : "error rate (fraction)"
      }
    )
  )

  const tuning = trained.details.tuning
  add(
    "tuning-curves.svg",
    "Representation",
    `Tuning curves (${stateLabel}): mean rate ± 1 std per test angle for a selection of neurons ordered by preferred angle${task === "classification" ? "; dashed lines mark the class boundary" : ""}.`,
    F.tuningCurves(
      {
        angles: tuning.angles,
        neurons: tuning.mean.map((mean, i) => ({ label: `neuron ${i}`, mean, std: tuning.std[i]! }))
      },
      { title: `Tuning curves (${stateLabel})`, maxNeurons: 12, classBoundaries: boundaries }
    )
  )
  add(
    "preferred-angles.svg",
    "Representation",
    "Distribution of the neurons' preferred angles (vector sum of the tuning curve) against the stimulus prior.",
    F.preferredAngles(
      { preferredAngles: tuning.vectorPreferredAngle, prior: priorCurve() },
      { title: `Preferred angles (${stateLabel})` }
    )
  )
  add(
    "noise-correlations.svg",
    "Noise",
    "Noise correlations: correlation of rate fluctuations around each test angle's mean, averaged over angles (diagonal masked).",
    F.correlationMatrix(
      { matrix: trained.details.noiseCorrelation.map((row) => row.map(num)) },
      { title: `Noise correlations (${stateLabel})`, maskDiagonal: true }
    )
  )
  const pairs = trained.details.signalNoise.pairs
  add(
    "signal-noise.svg",
    "Noise",
    "Signal vs noise correlation of every neuron pair, with a least-squares line.",
    F.signalNoise(
      { signal: pairs.map((p) => p.signal), noise: pairs.map((p) => p.noise) },
      { title: `Signal vs noise correlations (${stateLabel})` }
    )
  )
  add(
    "variance-explained.svg",
    "Representation",
    "PCA of the population activity: variance explained per component (bars) and cumulative (line).",
    F.varianceExplained({ fractions: trained.details.pca.varianceExplained }, { title: `PCA (${stateLabel})` })
  )
  if (task === "classification" && trained.details.discriminability !== undefined) {
    const dp = (a: Analyzed) => a.details.discriminability!.adjacentPairs
    add(
      "dprime.svg",
      "Behaviour",
      "d′ between neighbouring test angles, from the output distributions; the class boundary is where discrimination matters.",
      F.dprime(
        {
          angles: dp(trained).map((p) => p.midpoint),
          series: [
            ...(initial?.details.discriminability !== undefined
              ? [{ name: "before learning", values: dp(initial).map((p) => num(p.output)) }]
              : []),
            { name: stateLabel, values: dp(trained).map((p) => num(p.output)) }
          ]
        },
        { title: "Discriminability of neighbouring angles", classBoundaries: [0, -Math.PI, Math.PI] }
      )
    )
    const cm = trained.details.confusion!
    add(
      "confusion.svg",
      "Behaviour",
      "Confusion matrix of the classifier over all recorded samples (rows: true class; columns: output > 0.5).",
      F.confusionMatrix(
        { labels: ["θ < 0", "θ ≥ 0"], counts: cm.counts },
        { title: `Confusion matrix (${stateLabel})` }
      )
    )
  }

  return { svgs, content: reportContent(input, figures) }
}

function reportContent(input: FigureInputs, figures: ReadonlyArray<FigureEntry>): ReportContent {
  const { task, trained, initial } = input
  const title = `${task === "estimation" ? "Estimation" : "Classification"} task: ${input.label}`
  const subtitle =
    "Bredenberg, Simoncelli & Savin (NeurIPS 2020), Learning efficient task-dependent representations with synaptic plasticity"
  if (task === "estimation") {
    const a = trained.summary as EstimationSummary
    const b = initial?.summary as EstimationSummary | undefined
    const keyNumbers = [
      ...(b !== undefined ? [{ label: "test MSE before learning", value: num(b.testMse) }] : []),
      { label: `test MSE ${initial !== undefined ? "after learning" : ""}`.trim(), value: num(a.testMse) },
      { label: "prior-weighted MSE", value: num(a.priorWeightedMse) },
      {
        label: "squared bias / variance",
        value: `${fmt(a.biasVariance.overall?.bias2)} / ${fmt(a.biasVariance.overall?.variance)}`
      },
      { label: "noise along the decoder (× chance)", value: num(a.decoderAlignedNoise.enrichment) }
    ]
    const rows = a.mseByAngle.map((e, k) => [
      e.angle,
      ...(b !== undefined ? [num(b.mseByAngle.find((x) => Math.abs(x.angle - e.angle) < 1e-6)?.mse)] : []),
      e.mse,
      a.mseByAngle[k]!.count
    ])
    return {
      title,
      subtitle,
      keyNumbers,
      table: {
        caption: "Test MSE by stimulus angle",
        columns: ["angle θ (rad)", ...(b !== undefined ? ["MSE before"] : []), "MSE", "samples"],
        rows
      },
      figures
    }
  }
  const a = trained.summary as ClassificationSummary
  const b = initial?.summary as ClassificationSummary | undefined
  const keyNumbers = [
    ...(b !== undefined
      ? [
          { label: "accuracy before learning", value: num(b.accuracy) },
          { label: "log-likelihood before learning", value: num(b.logLikelihood) }
        ]
      : []),
    { label: "accuracy", value: num(a.accuracy) },
    { label: "log-likelihood (mean per sample)", value: num(a.logLikelihood) },
    { label: "d′ of the output", value: num(a.dPrime) }
  ]
  const rows = a.accuracyByAngle.map((e, k) => [
    e.angle,
    ...(b !== undefined ? [num(b.accuracyByAngle.find((x) => Math.abs(x.angle - e.angle) < 1e-6)?.accuracy)] : []),
    e.accuracy,
    num(a.logLikelihoodByAngle[k]?.logLikelihood),
    e.count
  ])
  return {
    title,
    subtitle,
    keyNumbers,
    table: {
      caption: "Accuracy and log-likelihood by stimulus angle",
      columns: [
        "angle θ (rad)",
        ...(b !== undefined ? ["accuracy before"] : []),
        "accuracy",
        "log-likelihood",
        "samples"
      ],
      rows
    },
    figures
  }
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "—" : F.formatNumber(v))
