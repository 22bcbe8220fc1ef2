/** Structural checks on an SVG document string: parses, sized, titled, labelled, no NaN. */
import { JSDOM } from "jsdom"
import { assert } from "vitest"

const window = new JSDOM("").window

/** Parse the SVG as XML; fail on a parser error or a root that is not an `<svg>` in the SVG namespace. */
export const parseSvg = (svg: string): SVGSVGElement => {
  const doc = new window.DOMParser().parseFromString(svg, "image/svg+xml")
  assert.strictEqual(doc.getElementsByTagName("parsererror").length, 0, "SVG is not well-formed XML")
  const root = doc.documentElement
  assert.strictEqual(root.localName, "svg")
  assert.strictEqual(root.namespaceURI, "http://www.w3.org/2000/svg")
  return root as unknown as SVGSVGElement
}

/** The effective font size of an element: its own `font-size` attribute or the nearest ancestor's. */
const fontSizeOf = (el: Element): number => {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const v = e.getAttribute("font-size")
    if (v !== null) return Number.parseFloat(v)
  }
  return Number.NaN
}

export interface Expectations {
  readonly title: string
  readonly axisLabels: ReadonlyArray<string>
}

/** Every check that holds for all figures; returns the parsed root for figure-specific counts. */
export const checkFigure = (svg: string, expected: Expectations): SVGSVGElement => {
  for (const bad of ["NaN", "undefined", "Infinity", "null"]) assert.notInclude(svg, bad)
  const root = parseSvg(svg)
  const width = Number(root.getAttribute("width"))
  const height = Number(root.getAttribute("height"))
  assert.isAbove(width, 100)
  assert.isAbove(height, 100)
  assert.strictEqual(root.getAttribute("viewBox"), `0 0 ${width} ${height}`)
  assert.strictEqual(root.querySelector("text.title")?.textContent, expected.title)
  const labels = [...root.querySelectorAll("text.axis-label")].map((t) => t.textContent)
  for (const label of expected.axisLabels) assert.include(labels, label)
  for (const text of root.querySelectorAll("text")) {
    const size = fontSizeOf(text)
    assert.isAtLeast(size, 10, `text "${text.textContent}" is ${size}px`)
  }
  assert.strictEqual(root.querySelectorAll("style").length, 0, "figures use attributes, not CSS")
  return root
}

/** Count elements matching a selector. */
export const count = (root: Element, selector: string): number => root.querySelectorAll(selector).length
