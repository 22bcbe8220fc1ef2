/**
 * Small, fixed synthetic inputs for every figure, generated from a seeded alea stream so the
 * snapshots are stable. The numbers only need to look like the real thing; the tests check
 * structure against these inputs (counts of marks), not values computed by the figures.
 */
import seedrandom from "seedrandom"
import type { BandSeries } from "../../src/figures/bandCurves.js"
import type {
  AngleCurvesData,
  ConfusionMatrixData,
  CorrelationMatrixData,
  DprimeData,
  ErrorByAngleData,
  HistogramPanelsData,
  ObjectiveCurveData,
  OutputCloudsData,
  OutputTraceData,
  PreferredAnglesData,
  PriorDensity,
  RadialBiasData,
  SignalNoiseData,
  TuningCurvesData,
  VarianceExplainedData
} from "../../src/figures/index.js"
import type { MetricByFactorData } from "../../src/figures/metricByFactor.js"

const rng = (name: string) => {
  const u = seedrandom.alea(`figures/${name}`)
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u())
  return { u, normal }
}

/** The twelve test angles of the reference grid, arange(−π, π, 2π/12). */
export const testAngles = Array.from({ length: 12 }, (_, k) => -Math.PI + (k * Math.PI) / 6)

/** The von Mises prior (κ = 0.75, μ = 0) on a fine grid; I0(0.75) ≈ 1.14569. */
export const prior: PriorDensity = (() => {
  const angles = Array.from({ length: 73 }, (_, k) => -Math.PI + (k * 2 * Math.PI) / 72)
  return { angles, density: angles.map((t) => Math.exp(0.75 * Math.cos(t)) / (2 * Math.PI * 1.14569)) }
})()

export const objective: ObjectiveCurveData = (() => {
  const { normal } = rng("objective")
  const x = Array.from({ length: 60 }, (_, k) => k + 1)
  return { series: [{ name: "three-factor", x, y: x.map((k) => 0.2 + 0.8 * Math.exp(-k / 12) + 0.05 * normal()) }] }
})()

export const learningCurves: ObjectiveCurveData = (() => {
  const { normal } = rng("curves")
  const x = Array.from({ length: 40 }, (_, k) => k + 1)
  const names = ["three-factor", "decoder-only", "no-baseline"]
  return {
    series: names.map((name, i) => ({
      name,
      x,
      y: x.map((k) => 0.15 + 0.1 * i + 0.7 * Math.exp(-k / (8 + 6 * i)) + 0.03 * normal())
    }))
  }
})()

export const trace: OutputTraceData = (() => {
  const { normal } = rng("trace")
  const time = Array.from({ length: 200 }, (_, k) => k * 0.5)
  const theta = time.map((t) => testAngles[Math.floor(t / 20) % testAngles.length]!)
  return {
    time,
    targets: [theta.map(Math.cos), theta.map(Math.sin)],
    outputs: [
      theta.map((t) => 0.8 * Math.cos(t) + 0.15 * normal()),
      theta.map((t) => 0.8 * Math.sin(t) + 0.15 * normal())
    ],
    dimLabels: ["cos θ", "sin θ"]
  }
})()

const cloudPanel = (label: string, name: string, gain: number, noise: number) => {
  const { normal } = rng(name)
  const xs: number[] = []
  const ys: number[] = []
  const idx: number[] = []
  testAngles.forEach((t, a) => {
    for (let s = 0; s < 15; s++) {
      xs.push(gain * Math.cos(t) + noise * normal())
      ys.push(gain * Math.sin(t) + noise * 0.6 * normal())
      idx.push(a)
    }
  })
  return {
    label,
    angles: testAngles,
    points: { x: xs, y: ys, angleIndex: idx },
    means: testAngles.map((t) => [gain * Math.cos(t), gain * Math.sin(t)] as const),
    covariances: testAngles.map(() => [noise * noise, 0.3 * noise * noise * 0.6, 0.36 * noise * noise] as const)
  }
}

export const clouds: OutputCloudsData = {
  panels: [
    cloudPanel("before learning", "clouds/before", 0.3, 0.25),
    cloudPanel("after learning", "clouds/after", 0.9, 0.12)
  ]
}

export const tuning: TuningCurvesData = (() => {
  const { u } = rng("tuning")
  const neurons = Array.from({ length: 20 }, () => {
    const pref = -Math.PI + 2 * Math.PI * u()
    const gain = 0.5 + u()
    const mean = testAngles.map((t) => 0.2 + gain * Math.exp(2 * (Math.cos(t - pref) - 1)))
    return { mean, std: mean.map((m) => 0.05 + 0.1 * m) }
  })
  return { angles: testAngles, neurons }
})()

export const errorAngle: ErrorByAngleData = {
  angles: testAngles,
  series: [
    { name: "before learning", error: testAngles.map((t) => 0.9 + 0.1 * Math.cos(t)) },
    {
      name: "after learning",
      error: testAngles.map((t) => 0.2 - 0.08 * Math.cos(t)),
      spread: testAngles.map(() => 0.03)
    }
  ],
  prior
}

export const preferred: PreferredAnglesData = (() => {
  const { u } = rng("preferred")
  // rejection sampling from the prior's shape
  const out: number[] = []
  while (out.length < 40) {
    const t = -Math.PI + 2 * Math.PI * u()
    if (u() < Math.exp(0.75 * (Math.cos(t) - 1))) out.push(t)
  }
  return { preferredAngles: out, prior }
})()

export const correlations: CorrelationMatrixData = (() => {
  const { normal } = rng("correlations")
  const n = 12
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    m[i]![i] = 1
    for (let j = 0; j < i; j++)
      m[i]![j] = m[j]![i] = Math.max(-1, Math.min(1, 0.3 * Math.cos((i - j) / 2) + 0.1 * normal()))
  }
  return { matrix: m }
})()

export const signalNoiseData: SignalNoiseData = (() => {
  const { normal } = rng("signal-noise")
  const signal = Array.from({ length: 66 }, () => Math.max(-1, Math.min(1, 0.5 * normal())))
  return { signal, noise: signal.map((s) => 0.4 * s + 0.1 * normal()) }
})()

export const variance: VarianceExplainedData = (() => {
  const raw = Array.from({ length: 15 }, (_, k) => Math.exp(-k / 2.5))
  const total = raw.reduce((a, b) => a + b, 0)
  return { fractions: raw.map((v) => v / total) }
})()

export const dprimeData: DprimeData = {
  angles: testAngles,
  series: [
    { name: "before learning", values: testAngles.map((t) => 0.4 + 0.3 * Math.abs(Math.sin(t))) },
    { name: "after learning", values: testAngles.map((t) => 0.8 + 1.5 * Math.exp(-2 * Math.sin(t) ** 2)) }
  ]
}

export const confusion: ConfusionMatrixData = {
  labels: ["class 0 (θ < 0)", "class 1 (θ ≥ 0)"],
  counts: [
    [412, 88],
    [61, 439]
  ]
}

/** A sweep's metric against σ, one line per rule, with intervals (the last σ of decoder-only has one replicate). */
export const noiseSweep: MetricByFactorData = {
  levels: ["0.1", "0.2", "0.3", "0.4", "0.5"],
  series: [
    {
      name: "rule=three-factor",
      mean: [0.08, 0.12, 0.17, 0.23, 0.3],
      low: [0.07, 0.11, 0.155, 0.21, 0.28],
      high: [0.09, 0.13, 0.185, 0.25, 0.32]
    },
    {
      name: "rule=decoder-only",
      mean: [0.1, 0.19, 0.3, 0.42, 0.55],
      low: [0.09, 0.175, 0.28, 0.39, null],
      high: [0.11, 0.205, 0.32, 0.45, null]
    }
  ]
}

/** The same metric against a categorical factor (the rule), one line per σ. */
export const byRule: MetricByFactorData = {
  levels: ["three-factor", "decoder-only", "node-perturbation"],
  series: [
    { name: "sigma=0.1", mean: [0.08, 0.1, 0.4], low: [0.07, 0.09, 0.3], high: [0.09, 0.11, 0.5] },
    { name: "sigma=0.3", mean: [0.17, 0.3, 0.6], low: [0.15, 0.28, 0.5], high: [0.19, 0.32, 0.7] }
  ]
}

/** Learning curves of two cells with their bands (NaN: no band at the last point). */
export const bands: ReadonlyArray<BandSeries> = (["rule=three-factor", "rule=decoder-only"] as const).map((name, i) => {
  const x = Array.from({ length: 40 }, (_, k) => k + 1)
  const mean = x.map((k) => -1 + (i === 0 ? 0.9 : 0.6) * (1 - Math.exp(-k / 10)))
  return {
    name,
    x,
    mean,
    low: mean.map((m, k) => (k === 39 ? Number.NaN : m - 0.05)),
    high: mean.map((m, k) => (k === 39 ? Number.NaN : m + 0.05))
  }
})

/** Two panels of a quantity by angle, before and after, one with error bars and one with a band. */
export const anglePanels: AngleCurvesData = (() => {
  const { normal } = rng("angle-panels")
  const series = (name: string, shift: number, extra: "errorBar" | "band" | undefined) => {
    const values = testAngles.map((a) => shift + Math.cos(a) + 0.05 * normal())
    const spread = testAngles.map(() => 0.1 + 0.02 * Math.abs(normal()))
    return extra === undefined ? { name, values } : { name, values, [extra]: spread }
  }
  return {
    panels: [
      {
        title: "energy",
        yLabel: "mean energy (a.u.)",
        angles: testAngles,
        series: [series("before learning", 0, "errorBar"), series("after learning", 1, "errorBar")]
      },
      {
        title: "input term",
        yLabel: "input term (a.u.)",
        angles: testAngles,
        reference: 0,
        includeZero: true,
        series: [series("before learning", -1, "band"), series("after learning", -0.5, undefined)]
      }
    ]
  }
})()

/** Two 6 × 6 signed matrices (a banded structure) and two 4 × 12 non-negative ones. */
export const matrices = (() => {
  const { u } = rng("matrices")
  const banded = (scale: number) =>
    Array.from({ length: 6 }, (_, i) =>
      Array.from({ length: 6 }, (_, j) =>
        i === j ? 1 : scale * (Math.abs(i - j) <= 1 ? 0.5 : -0.2) + 0.05 * (u() - 0.5)
      )
    )
  const positive = () => Array.from({ length: 4 }, (_, c) => testAngles.map((a) => (4 - c) * (1.2 + Math.cos(a)) * u()))
  return {
    signed: {
      panels: [
        { title: "before learning", matrix: banded(0.3) },
        { title: "after learning", matrix: banded(1) }
      ]
    },
    positive: {
      panels: [
        { title: "before learning", matrix: positive() },
        { title: "after learning", matrix: positive() }
      ]
    }
  }
})()

/** Two panels of two class histograms each. */
export const histograms: HistogramPanelsData = (() => {
  const gauss = (mean: number) => {
    const edges = Array.from({ length: 31 }, (_, k) => -4 + (8 * k) / 30)
    const density = edges.slice(0, -1).map((e) => Math.exp(-((e + 4 / 30 - mean) ** 2) / 2) / Math.sqrt(2 * Math.PI))
    return { edges, density }
  }
  return {
    panels: [
      {
        title: "before learning",
        note: "d′ = 0.4",
        histograms: [
          { name: "class 0", ...gauss(-0.2) },
          { name: "class 1", ...gauss(0.2) }
        ]
      },
      {
        title: "after learning",
        note: "d′ = 2",
        histograms: [
          { name: "class 0", ...gauss(-1) },
          { name: "class 1", ...gauss(1) }
        ]
      }
    ]
  }
})()

/** Mean outputs pulled towards θ = 0 by a fraction of the way, and shrunk. */
export const radial: RadialBiasData = {
  angles: testAngles,
  series: [
    { name: "before learning", means: testAngles.map(() => [0.02, -0.01] as const) },
    {
      name: "after learning",
      means: testAngles.map((a) => {
        const pulled = a * 0.85
        return [0.9 * Math.cos(pulled), 0.9 * Math.sin(pulled)] as const
      })
    }
  ]
}
