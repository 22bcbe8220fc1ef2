/**
 * What the report of an experiment shows: the figures (src/figures) drawn from the `analyze`
 * details and the training curve, with one-line captions, the key numbers and the per-angle table.
 * Pure: the `plot` stage writes the SVGs, the `report` stage lays them out in the order given
 * here, one section per distinct `section`.
 *
 * The order tells the paper's story: learning (objective, training stimuli), behaviour (outputs,
 * error, bias), then the code — tuning, noise, energy, currents — and the model's rate function.
 * Every panel that can contrast the network before and after learning does (before: blue or grey
 * dashed; after: vermillion).
 */
import type { ClassificationSummary, EstimationSummary, Summary } from "../src/analysis/index.js"
import { fiCurve as fiCurveData, type Nonlinearity, type VonMises, vonMisesDensity } from "../src/analysis/index.js"
import { angleLabel as fmtAngle } from "../src/figures/format.js"
import * as F from "../src/figures/index.js"
import type { Details } from "./tasks/analyzeRecording.js"

/** One recording's analysis: the `analyze` result and its `details.json`. */
export interface Analyzed {
  readonly summary: Summary
  readonly details: Details
}

/** A density histogram of the training angles over [−π, π] (bins + 1 edges, density per bin in 1/rad). */
export interface AngleHistogram {
  readonly edges: ReadonlyArray<number>
  readonly density: ReadonlyArray<number>
  readonly total: number
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
    /** The training stimuli's distribution, when the run's sample-inputs provides it. */
    readonly angleHistogram?: AngleHistogram
  }
  /** Seconds per recorded sample (dt · recordEvery). */
  readonly sampleSeconds: number
  /** Angles (rad) of the classifier's class boundaries (θ_thresh, θ_thresh_rev, and π if that is −π). */
  readonly classBoundaries: ReadonlyArray<number>
  /** The run's rate function, for the F–I curve. */
  readonly rateFunction: {
    readonly nonlinearity: Nonlinearity
    readonly alpha: number
    readonly beta: number
    readonly gamma: number
    readonly rLow: number
    readonly rHigh: number
  }
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

const priorCurve = (prior: VonMises) => {
  const angles = Array.from({ length: 181 }, (_, k) => -Math.PI + (2 * Math.PI * k) / 180)
  return { angles, density: angles.map((a) => vonMisesDensity(a, prior)) }
}

const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v)
const nums = (vs: ReadonlyArray<number | null | undefined>): Array<number> => vs.map(num)
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "—" : F.formatNumber(v))
const vm = (p: VonMises) => `von Mises(${F.formatNumber(p.mu)}, ${F.formatNumber(p.kappa)})`

/** The rate functions' formulas, for the F–I curve's legend. */
const rateFormula: Record<Nonlinearity, string> = {
  softplus: "softplus r = β·log(1 + exp(α + γu))",
  sigmoid: "sigmoid r = 1/(α + β·exp(−γu))",
  linear: "linear r = α + γu"
}

export const sections = {
  learning: "Learning",
  behaviour: "Behaviour",
  tuning: "Code: tuning",
  classes: "Code: class separation",
  noise: "Code: noise",
  energy: "Code: energy",
  currents: "Code: currents",
  model: "Model"
} as const

/** The figures (name → SVG) and the report content of an experiment. */
export function experimentFigures(input: FigureInputs): { svgs: Record<string, string>; content: ReportContent } {
  const { task, trained, initial, training } = input
  const svgs: Record<string, string> = {}
  const figures: Array<FigureEntry> = []
  const add = (file: string, section: string, caption: string, svg: string) => {
    svgs[file] = svg
    figures.push({ file, caption, section })
  }
  const estimation = task === "estimation"
  const prior = trained.details.settings.prior
  const after = initial === undefined ? input.label : "after learning"
  const before = "before learning"
  /** Both states (before, then after) when the run has both, else the one. */
  const states: ReadonlyArray<{ name: string; a: Analyzed }> = [
    ...(initial !== undefined ? [{ name: before, a: initial }] : []),
    { name: after, a: trained }
  ]
  const colors = { [before]: 0, [after]: 1 }
  const boundaries = estimation ? [] : input.classBoundaries
  const anglesOf = (a: Analyzed) => a.details.tuning.angles
  const contrast = initial !== undefined ? ", before and after learning" : ""

  // ---------------------------------------------------------------- Learning
  if (training !== undefined && training.objectiveMean.length > 0) {
    const x = training.objectiveMean.map((_, k) => k + 1)
    add(
      "objective.svg",
      sections.learning,
      `Objective over training (${training.rule} rule): mean of the per-step objective in each ${training.trialSeconds} s trial, with a moving average; ${estimation ? "−‖y − Dr‖², 0 is perfect" : "the log-likelihood of the class"}.`,
      F.objectiveCurve(
        { series: [{ name: training.rule, x, y: training.objectiveMean }] },
        {
          title: "Objective over training",
          xLabel: "training trial (index)",
          yLabel: estimation ? "objective −‖y − o‖² (a.u.)" : "objective log p(y) (nats)",
          smoothWindow: Math.max(1, Math.min(25, Math.floor(x.length / 10)))
        }
      )
    )
  }
  const histogram = training?.angleHistogram
  if (histogram !== undefined && histogram.total > 0) {
    const stationary = { mu: prior.mu, kappa: 2 * prior.kappa }
    add(
      "input-distribution.svg",
      sections.learning,
      `Training stimuli: histogram of every training angle against the nominal prior ${vm(prior)} and the Langevin sampler's stationary ${vm(stationary)} (its drift lacks a factor ½).`,
      F.inputDistribution(
        {
          edges: histogram.edges,
          density: histogram.density,
          total: histogram.total,
          densities: [
            { name: `nominal prior ${vm(prior)}`, curve: priorCurve(prior) },
            { name: `sampler's stationary ${vm(stationary)}`, curve: priorCurve(stationary), dashed: true }
          ]
        },
        { title: "Training stimuli against the prior" }
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
      sections.learning,
      `Output and target during the last training ${range}, one after the other (${training!.trialSeconds} s each; the stimulus follows the training set's Langevin process).`,
      F.outputTrace(
        {
          time: trialTime,
          outputs: lastTrials.outputs,
          targets: lastTrials.targets,
          dimLabels: estimation ? ["cos θ", "sin θ"] : ["p(class 1)"]
        },
        { title: `Output and target, last training ${range}` }
      )
    )
  }

  // ---------------------------------------------------------------- Behaviour
  const trace = trained.details.trace
  const time = trace.outputs[0]!.map((_, k) => k * input.sampleSeconds)
  add(
    "output-trace.svg",
    sections.behaviour,
    `Output and target over the first test trial (${after}); the stimulus switches every presentation.`,
    F.outputTrace(
      {
        time,
        outputs: trace.outputs,
        targets: trace.targets,
        dimLabels: estimation ? ["cos θ", "sin θ"] : ["p(class 1)"]
      },
      { title: `Output and target over time (${after})` }
    )
  )

  if (estimation) {
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
    add(
      "output-clouds.svg",
      sections.behaviour,
      `Network outputs per test angle (subsampled) with 2-σ covariance ellipses around the mean output${contrast}; the unit circle holds the targets (cos θ, sin θ).`,
      F.outputClouds(
        { panels: states.map((s) => panel(s.name, s.a)) },
        { title: "Output clouds on the unit circle", sigmas: 2 }
      )
    )
  }

  const errorSeries = (a: Analyzed) => {
    if (estimation) {
      const s = a.summary as EstimationSummary
      return { angles: s.mseByAngle.map((e) => e.angle), error: s.mseByAngle.map((e) => e.mse) }
    }
    const s = a.summary as ClassificationSummary
    return { angles: s.accuracyByAngle.map((e) => e.angle), error: s.accuracyByAngle.map((e) => 1 - e.accuracy) }
  }
  add(
    "error-by-angle.svg",
    sections.behaviour,
    estimation
      ? `Mean squared error ‖o − y‖² per test angle${contrast}, against the prior ${vm(prior)} (right scale): learning puts the precision where stimuli are frequent.`
      : `Error rate (1 − accuracy) per test angle${contrast}, against the prior ${vm(prior)} (right scale): errors remain near the class boundaries θ = 0 and ±π.`,
    F.errorByAngle(
      {
        angles: errorSeries(trained).angles,
        series: states.map((s) => ({ name: s.name, error: errorSeries(s.a).error })),
        prior: priorCurve(prior)
      },
      { title: "Error by stimulus angle", yLabel: estimation ? "MSE ‖o − y‖² (a.u.)" : "error rate (fraction)" }
    )
  )
  add(
    "bias-variance.svg",
    sections.behaviour,
    `The error split as the reference's bias_plot and variance_plot draw it: squared bias Σ_d (E[y_d] − E[o_d])² and output variance tr Cov(o) per test angle${contrast}.`,
    F.angleCurves(
      {
        panels: [
          {
            title: "squared bias",
            yLabel: estimation ? "‖E[y] − E[o]‖² (a.u.)" : "(E[y] − E[o])² (a.u.)",
            angles: anglesOf(trained),
            includeZero: true,
            series: states.map((s) => ({ name: s.name, values: s.a.details.biasVariance.map((b) => b.bias2) }))
          },
          {
            title: "output variance",
            yLabel: "tr Cov(o) (a.u.)",
            angles: anglesOf(trained),
            includeZero: true,
            series: states.map((s) => ({ name: s.name, values: s.a.details.biasVariance.map((b) => b.outputVariance) }))
          }
        ]
      },
      { title: "Bias and variance of the output by angle", classBoundaries: boundaries, colors }
    )
  )
  if (estimation) {
    add(
      "radial-bias.svg",
      sections.behaviour,
      `Bias of the estimate (the reference's radial_bias_plot): segments from each target (cos θ, sin θ) to the mean output at that angle${contrast}.`,
      F.radialBias(
        {
          angles: trained.details.outputs.byAngle.map((o) => o.angle),
          series: states.map((s) => ({
            name: s.name,
            means: s.a.details.outputs.byAngle.map((o) => [o.mean[0]!, o.mean[1]!] as const)
          }))
        },
        { title: "Bias of the estimate on the output plane" }
      )
    )
  } else {
    const dp = (a: Analyzed) => a.details.discriminability!.adjacentPairs
    add(
      "dprime.svg",
      sections.behaviour,
      `d′ of the logistic output between neighbouring test angles (plotted at their midpoint)${contrast}: discrimination is needed at the class boundaries.`,
      F.dprime(
        {
          angles: dp(trained).map((p) => p.midpoint),
          series: states.map((s) => ({ name: s.name, values: dp(s.a).map((p) => num(p.output)) }))
        },
        { title: "Discriminability of neighbouring angles", classBoundaries: boundaries }
      )
    )
    for (const s of states) {
      const cm = s.a.details.confusion!
      const file = s.a === trained ? "confusion.svg" : "confusion-initial.svg"
      add(
        file,
        sections.behaviour,
        `Confusion matrix of the classifier ${s.name} over all recorded samples (rows: the target class; columns: output > 0.5).`,
        F.confusionMatrix(
          { labels: ["class 0", "class 1"], counts: cm.counts },
          { title: `Confusion matrix (${s.name})` }
        )
      )
    }
  }

  // ---------------------------------------------------------------- Code: tuning
  const tuning = trained.details.tuning
  const neurons = (a: Analyzed) =>
    a.details.tuning.mean.map((mean, i) => ({ label: `neuron ${i}`, mean, std: a.details.tuning.std[i]! }))
  add(
    "tuning-curves.svg",
    sections.tuning,
    `Tuning curves ${after}: mean rate ± 1 std per test angle for neurons spread over the preferred angles${initial !== undefined ? "; grey dashed: the same neuron before learning" : ""}${estimation ? "" : "; dashed black lines mark the class boundaries"}.`,
    F.tuningCurves(
      {
        angles: tuning.angles,
        neurons: neurons(trained),
        ...(initial !== undefined ? { compare: { label: before, neurons: neurons(initial) } } : {})
      },
      { title: `Tuning curves (${after})`, maxNeurons: 12, classBoundaries: boundaries }
    )
  )
  add(
    "preferred-angles.svg",
    sections.tuning,
    `Distribution of the neurons' preferred angles (vector sum of the tuning curve)${initial !== undefined ? " after learning (bars) and before (outline)" : ""} against the prior ${vm(prior)}.`,
    F.preferredAngles(
      {
        preferredAngles: tuning.vectorPreferredAngle,
        prior: priorCurve(prior),
        label: after,
        ...(initial !== undefined
          ? { compare: { label: before, preferredAngles: initial.details.tuning.vectorPreferredAngle } }
          : {})
      },
      { title: "Preferred angles" }
    )
  )
  add(
    "variance-explained.svg",
    sections.tuning,
    `PCA of the population activity ${after}: variance explained per component (bars) and cumulative (line)${initial !== undefined ? "; grey: before learning" : ""}.`,
    F.varianceExplained(
      {
        fractions: trained.details.pca.varianceExplained,
        ...(initial !== undefined
          ? { compare: { label: before, fractions: initial.details.pca.varianceExplained } }
          : {})
      },
      { title: "PCA of population activity" }
    )
  )
  const angleAxis = (a: Analyzed) => ({ kind: "angle" as const, label: "stimulus angle θ (rad)", angles: anglesOf(a) })
  const sortedNeurons = { kind: "index" as const, label: "neuron (sorted by preferred angle)" }
  add(
    "stimulus-variance-pca.svg",
    sections.tuning,
    `Stimulus-conditioned variance along each of the first principal components of the activity, per test angle${contrast} (the reference's stimulus_variance_pca).`,
    F.matrixPanels(
      { panels: states.map((s) => ({ title: s.name, matrix: s.a.details.stimulusVariancePca.variance })) },
      {
        title: "Variance along the principal components by angle",
        colorLabel: "Var(wᵀr | θ) (a.u.)",
        rows: { kind: "index", label: "principal component (rank)", start: 1 },
        columns: angleAxis(trained),
        scale: "sequential",
        panelWidth: 240
      }
    )
  )
  add(
    "sorted-stimulus-variance.svg",
    sections.tuning,
    `Coefficient of variation (std/mean) of each neuron's rate per test angle, neurons sorted by preferred angle${contrast} (the reference's sorted_stimulus_variance).`,
    F.matrixPanels(
      {
        panels: states.map((s) => ({ title: s.name, matrix: s.a.details.sortedStimulusVariance.cv.map(nums) }))
      },
      {
        title: "Coefficient of variation by neuron and angle",
        colorLabel: "std/mean of the rate",
        rows: sortedNeurons,
        columns: angleAxis(trained),
        scale: "sequential",
        panelWidth: 200,
        panelHeight: 260
      }
    )
  )

  // ---------------------------------------------------------------- Code: class separation
  if (!estimation) {
    const lda = (a: Analyzed) => a.details.lda!
    add(
      "lda.svg",
      sections.classes,
      `Projection of the population activity on its linear discriminant (the reference's classifier_lda) by class${contrast}, in units of the pooled std; d′ of Fisher's discriminant, the linear readout that (nearly) best separates the classes.`,
      F.histogramPanels(
        {
          panels: states.map((s) => ({
            title: s.name,
            note: `d′ = ${fmt(lda(s.a).dPrime)}`,
            histograms: [
              { name: `class 0 (θ ≤ ${fmtAngle(input.classBoundaries[0] ?? 0)})`, ...lda(s.a).class0 },
              { name: `class 1 (θ > ${fmtAngle(input.classBoundaries[0] ?? 0)})`, ...lda(s.a).class1 }
            ]
          }))
        },
        { title: "Linear discriminant of the population", xLabel: "LDA projection (pooled std)" }
      )
    )
    const pairPanels = states.flatMap((s) => {
      const b = s.a.details.boundaries!
      return (["frequent", "rare"] as const).flatMap((which) => {
        const pair = b[which]
        if (pair === null) return []
        return [
          {
            title: `${s.name}: ${fmtAngle(pair.angleNegative)} vs ${fmtAngle(pair.anglePositive)}`,
            note: `d′ = ${fmt(pair.dPrime)}`,
            histograms: [
              { name: "negative side (θ < 0)", ...pair.negative },
              { name: "positive side (θ > 0)", ...pair.positive }
            ]
          }
        ]
      })
    })
    add(
      "boundary-compare.svg",
      sections.classes,
      `Decoder readout D·r at the two test angles either side of the frequent boundary θ = 0 and of the rare one θ = ±π${contrast} (the reference's boundary_compare).`,
      F.histogramPanels(
        { panels: pairPanels },
        { title: "Readout either side of the class boundaries", xLabel: "readout D·r (a.u.)", columnsPerRow: 2 }
      )
    )
  }

  // ---------------------------------------------------------------- Code: noise
  const transient = trained.details.settings.switchTransient
  const transientSeconds = transient === undefined ? 0 : (transient.steps * input.sampleSeconds) / transient.recordEvery
  const transientNote =
    transientSeconds > 0 ? `the first ${F.formatNumber(transientSeconds)} s after each switch left out` : "every sample"
  add(
    "noise-correlations.svg",
    sections.noise,
    `Noise correlations averaged over test angles, neurons sorted by preferred angle${contrast} (the reference's sorted_noise_correlations; ${transientNote}).`,
    F.matrixPanels(
      { panels: states.map((s) => ({ title: s.name, matrix: s.a.details.noiseCorrelationSorted.map(nums) })) },
      {
        title: "Noise correlations, sorted by preferred angle",
        colorLabel: "noise correlation (Pearson r)",
        rows: sortedNeurons,
        columns: sortedNeurons,
        maskDiagonal: true,
        note: "grey diagonal: self-correlation (≡ 1), not coloured"
      }
    )
  )
  add(
    "average-noise-correlation.svg",
    sections.noise,
    `Mean absolute noise correlation over neuron pairs at each test angle, ± its std over pairs${contrast} (the reference's avg_noise_correlations).`,
    F.angleCurves(
      {
        panels: [
          {
            yLabel: "mean |noise correlation|",
            angles: trained.details.averageNoiseCorrelation.angles,
            includeZero: true,
            series: states.map((s) => ({
              name: s.name,
              values: nums(s.a.details.averageNoiseCorrelation.mean),
              errorBar: nums(s.a.details.averageNoiseCorrelation.std)
            }))
          }
        ]
      },
      { title: "Average noise correlation by angle", classBoundaries: boundaries, colors, panelWidth: 380 }
    )
  )
  const pairs = trained.details.signalNoise.pairs
  const initialPairs = initial?.details.signalNoise.pairs
  add(
    "signal-noise.svg",
    sections.noise,
    `Signal vs noise correlation of every neuron pair, with least-squares lines${contrast}.`,
    F.signalNoise(
      {
        signal: pairs.map((p) => p.signal),
        noise: pairs.map((p) => p.noise),
        label: after,
        ...(initialPairs !== undefined
          ? {
              compare: {
                label: before,
                signal: initialPairs.map((p) => p.signal),
                noise: initialPairs.map((p) => p.noise)
              }
            }
          : {})
      },
      { title: "Signal vs noise correlations" }
    )
  )
  add(
    "covariance.svg",
    sections.noise,
    `Covariance of the rates over all test samples (signal and noise), neurons sorted by preferred angle${contrast} (the reference's covariance_plot; diagonal masked).`,
    F.matrixPanels(
      { panels: states.map((s) => ({ title: s.name, matrix: s.a.details.covarianceSorted })) },
      {
        title: "Covariance of the rates, sorted by preferred angle",
        colorLabel: "covariance (a.u.)",
        rows: sortedNeurons,
        columns: sortedNeurons,
        maskDiagonal: true,
        note: "grey diagonal: the variances, not coloured"
      }
    )
  )
  add(
    "noise-covariance-by-angle.svg",
    sections.noise,
    `Noise covariance at each test angle without the diagonal, neurons sorted by preferred angle${contrast} (the reference's mass_cov_plotter; ${transientNote}).`,
    F.matrixPanels(
      {
        panels: states.flatMap((s) =>
          s.a.details.noiseCovarianceSorted.byAngle.map((m, g) => ({
            title: `${s.name === before ? "before" : s.name === after && initial !== undefined ? "after" : s.name}, θ = ${fmtAngle(s.a.details.noiseCovarianceSorted.angles[g]!)}`,
            matrix: m
          }))
        )
      },
      {
        title: "Noise covariance by stimulus angle",
        colorLabel: "covariance (a.u.)",
        rows: { kind: "index", label: "neuron (sorted)" },
        columns: { kind: "index", label: "neuron (sorted)" },
        maskDiagonal: true,
        columnsPerRow: 6,
        panelWidth: 96
      }
    )
  )
  const volume = (a: Analyzed) => a.details.noiseVolume.byAngle
  const allNegative = states.every((st) =>
    volume(st.a).every((v) => (v.totalVolume ?? 0) < 0 && (v.projectedVolume ?? 0) < 0)
  )
  add(
    "noise-volume.svg",
    sections.noise,
    `Noise volume along the decoder: the reference's noise_volume fraction (Gaussian entropy of the noise on the decoder axes over that on the top noise axes${allNegative ? "; both entropies are negative here, so above 1 means less noise along the decoder" : ""}) and the ratio of the ellipsoid volumes (1: the decoder axes hold the top noise axes), per test angle${contrast}.`,
    F.angleCurves(
      {
        panels: [
          {
            title: "entropy fraction (reference)",
            yLabel: "H(decoder axes) / H(top noise axes)",
            angles: volume(trained).map((v) => v.angle),
            reference: 1,
            series: states.map((s) => ({ name: s.name, values: nums(volume(s.a).map((v) => v.volumeFraction)) }))
          },
          {
            title: "volume ratio",
            yLabel: "det(QΣQᵀ) / Π top-k λ",
            angles: volume(trained).map((v) => v.angle),
            includeZero: true,
            reference: 1,
            series: states.map((s) => ({ name: s.name, values: nums(volume(s.a).map((v) => v.determinantRatio)) }))
          }
        ]
      },
      { title: "Noise volume along the decoder by angle", classBoundaries: boundaries, colors }
    )
  )
  const total = (a: Analyzed) => a.details.volumeFractionTotal
  add(
    "volume-fraction-total.svg",
    sections.noise,
    `Volume fraction per test angle, mean ± SEM over ${total(trained).blocks} blocks of test trials${contrast} (the reference's volume_fraction_total_plot averages over networks; one run has one).`,
    F.angleCurves(
      {
        panels: [
          {
            title: "entropy fraction",
            yLabel: "volume fraction (mean ± SEM)",
            angles: total(trained).angles,
            reference: 1,
            series: states.map((s) => ({ name: s.name, values: nums(total(s.a).mean), band: nums(total(s.a).sem) }))
          },
          {
            title: "volume ratio",
            yLabel: "det ratio (mean ± SEM)",
            angles: total(trained).angles,
            includeZero: true,
            series: states.map((s) => ({
              name: s.name,
              values: nums(total(s.a).determinantMean),
              band: nums(total(s.a).determinantSem)
            }))
          }
        ]
      },
      { title: "Volume fraction over trial blocks", classBoundaries: boundaries, colors }
    )
  )
  add(
    "noise-angle.svg",
    sections.noise,
    `Alignment of the top noise components with the decoder axes, Σ_a |p_a·q_a| / k per test angle (the reference's noise_angle; 1 = aligned, 0 = orthogonal)${contrast}.`,
    F.angleCurves(
      {
        panels: [
          {
            yLabel: "|cos| of noise axes to decoder axes",
            angles: volume(trained).map((v) => v.angle),
            includeZero: true,
            series: states.map((s) => ({ name: s.name, values: nums(volume(s.a).map((v) => v.noiseAngle)) }))
          }
        ]
      },
      { title: "Noise angle to the decoder by angle", classBoundaries: boundaries, colors, panelWidth: 380 }
    )
  )
  const s2n = (a: Analyzed) => a.details.signalToNoise
  add(
    "signal-to-noise.svg",
    sections.noise,
    `Signal-to-noise ratio ‖Qμ‖² / tr(QΣQᵀ) of the population inside the decoder subspace and in its complement, per test angle${contrast} (the reference's stimulus_dependent_s2n).`,
    F.angleCurves(
      {
        panels: [
          {
            title: "decoder subspace",
            yLabel: "signal / noise",
            angles: s2n(trained).angles,
            includeZero: true,
            series: states.map((s) => ({ name: s.name, values: nums(s2n(s.a).decoder) }))
          },
          {
            title: "orthogonal complement",
            yLabel: "signal / noise",
            angles: s2n(trained).angles,
            includeZero: true,
            series: states.map((s) => ({ name: s.name, values: nums(s2n(s.a).orthogonal) }))
          }
        ]
      },
      { title: "Signal-to-noise ratio by angle", classBoundaries: boundaries, colors }
    )
  )

  // ---------------------------------------------------------------- Code: energy
  const energy = (a: Analyzed) => a.details.energy
  add(
    "energy.svg",
    sections.energy,
    `The reference's energy_relu E = −½rᵀWr + ½‖r‖² − bᵀr − rᵀCs (a Hopfield energy with a linear leak, not a Lyapunov function of this network) and its input term −rᵀCs, mean per test angle${contrast}.`,
    F.angleCurves(
      {
        panels: [
          {
            title: "energy E(r, s)",
            yLabel: "mean energy (a.u.)",
            angles: energy(trained).angles,
            series: states.map((s) => ({ name: s.name, values: energy(s.a).energy }))
          },
          {
            title: "input term −rᵀCs",
            yLabel: "mean input term (a.u.)",
            angles: energy(trained).angles,
            series: states.map((s) => ({ name: s.name, values: energy(s.a).differential }))
          }
        ]
      },
      { title: "Energy of the network state by angle", classBoundaries: boundaries, colors }
    )
  )

  // ---------------------------------------------------------------- Code: currents
  const currents = (a: Analyzed) => a.details.currents
  add(
    "currents.svg",
    sections.currents,
    `Mean drive summed over neurons per test angle: recurrent Σ_i (W r̄)_i, input Σ_i (C s)_i and bias Σ_i |b_i|${contrast} (the reference's mean_current_breakdown and current_plot).`,
    F.angleCurves(
      {
        panels: [
          {
            title: "recurrent",
            yLabel: "Σ_i (W r̄)_i (a.u.)",
            angles: currents(trained).angles,
            series: states.map((s) => ({ name: s.name, values: currents(s.a).totals.recurrent }))
          },
          {
            title: "input",
            yLabel: "Σ_i (C s)_i (a.u.)",
            angles: currents(trained).angles,
            series: states.map((s) => ({ name: s.name, values: currents(s.a).totals.input }))
          },
          {
            title: "bias",
            yLabel: "Σ_i |b_i| (a.u.)",
            angles: currents(trained).angles,
            includeZero: true,
            series: states.map((s) => ({ name: s.name, values: currents(s.a).totals.bias }))
          }
        ]
      },
      { title: "Currents into the neurons by angle", classBoundaries: boundaries, colors, panelWidth: 250 }
    )
  )
  add(
    "current-ratio.svg",
    sections.currents,
    `Size of the recurrent relative to the input current, mean |W r̄| / mean |C s| over neurons and test angles${contrast} (the reference's current_ratio_plot).`,
    F.barChart(
      { bars: states.map((s) => ({ name: s.name, value: num(currents(s.a).recurrentToInput) })) },
      { title: "Recurrent / input current", yLabel: "mean |W r̄| / mean |C s|" }
    )
  )
  const bias = (a: Analyzed) => a.details.recurrentBias
  add(
    "recurrent-bias.svg",
    sections.currents,
    estimation
      ? `The mean recurrent current as the decoder reads it, D·W·r̄, per test angle${contrast}: along the circle (positive: towards larger θ) and along the radius (the reference's recurrent_bias).`
      : `The mean recurrent current as the decoder reads it, D·W·r̄, and the input current D·C·s per test angle${contrast} (the reference's recurrent_bias).`,
    F.angleCurves(
      {
        panels: estimation
          ? [
              {
                title: "along the circle",
                yLabel: "tangential D·W·r̄ (a.u.)",
                angles: bias(trained).map((b) => b.angle),
                reference: 0,
                series: states.map((s) => ({ name: s.name, values: bias(s.a).map((b) => num(b.tangential)) }))
              },
              {
                title: "along the radius",
                yLabel: "radial D·W·r̄ (a.u.)",
                angles: bias(trained).map((b) => b.angle),
                reference: 0,
                series: states.map((s) => ({ name: s.name, values: bias(s.a).map((b) => num(b.radial)) }))
              }
            ]
          : [
              {
                title: "recurrent, decoded",
                yLabel: "D·W·r̄ (a.u.)",
                angles: bias(trained).map((b) => b.angle),
                reference: 0,
                series: states.map((s) => ({ name: s.name, values: bias(s.a).map((b) => b.decodedRecurrent[0]!) }))
              },
              {
                title: "input, decoded",
                yLabel: "D·C·s (a.u.)",
                angles: bias(trained).map((b) => b.angle),
                reference: 0,
                series: states.map((s) => ({ name: s.name, values: bias(s.a).map((b) => b.decodedInput[0]!) }))
              }
            ]
      },
      { title: "Recurrent current through the decoder by angle", classBoundaries: boundaries, colors }
    )
  )

  // ---------------------------------------------------------------- Model
  const rf = input.rateFunction
  const curve = fiCurveData(rf.nonlinearity, rf)
  add(
    "fi-curve.svg",
    sections.model,
    `The run's rate function r = f(u) (${rf.nonlinearity}, α = ${F.formatNumber(rf.alpha)}, β = ${F.formatNumber(rf.beta)}, γ = ${F.formatNumber(rf.gamma)}), as the reference's fi_plot draws it; the simulation integrates its inverse and clamps r to [${F.formatNumber(rf.rLow)}, ${F.formatNumber(rf.rHigh)}].`,
    F.fiCurve(
      { label: rateFormula[rf.nonlinearity], u: curve.u, r: curve.r, clamp: { low: rf.rLow, high: rf.rHigh } },
      { title: "Rate function (F–I curve)" }
    )
  )

  return { svgs, content: reportContent(input, figures) }
}

function reportContent(input: FigureInputs, figures: ReadonlyArray<FigureEntry>): ReportContent {
  const { task, trained, initial } = input
  const title = `${task === "estimation" ? "Estimation" : "Classification"} task: ${input.label}`
  const subtitle =
    "Bredenberg, Simoncelli & Savin (NeurIPS 2020), Learning efficient task-dependent representations with synaptic plasticity"
  const beforeAfter = (label: string, pick: (s: Summary) => number | null | undefined) => [
    ...(initial !== undefined ? [{ label: `${label} before learning`, value: num(pick(initial.summary)) }] : []),
    { label: initial !== undefined ? `${label} after learning` : label, value: num(pick(trained.summary)) }
  ]
  const common = [
    ...beforeAfter("energy spread ‖E(θ) − Ē‖", (s) => s.energy.spread),
    ...beforeAfter("recurrent / input current", (s) => s.recurrentToInputCurrent),
    ...beforeAfter("noise angle to the decoder", (s) => s.noiseVolume.meanNoiseAngle)
  ]
  if (task === "estimation") {
    const a = trained.summary as EstimationSummary
    const b = initial?.summary as EstimationSummary | undefined
    const keyNumbers = [
      ...(b !== undefined ? [{ label: "test MSE before learning", value: num(b.testMse) }] : []),
      { label: `test MSE ${initial !== undefined ? "after learning" : ""}`.trim(), value: num(a.testMse) },
      { label: `MSE weighted by the prior ${vm(a.prior)}`, value: num(a.priorWeightedMse) },
      {
        label: "squared bias / variance",
        value: `${fmt(a.biasVariance.overall?.bias2)} / ${fmt(a.biasVariance.overall?.variance)}`
      },
      { label: "noise variance along the decoder (× chance)", value: num(a.decoderAlignedNoise.enrichment) },
      ...common
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
    ...beforeAfter("d′ of the readout D·r (θ > 0 vs θ < 0)", (s) => (s as ClassificationSummary).dPrime),
    ...beforeAfter("d′ of the linear discriminant", (s) => (s as ClassificationSummary).ldaDPrime),
    ...common
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
