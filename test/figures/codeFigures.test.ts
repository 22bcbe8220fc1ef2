/** The figures added for the reference's remaining plotters: structure, mapping, snapshots. */
import { assert, describe, it } from "vitest"
import { fiCurve as fiCurveData } from "../../src/analysis/rateFunction.js"
import {
  angleCurves,
  barChart,
  fiCurve,
  histogramPanels,
  inputDistribution,
  matrixPanels,
  preferredAngles,
  radialBias,
  signalNoise,
  tuningCurves,
  varianceExplained
} from "../../src/figures/index.js"
import { categorical, faint } from "../../src/figures/palette.js"
import * as F from "./fixtures.js"
import { matchSnapshot } from "./snapshot.js"
import { checkFigure, count, parseSvg } from "./svgAssertions.js"

const angleAxis = "stimulus angle θ (rad)"

/** The fill of every cell of a matrixPanels panel, decoded from its runs ("M j,i h n v1 h −n z"). */
const cellFills = (root: Element, panel: number): Array<Array<string | undefined>> => {
  const grid: Array<Array<string | undefined>> = []
  for (const path of root.querySelectorAll("g.panel")[panel]!.querySelectorAll("path.cells-of-colour")) {
    const fill = path.getAttribute("fill")!
    for (const m of path.getAttribute("d")!.matchAll(/M(\d+),(\d+)h(\d+)v1h-(\d+)z/g)) {
      const [j, i, n] = [Number(m[1]), Number(m[2]), Number(m[3])]
      grid[i] ??= []
      for (let k = 0; k < n; k++) {
        assert.isUndefined(grid[i]![j + k], `cell (${i}, ${j + k}) drawn twice`)
        grid[i]![j + k] = fill
      }
    }
  }
  return grid
}

describe("angleCurves", () => {
  it("draws each panel's series with their marks, one colour per series across panels, one legend", () => {
    const svg = angleCurves(F.anglePanels, { title: "Energy by angle", classBoundaries: [0] })
    const root = checkFigure(svg, {
      title: "Energy by angle",
      axisLabels: [angleAxis, "mean energy (a.u.)", "input term (a.u.)"]
    })
    assert.strictEqual(count(root, "g.panel"), 2)
    assert.strictEqual(count(root, "g.series"), 4)
    assert.strictEqual(count(root, "circle.point"), 48)
    assert.strictEqual(count(root, "line.error-bar"), 24)
    assert.strictEqual(count(root, "path.band"), 1)
    assert.strictEqual(count(root, "line.boundary"), 2)
    assert.strictEqual(count(root, "line.reference"), 1)
    const legend = [...root.querySelectorAll(".legend-item text")].map((t) => t.textContent)
    assert.deepStrictEqual(legend, ["before learning", "after learning", "class boundary"])
    const colour = (panel: number, name: string) =>
      root
        .querySelectorAll("g.panel")
        [panel]!.querySelector(`g.series[data-name="${name}"] path.curve`)!
        .getAttribute("stroke")
    assert.strictEqual(colour(0, "after learning"), colour(1, "after learning"))
    assert.strictEqual(colour(0, "after learning"), categorical(1))
    matchSnapshot("angleCurves", svg)
  })

  it("maps larger values higher, and keeps a series' colour when asked", () => {
    const svg = angleCurves(
      { panels: [{ yLabel: "v", angles: [-1, 0, 1], series: [{ name: "after learning", values: [1, 3, 2] }] }] },
      { title: "t", colors: { "after learning": 1 } }
    )
    const cy = [...parseSvg(svg).querySelectorAll("circle.point")].map((c) => Number(c.getAttribute("cy")))
    assert.isAbove(cy[0]!, cy[2]!)
    assert.isAbove(cy[2]!, cy[1]!)
    assert.include(svg, categorical(1))
  })
})

describe("matrixPanels", () => {
  it("draws every cell of every panel with one colour bar, the diagonal grey when masked", () => {
    const svg = matrixPanels(F.matrices.signed, {
      title: "Noise correlations, sorted",
      colorLabel: "noise correlation (Pearson r)",
      rows: { kind: "index", label: "neuron (sorted)" },
      columns: { kind: "index", label: "neuron (sorted)" },
      maskDiagonal: true
    })
    const root = checkFigure(svg, {
      title: "Noise correlations, sorted",
      axisLabels: ["neuron (sorted)", "noise correlation (Pearson r)"]
    })
    const panels = [0, 1].map((p) => cellFills(root, p))
    for (const cells of panels) {
      // Every cell drawn exactly once.
      assert.strictEqual(cells.flat().filter((f) => f !== undefined).length, 36)
      for (let i = 0; i < 6; i++) assert.strictEqual(cells[i]![i], faint)
    }
    assert.strictEqual(count(root, "g.color-bar"), 1)
    // Positive red, negative blue.
    const rgb = (hex: string) => [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16))
    const [r1, , b1] = rgb(panels[1]![0]![1]!)
    const [r2, , b2] = rgb(panels[1]![0]![5]!)
    assert.isAbove(r1!, b1!)
    assert.isAbove(b2!, r2!)
    matchSnapshot("matrixPanels", svg)
  })

  it("labels angle columns with π and grows darker with the value on a sequential scale", () => {
    const svg = matrixPanels(F.matrices.positive, {
      title: "Variance by component and angle",
      colorLabel: "variance (a.u.)",
      rows: { kind: "index", label: "principal component (rank)", start: 1 },
      columns: { kind: "angle", label: angleAxis, angles: F.testAngles },
      scale: "sequential"
    })
    const root = checkFigure(svg, { title: "Variance by component and angle", axisLabels: [angleAxis] })
    const ticks = [...root.querySelectorAll(".axis-x text")].map((t) => t.textContent).slice(0, 6)
    assert.deepStrictEqual(ticks, ["−π", "−2π/3", "−π/3", "0", "π/3", "2π/3"])
    const darkness = (fill: string) => -[1, 3, 5].reduce((a, k) => a + Number.parseInt(fill.slice(k, k + 2), 16), 0)
    const values = F.matrices.positive.panels[0]!.matrix.flat()
    const fills = cellFills(root, 0).flat() as Array<string>
    const order = values.map((_, k) => k).sort((a, b) => values[a]! - values[b]!)
    assert.isAbove(darkness(fills[order[order.length - 1]!]!), darkness(fills[order[0]!]!))
    const empty = matrixPanels(
      { panels: [] },
      { title: "x", colorLabel: "c", rows: { kind: "index", label: "r" }, columns: { kind: "index", label: "c" } }
    )
    assert.deepStrictEqual(cellFills(parseSvg(empty), 0), [[faint]])
  })
})

describe("matrixPanels with panels of different sizes", () => {
  it("stretches each panel's rows over the same height (40 and 25 neurons side by side)", () => {
    const svg = matrixPanels(
      {
        panels: [
          { title: "four rows", matrix: [[1], [2], [3], [4]] },
          { title: "two rows", matrix: [[1], [2]] }
        ]
      },
      {
        title: "t",
        colorLabel: "c",
        rows: { kind: "index", label: "r" },
        columns: { kind: "index", label: "c" },
        scale: "sequential",
        panelWidth: 100,
        panelHeight: 200
      }
    )
    const scales = [...parseSvg(svg).querySelectorAll("g.cells")].map((g) => g.getAttribute("transform"))
    assert.deepStrictEqual(scales, ["scale(100,50)", "scale(100,100)"])
  })
})

describe("histogramPanels", () => {
  it("draws an outlined, filled histogram per series and panel, with the panels' notes", () => {
    const svg = histogramPanels(F.histograms, { title: "LDA projection", xLabel: "LDA projection (pooled std)" })
    const root = checkFigure(svg, { title: "LDA projection", axisLabels: ["LDA projection (pooled std)", "density"] })
    assert.strictEqual(count(root, "g.panel"), 2)
    assert.strictEqual(count(root, "path.outline"), 4)
    assert.deepStrictEqual(
      [...root.querySelectorAll("text.panel-note")].map((t) => t.textContent),
      ["d′ = 0.4", "d′ = 2"]
    )
    matchSnapshot("histogramPanels", svg)
  })
})

describe("radialBias", () => {
  it("draws a segment from each target to the mean output, per series", () => {
    const svg = radialBias(F.radial)
    const root = checkFigure(svg, {
      title: "Bias of the estimate",
      axisLabels: ["output o₁ (a.u.)", "output o₂ (a.u.)"]
    })
    assert.strictEqual(count(root, "line.bias"), 24)
    assert.strictEqual(count(root, "path.target"), 12)
    // The segment of angle 0 ends at the mean output (0.9, 0) of the second series: right of the centre.
    const after = root.querySelectorAll('g.series[data-name="after learning"] line.bias')[6]!
    const centre = Number(root.querySelector("circle.unit-circle")!.getAttribute("cx"))
    assert.isAbove(Number(after.getAttribute("x2")), centre)
    matchSnapshot("radialBias", svg)
  })
})

describe("fiCurve, barChart, inputDistribution", () => {
  it("fiCurve draws the rate function with the clamp and cuts a runaway curve", () => {
    const p = { alpha: 0, beta: 1 / 30, gamma: 30 }
    const soft = fiCurveData("softplus", p)
    const svg = fiCurve({ label: "softplus", u: soft.u, r: soft.r, clamp: { low: 0.001, high: 100 } })
    checkFigure(svg, { title: "Rate function (F–I curve)", axisLabels: ["input current u (a.u.)", "rate r (a.u.)"] })
    matchSnapshot("fiCurve", svg)
    const sig = fiCurveData("sigmoid", p)
    const cut = fiCurve({ label: "sigmoid", u: sig.u, r: sig.r, clamp: { low: 0.001, high: 100 } })
    assert.include(cut, "cut above r = 100")
    assert.strictEqual(count(parseSvg(cut), "line.clamp"), 2)
  })

  it("barChart draws bars of heights proportional to the values, with the values written", () => {
    const svg = barChart(
      {
        bars: [
          { name: "before learning", value: 0.5 },
          { name: "after learning", value: 1.5 }
        ]
      },
      { title: "Recurrent / input current", yLabel: "ratio" }
    )
    const root = checkFigure(svg, { title: "Recurrent / input current", axisLabels: ["ratio"] })
    const heights = [...root.querySelectorAll("rect.bar")].map((r) => Number(r.getAttribute("height")))
    assert.approximately(heights[1]! / heights[0]!, 3, 0.02)
    assert.deepStrictEqual(
      [...root.querySelectorAll("text.value")].map((t) => t.textContent),
      ["0.5", "1.5"]
    )
  })

  it("inputDistribution draws the histogram's bars and each density", () => {
    const edges = Array.from({ length: 37 }, (_, k) => -Math.PI + (k * Math.PI) / 18)
    const density = edges.slice(0, -1).map((e) => Math.exp(1.5 * Math.cos(e + Math.PI / 36)) / (2 * Math.PI * 1.646723))
    const svg = inputDistribution({
      edges,
      density,
      total: 26_000_000,
      densities: [
        { name: "nominal prior", curve: F.prior },
        { name: "stationary", curve: F.prior, dashed: true }
      ]
    })
    const root = checkFigure(svg, {
      title: "Training stimuli against the prior",
      axisLabels: [angleAxis, "density (1/rad)"]
    })
    assert.strictEqual(count(root, "rect.bar"), 36)
    assert.strictEqual(count(root, "path.density"), 2)
    assert.include(svg, "26M")
  })
})

describe("before/after variants of the existing figures", () => {
  it("tuningCurves, preferredAngles, signalNoise and varianceExplained draw the second state", () => {
    const tuning = tuningCurves(
      { ...F.tuning, compare: { label: "before learning", neurons: F.tuning.neurons } },
      { maxNeurons: 4 }
    )
    assert.strictEqual(count(parseSvg(tuning), "path.compare"), 4)
    assert.include(tuning, "mean rate, before learning")
    const preferred = preferredAngles({
      ...F.preferred,
      compare: { label: "before learning", preferredAngles: [0, 1, 2] }
    })
    assert.strictEqual(count(parseSvg(preferred), "path.compare"), 1)
    const pairs = signalNoise({
      ...F.signalNoiseData,
      compare: { label: "before learning", signal: [0, 0.5], noise: [0.1, 0.2] }
    })
    assert.strictEqual(count(parseSvg(pairs), "g.compare circle.point"), 2)
    assert.strictEqual(count(parseSvg(pairs), "line.fit"), 2)
    const pca = varianceExplained({ ...F.variance, compare: { label: "before learning", fractions: [0.5, 0.3, 0.2] } })
    assert.strictEqual(count(parseSvg(pca), "rect.bar-outline"), 15)
    matchSnapshot("tuningCurves-compare", tuning)
  })
})
