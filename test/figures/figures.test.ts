import { assert, describe, it } from "vitest"
import { bandCurves } from "../../src/figures/bandCurves.js"
import { angleLabel } from "../../src/figures/format.js"
import {
  angleHistogram,
  confusionMatrix,
  correlationMatrix,
  dprime,
  ellipsePoints,
  errorByAngle,
  linearFit,
  movingAverage,
  objectiveCurve,
  outputClouds,
  outputTrace,
  preferredAngles,
  selectNeurons,
  signalNoise,
  tuningCurves,
  varianceExplained
} from "../../src/figures/index.js"
import { metricByFactor } from "../../src/figures/metricByFactor.js"
import { faint } from "../../src/figures/palette.js"
import { cyclicOrder } from "../../src/figures/scales.js"
import * as F from "./fixtures.js"
import { matchSnapshot } from "./snapshot.js"
import { checkFigure, count, parseSvg } from "./svgAssertions.js"

const angleAxis = "stimulus angle θ (rad)"

describe("objectiveCurve", () => {
  it("draws one point per trial and a smoothed line, with both axis labels", () => {
    const svg = objectiveCurve(F.objective, { smoothWindow: 9 })
    const root = checkFigure(svg, {
      title: "Objective over training",
      axisLabels: ["training trial (index)", "objective (a.u.)"]
    })
    assert.strictEqual(count(root, "circle.point"), 60)
    assert.strictEqual(count(root, "path.smoothed"), 1)
    assert.strictEqual(count(root, ".legend-item"), 2)
    matchSnapshot("objectiveCurve", svg)
  })

  it("draws one curve and one legend entry per named series", () => {
    const svg = objectiveCurve(F.learningCurves, { title: "Learning curves per rule" })
    const root = checkFigure(svg, { title: "Learning curves per rule", axisLabels: ["objective (a.u.)"] })
    assert.strictEqual(count(root, "g.series path.curve"), 3)
    const legend = [...root.querySelectorAll(".legend-item text")].map((t) => t.textContent)
    assert.deepStrictEqual(legend, ["three-factor", "decoder-only", "no-baseline"])
    matchSnapshot("objectiveCurve-series", svg)
  })

  it("skips non-finite values instead of writing NaN", () => {
    const svg = objectiveCurve({ series: [{ name: "run", x: [1, 2, 3, 4], y: [1, Number.NaN, 0.5, Infinity] }] })
    const root = checkFigure(svg, { title: "Objective over training", axisLabels: [] })
    assert.strictEqual(count(root, "circle.point"), 2)
  })

  it("is byte-identical across calls", () => {
    assert.strictEqual(objectiveCurve(F.objective), objectiveCurve(F.objective))
  })

  it("movingAverage is the centred mean over the window, truncated at the ends", () => {
    assert.deepStrictEqual(movingAverage([1, 2, 3, 4, 5], 3), [1.5, 2, 3, 4, 4.5])
  })
})

describe("outputTrace", () => {
  it("draws an output and a dashed target line per dimension", () => {
    const svg = outputTrace(F.trace)
    const root = checkFigure(svg, {
      title: "Output and target over time",
      axisLabels: ["time t (s)", "output, target (a.u.)"]
    })
    assert.strictEqual(count(root, "path.output"), 2)
    assert.strictEqual(count(root, "path.target[stroke-dasharray]"), 2)
    // The dashed target must stand out from its noisy output: a different stroke, drawn after it.
    const output = root.querySelector("path.output")!
    const target = root.querySelector("path.target")!
    assert.notStrictEqual(target.getAttribute("stroke"), output.getAttribute("stroke"))
    assert.isTrue(Boolean(output.compareDocumentPosition(target) & 4), "the target is drawn after the output")
    matchSnapshot("outputTrace", svg)
  })

  it("thins long traces to maxPoints vertices", () => {
    const root = parseSvg(outputTrace(F.trace, { maxPoints: 50 }))
    const d = root.querySelector("path.output")!.getAttribute("d")!
    const vertices = d.split(/[ML]/).filter((s) => s.length > 0).length
    assert.strictEqual(vertices, 50)
  })
})

describe("outputClouds", () => {
  it("draws every point, one ellipse, mean and target per angle and panel, and the unit circle", () => {
    const svg = outputClouds(F.clouds)
    const root = checkFigure(svg, {
      title: "Output clouds per test angle",
      axisLabels: ["output o₁ (a.u.)", "output o₂ (a.u.)"]
    })
    assert.strictEqual(count(root, "g.panel"), 2)
    assert.strictEqual(count(root, "circle.point"), 2 * 12 * 15)
    assert.strictEqual(count(root, "path.ellipse"), 24)
    assert.strictEqual(count(root, "circle.mean"), 24)
    assert.strictEqual(count(root, "path.target"), 24)
    assert.strictEqual(count(root, "circle.unit-circle"), 2)
    assert.include(svg, "2-σ contour")
    const legend = [...root.querySelectorAll(".legend-item text")].map((t) => t.textContent)
    assert.deepStrictEqual(legend.slice(0, 3), ["θ = −π", "θ = −5π/6", "θ = −2π/3"])
    matchSnapshot("outputClouds", svg)
  })

  it("thins the points to maxPointsPerAngle per angle and panel", () => {
    const root = parseSvg(outputClouds(F.clouds, { maxPointsPerAngle: 5 }))
    assert.strictEqual(count(root, "circle.point"), 2 * 12 * 5)
  })

  it("says which contour it draws", () => {
    assert.include(outputClouds(F.clouds, { sigmas: 1 }), "1-σ contour")
  })

  it("ellipsePoints lie on the k-σ contour (p − m)ᵀ Σ⁻¹ (p − m) = k²", () => {
    const [a, b, c] = [2, 1, 2] // eigenvalues 3 and 1 along the diagonals
    const det = a * c - b * b
    for (const k of [1, 2]) {
      for (const [x, y] of ellipsePoints([0.5, -1], [a, b, c], k, 24)) {
        const dx = x - 0.5
        const dy = y + 1
        const q = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det
        assert.approximately(q, k * k, 1e-9)
      }
    }
  })
})

describe("tuningCurves", () => {
  it("draws one panel with a band and a mean line per selected neuron", () => {
    const svg = tuningCurves(F.tuning, { maxNeurons: 12 })
    const root = checkFigure(svg, {
      title: "Tuning curves (12 of 20 neurons)",
      axisLabels: [angleAxis, "rate r (a.u.)"]
    })
    assert.strictEqual(count(root, "g.panel"), 12)
    assert.strictEqual(count(root, "path.band"), 12)
    assert.strictEqual(count(root, "path.curve"), 12)
    assert.strictEqual(count(root, "line.boundary"), 0)
    assert.include(svg, "12 of 20 neurons shown")
    matchSnapshot("tuningCurves", svg)
  })

  it("marks class boundaries in every panel", () => {
    const svg = tuningCurves(F.tuning, { maxNeurons: 4, classBoundaries: [-Math.PI, 0, Math.PI] })
    const root = checkFigure(svg, { title: "Tuning curves (4 of 20 neurons)", axisLabels: [angleAxis] })
    assert.strictEqual(count(root, "line.boundary"), 12)
    matchSnapshot("tuningCurves-classifier", svg)
  })

  it("selects neurons evenly in the order of their preferred angle", () => {
    const angles = [-2, -1, 0, 1, 2]
    const peak = (a: number) => ({ mean: angles.map((_, k) => (k === a ? 1 : 0)), std: [0, 0, 0, 0, 0] })
    // neuron i prefers angle index [4, 0, 3, 1, 2][i]
    const data = { angles, neurons: [peak(4), peak(0), peak(3), peak(1), peak(2)] }
    assert.deepStrictEqual(selectNeurons(data, 10), [1, 3, 4, 2, 0])
    assert.deepStrictEqual(selectNeurons(data, 3), [1, 3, 2])
  })
})

describe("errorByAngle", () => {
  it("draws each series with markers, error bars where given, and the prior on a right axis", () => {
    const svg = errorByAngle(F.errorAngle)
    const root = checkFigure(svg, {
      title: "Error by stimulus angle",
      axisLabels: [angleAxis, "test MSE (a.u.)", "prior density p(θ) (1/rad)"]
    })
    assert.strictEqual(count(root, "g.series"), 2)
    assert.strictEqual(count(root, "circle.point"), 24)
    assert.strictEqual(count(root, "line.error-bar"), 12)
    assert.strictEqual(count(root, "path.prior"), 1)
    assert.strictEqual(count(root, ".axis-y2"), 1)
    const ticks = [...root.querySelectorAll(".axis-x .tick text")].map((t) => t.textContent)
    assert.deepStrictEqual(ticks, ["−π", "−π/2", "0", "π/2", "π"])
    // the grid samples −π but not π: the curve wraps round to the right edge (inner width 480 − 62 − 62)
    const d = root.querySelector("g.series path.curve")!.getAttribute("d")!
    assert.match(d, /L356,[0-9.]+$/)
    matchSnapshot("errorByAngle", svg)
  })
})

describe("preferredAngles", () => {
  it("draws a density histogram whose bar heights are proportional to the counts", () => {
    const svg = preferredAngles({ preferredAngles: [-3, -2.9, 0.1, 3.1], prior: F.prior }, { bins: 4 })
    const root = checkFigure(svg, {
      title: "Preferred angles against the prior",
      axisLabels: [angleAxis, "density (1/rad)"]
    })
    const heights = [...root.querySelectorAll("rect.bar")].map((r) => Number(r.getAttribute("height")))
    assert.strictEqual(heights.length, 4)
    // counts per quarter of [−π, π]: 2, 0, 1, 1
    assert.strictEqual(heights[1], 0)
    assert.approximately(heights[0]! / heights[2]!, 2, 0.02)
    assert.approximately(heights[3]! / heights[2]!, 1, 0.02)
    assert.include(svg, "n = 4 neurons")
  })

  it("matches its snapshot on the fixture", () => {
    const svg = preferredAngles(F.preferred)
    const root = checkFigure(svg, { title: "Preferred angles against the prior", axisLabels: [angleAxis] })
    assert.strictEqual(count(root, "rect.bar"), 12)
    matchSnapshot("preferredAngles", svg)
  })

  it("angleHistogram puts π in the last bin and ignores NaN", () => {
    assert.deepStrictEqual(angleHistogram([-Math.PI, 0, Math.PI, Number.NaN], 2), [1, 2])
  })
})

describe("correlationMatrix", () => {
  it("draws N² cells, a grey diagonal and a labelled colour bar", () => {
    const svg = correlationMatrix(F.correlations)
    const root = checkFigure(svg, {
      title: "Noise correlations",
      axisLabels: ["neuron index j", "neuron index i", "correlation (Pearson r)"]
    })
    const cells = [...root.querySelectorAll("rect.cell")]
    assert.strictEqual(cells.length, 144)
    for (let i = 0; i < 12; i++) assert.strictEqual(cells[i * 12 + i]!.getAttribute("fill"), faint)
    assert.notStrictEqual(cells[1]!.getAttribute("fill"), faint)
    assert.strictEqual(count(root, "g.color-bar"), 1)
    matchSnapshot("correlationMatrix", svg)
  })

  it("colours positive entries red and negative entries blue", () => {
    const root = parseSvg(
      correlationMatrix(
        {
          matrix: [
            [1, 0.5],
            [-0.5, 1]
          ]
        },
        { maskDiagonal: false }
      )
    )
    const fills = [...root.querySelectorAll("rect.cell")].map((r) => r.getAttribute("fill")!)
    const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
    const [r1, , b1] = rgb(fills[1]!)
    const [r2, , b2] = rgb(fills[2]!)
    assert.isAbove(r1!, b1!)
    assert.isAbove(b2!, r2!)
  })
})

describe("signalNoise", () => {
  it("draws one point per pair and the regression line", () => {
    const svg = signalNoise(F.signalNoiseData)
    const root = checkFigure(svg, {
      title: "Signal vs noise correlations",
      axisLabels: ["signal correlation (Pearson r)", "noise correlation (Pearson r)"]
    })
    assert.strictEqual(count(root, "circle.point"), 66)
    assert.strictEqual(count(root, "line.fit"), 1)
    assert.include(svg, "n = 66")
    matchSnapshot("signalNoise", svg)
  })

  it("linearFit recovers an exact line", () => {
    const fit = linearFit([0, 1, 2, 3, Number.NaN], [1, 3, 5, 7, 0])
    assert.approximately(fit.slope, 2, 1e-12)
    assert.approximately(fit.intercept, 1, 1e-12)
    assert.approximately(fit.r, 1, 1e-12)
    assert.strictEqual(fit.n, 4)
  })
})

describe("varianceExplained", () => {
  it("draws a bar and a cumulative point per component; the cumulative line ends at 100%", () => {
    const svg = varianceExplained(F.variance)
    const root = checkFigure(svg, {
      title: "PCA of population activity",
      axisLabels: ["principal component (rank)", "variance explained (%)"]
    })
    assert.strictEqual(count(root, "rect.bar"), 15)
    const points = [...root.querySelectorAll(".cumulative circle.point")]
    assert.strictEqual(points.length, 15)
    // y = 0 in the plot group is 100%
    assert.strictEqual(points[14]!.getAttribute("cy"), "0")
    matchSnapshot("varianceExplained", svg)
  })

  it("shows at most maxComponents", () => {
    const root = parseSvg(varianceExplained(F.variance, { maxComponents: 5 }))
    assert.strictEqual(count(root, "rect.bar"), 5)
  })
})

describe("dprime and confusionMatrix", () => {
  it("dprime draws each series and the class boundary", () => {
    const svg = dprime(F.dprimeData, { classBoundaries: [0] })
    const root = checkFigure(svg, {
      title: "Discriminability d′ by stimulus angle",
      axisLabels: [angleAxis, "d′ (units of noise std)"]
    })
    assert.strictEqual(count(root, "circle.point"), 24)
    assert.strictEqual(count(root, "line.boundary"), 1)
    matchSnapshot("dprime", svg)
  })

  it("confusionMatrix writes every count and its row share", () => {
    const svg = confusionMatrix(F.confusion)
    const root = checkFigure(svg, {
      title: "Confusion matrix",
      axisLabels: ["predicted class (decoder output)", "true class (stimulus)", "share of true class (%)"]
    })
    const counts = [...root.querySelectorAll("text.count")].map((t) => t.textContent)
    assert.deepStrictEqual(counts, ["412", "88", "61", "439"])
    assert.include(svg, "82.4% of row")
    assert.include(svg, "12.2% of row")
    matchSnapshot("confusionMatrix", svg)
  })
})

describe("metricByFactor", () => {
  it("draws a numeric factor on a linear axis: one line per series, an interval where there is one", () => {
    const svg = metricByFactor(F.noiseSweep, { title: "Test MSE by sigma", xLabel: "sigma", yLabel: "test MSE (a.u.)" })
    const doc = checkFigure(svg, { title: "Test MSE by sigma", axisLabels: ["sigma", "test MSE (a.u.)"] })
    assert.strictEqual(doc.querySelectorAll("g.series").length, 2)
    assert.strictEqual(doc.querySelectorAll("path.curve").length, 2)
    assert.strictEqual(doc.querySelectorAll("circle.point").length, 10)
    // 5 + 4 intervals: decoder-only's last σ has a single replicate.
    assert.strictEqual(doc.querySelectorAll("line.interval").length, 9)
    const ticks = [...doc.querySelectorAll(".tick text")].map((t) => t.textContent)
    for (const level of ["0.1", "0.3", "0.5"]) assert.include(ticks, level)
    // Higher σ is further right: the points are ordered along x.
    const xs = [...doc.querySelectorAll('g.series[data-name="rule=three-factor"] circle.point')].map((c) =>
      Number(c.getAttribute("cx"))
    )
    assert.deepStrictEqual(
      xs,
      [...xs].sort((a, b) => a - b)
    )
    matchSnapshot("metricByFactor", svg)
  })

  it("draws a categorical factor at evenly spaced positions labelled by its levels", () => {
    const svg = metricByFactor(F.byRule, { title: "Test MSE by rule", xLabel: "rule", yLabel: "test MSE (a.u.)" })
    const doc = checkFigure(svg, { title: "Test MSE by rule", axisLabels: ["rule", "test MSE (a.u.)"] })
    const ticks = [...doc.querySelectorAll(".tick text")].map((t) => t.textContent)
    assert.deepStrictEqual(ticks.slice(0, 3), ["three-factor", "decoder-only", "node-perturbation"])
    assert.strictEqual(doc.querySelectorAll("line.interval").length, 6)
  })
})

describe("bandCurves", () => {
  it("draws one band and one curve per cell; a point without interval has no band there", () => {
    const svg = bandCurves(F.bands, {
      title: "Learning curve by rule",
      xAxis: { label: "training trial (index)", ticks: 6 },
      yLabel: "objective (a.u.)"
    })
    const doc = checkFigure(svg, {
      title: "Learning curve by rule",
      axisLabels: ["training trial (index)", "objective (a.u.)"]
    })
    assert.strictEqual(doc.querySelectorAll("path.band").length, 2)
    assert.strictEqual(doc.querySelectorAll("path.curve").length, 2)
    // The band stops before the last point; the curve does not.
    const band = doc.querySelector("path.band")!.getAttribute("d")!
    assert.notInclude(band, "NaN")
    matchSnapshot("bandCurves", svg)
  })
})

describe("cyclicOrder", () => {
  it("sorts by angle and repeats the −π datum at π when π is not sampled", () => {
    assert.deepStrictEqual(cyclicOrder([0, -Math.PI, 1]), [
      { x: -Math.PI, k: 1 },
      { x: 0, k: 0 },
      { x: 1, k: 2 },
      { x: Math.PI, k: 1 }
    ])
    assert.strictEqual(cyclicOrder([-Math.PI, 0, Math.PI]).length, 3)
    assert.strictEqual(cyclicOrder([-1, 0, 1]).length, 3)
  })
})

describe("angleLabel", () => {
  it("writes small fractions of π with π and other angles as decimals", () => {
    assert.strictEqual(angleLabel(-Math.PI), "−π")
    assert.strictEqual(angleLabel((-3 * Math.PI) / 4), "−3π/4")
    assert.strictEqual(angleLabel(Math.PI / 6), "π/6")
    assert.strictEqual(angleLabel(0), "0")
    assert.strictEqual(angleLabel(1), "1.00")
  })
})
