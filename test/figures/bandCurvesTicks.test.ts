/**
 * The sweep report's angle axis (issue #20 item 6): the test angles run from −π to 5π/6, and the
 * fixed ±π ticks must neither fall outside the plot (a clipped label) nor be misplaced: each tick
 * sits where its value lies between the first and the last data point.
 */
import { JSDOM } from "jsdom"
import { assert, describe, it } from "vitest"
import { angleTicks } from "../../src/figures/axes.js"
import { bandCurves } from "../../src/figures/bandCurves.js"

const angles = Array.from({ length: 12 }, (_, i) => -Math.PI + (i * Math.PI) / 6)

describe("bandCurves on an angle axis", () => {
  it("draws only the ticks within the data's range, each at its value's place", () => {
    const svg = bandCurves(
      [
        {
          name: "three-factor",
          x: angles,
          mean: angles.map((a) => 1 + Math.cos(a)),
          low: angles.map((a) => 0.9 + Math.cos(a)),
          high: angles.map((a) => 1.1 + Math.cos(a))
        }
      ],
      { title: "Error by angle", xAxis: { label: "stimulus angle θ (rad)", ...angleTicks }, yLabel: "MSE" }
    )
    const doc = new JSDOM(svg, { contentType: "image/svg+xml" }).window.document
    // The bottom axis's ticks are placed by translate(x,0); the left axis's by translate(0,y).
    const ticks = [...doc.querySelectorAll("g.tick")]
      .map((t) => ({
        label: t.querySelector("text")!.textContent!,
        place: /^translate\(([-\d.]+),0\)$/.exec(t.getAttribute("transform") ?? "")
      }))
      .filter((t) => t.place !== null && /π|^0$/.test(t.label))
      .map((t) => ({ label: t.label, at: Number(t.place![1]) }))
    assert.deepEqual(
      ticks.map((t) => t.label),
      ["−π", "−π/2", "0", "π/2"],
      "π lies beyond the last angle, 5π/6: no tick there"
    )
    // The curve's first and last points are −π and 5π/6: the ticks interpolate between them.
    const d = doc.querySelector("path.curve")!.getAttribute("d")!
    const xs = [...d.matchAll(/[ML]([-\d.]+),/g)].map((m) => Number(m[1]))
    const [first, last] = [xs[0]!, xs[xs.length - 1]!]
    const place = (v: number) => first + ((v + Math.PI) / (Math.PI + (5 * Math.PI) / 6)) * (last - first)
    const values = [-Math.PI, -Math.PI / 2, 0, Math.PI / 2]
    for (const [i, t] of ticks.entries()) assert.approximately(t.at, place(values[i]!), 0.6, `tick ${t.label}`)
  })
})
