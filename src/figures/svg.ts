/**
 * The SVG document every figure draws on: a fresh jsdom document per call, an `<svg>` root with
 * `xmlns`, fixed `width`/`height` and a matching `viewBox`, and a serializer (jsdom's
 * `XMLSerializer`, so text is escaped as XML and nothing is un-escaped by regex).
 *
 * @module
 */
import * as d3 from "d3"
import { JSDOM } from "jsdom"

/** The SVG namespace, written explicitly on the root so the string stands alone. */
export const SVG_NS = "http://www.w3.org/2000/svg"

/** A d3 selection of an SVG element of any kind. */
export type Sel<E extends Element = SVGElement> = d3.Selection<E, unknown, null, undefined>

/** A blank SVG document of a fixed size, ready to draw on. */
export interface SvgDocument {
  readonly document: Document
  readonly svg: Sel<SVGSVGElement>
  readonly width: number
  readonly height: number
  /** The `<svg>` element as a standalone XML string. */
  readonly serialize: () => string
}

/** Create an `<svg width height viewBox>` with a white background and default text attributes. */
export const createSvg = (width: number, height: number): SvgDocument => {
  const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>")
  const document = dom.window.document
  const svg = d3
    .select(document.body)
    .append("svg")
    .attr("xmlns", SVG_NS)
    .attr("width", width)
    .attr("height", height)
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("font-family", "sans-serif")
    .attr("font-size", 11)
  svg.append("rect").attr("class", "background").attr("width", width).attr("height", height).attr("fill", "white")
  const serialize = () => new dom.window.XMLSerializer().serializeToString(svg.node()!)
  return { document, svg, width, height, serialize }
}
