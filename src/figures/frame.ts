/**
 * The margin convention: an SVG of fixed size, a title on top, and a plot group translated by the
 * margins, with the inner width and height the scales map onto.
 *
 * @module
 */
import { coord } from "./format.js"
import { ink } from "./palette.js"
import { createSvg, type Sel, type SvgDocument } from "./svg.js"

/** Space around the plot area, in px. */
export interface Margin {
  readonly top: number
  readonly right: number
  readonly bottom: number
  readonly left: number
}

/** The default margins: room for a title, tick labels and axis labels. */
export const defaultMargin: Margin = { top: 34, right: 18, bottom: 48, left: 62 }

/** Font sizes in px at the figure's final size (all ≥ 10). */
export const fontSize = { title: 14, label: 12, tick: 10, note: 11 } as const

export interface FrameOptions {
  readonly width: number
  readonly height: number
  readonly title: string
  readonly margin?: Partial<Margin>
}

/** An SVG document with a title and a plot area. */
export interface Frame extends SvgDocument {
  /** The plot group, translated by the margins; draw in `[0, innerWidth] × [0, innerHeight]`. */
  readonly plot: Sel<SVGGElement>
  readonly innerWidth: number
  readonly innerHeight: number
  readonly margin: Margin
}

/**
 * The title's font size: the default, or smaller for a title that would not fit the figure's
 * width (a bold sans-serif character is about 0.6 em wide), never below 9 px.
 */
export const titleSize = (title: string, width: number): number =>
  Math.max(9, Math.min(fontSize.title, Math.floor((width - 16) / (0.6 * Math.max(1, title.length)))))

/** Create the SVG, write the title centred on top, and return the translated plot group. */
export const frame = (options: FrameOptions): Frame => {
  const margin = { ...defaultMargin, ...options.margin }
  const doc = createSvg(options.width, options.height)
  doc.svg
    .append("text")
    .attr("class", "title")
    .attr("x", coord(options.width / 2))
    .attr("y", 20)
    .attr("text-anchor", "middle")
    .attr("font-size", titleSize(options.title, options.width))
    .attr("font-weight", "bold")
    .attr("fill", ink)
    .text(options.title)
  const plot = doc.svg
    .append("g")
    .attr("class", "plot")
    .attr("transform", `translate(${coord(margin.left)},${coord(margin.top)})`)
  return {
    ...doc,
    plot,
    innerWidth: options.width - margin.left - margin.right,
    innerHeight: options.height - margin.top - margin.bottom,
    margin
  }
}

/** A small note line of text (e.g. what an ellipse means), left-aligned at (x, y) of `parent`. */
export const note = <E extends SVGElement>(parent: Sel<E>, x: number, y: number, text: string): void => {
  parent
    .append("text")
    .attr("class", "note")
    .attr("x", coord(x))
    .attr("y", coord(y))
    .attr("font-size", fontSize.note)
    .attr("fill", ink)
    .text(text)
}

/** A panel's title, centred above a panel `width` wide. */
export const panelTitle = <E extends SVGElement>(panel: Sel<E>, width: number, text: string): void => {
  panel
    .append("text")
    .attr("class", "panel-title")
    .attr("x", coord(width / 2))
    .attr("y", -8)
    .attr("text-anchor", "middle")
    .attr("font-size", fontSize.label)
    .attr("fill", ink)
    .text(text)
}

/** A dashed vertical line at `x` across a panel `height` high (a class boundary). */
export const boundaryLine = <E extends SVGElement>(panel: Sel<E>, x: number, height: number): void => {
  panel
    .append("line")
    .attr("class", "boundary")
    .attr("x1", coord(x))
    .attr("x2", coord(x))
    .attr("y1", 0)
    .attr("y2", coord(height))
    .attr("stroke", ink)
    .attr("stroke-dasharray", "4,3")
}

/** The layout of a grid of equal panels: `perRow` across, each `width` × `height`, spaced by the gaps. */
export interface PanelGrid {
  readonly perRow: number
  readonly width: number
  readonly height: number
  readonly gapX: number
  readonly gapY: number
}

/** The group of panel `index` of a grid, translated to its place (row-major) in `plot`. */
export const gridPanel = (plot: Sel<SVGGElement>, index: number, grid: PanelGrid): Sel<SVGGElement> =>
  plot
    .append("g")
    .attr("class", "panel")
    .attr(
      "transform",
      `translate(${coord((index % grid.perRow) * (grid.width + grid.gapX))},${coord(Math.floor(index / grid.perRow) * (grid.height + grid.gapY))})`
    )
