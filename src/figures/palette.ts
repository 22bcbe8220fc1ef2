/**
 * Colours. Categorical series use the Okabe–Ito palette (distinguishable with the common forms of
 * colour-vision deficiency); diverging data use ColorBrewer RdBu; counts use Blues; stimulus
 * angles, which are cyclic, use a closed loop through Okabe–Ito hues.
 *
 * @module
 */
import * as d3 from "d3"

/** Okabe & Ito (2008), "Color Universal Design", without black (kept for targets and references). */
export const okabeIto = [
  "#0072B2", // blue
  "#D55E00", // vermillion
  "#009E73", // bluish green
  "#E69F00", // orange
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#F0E442" // yellow
] as const

/** Black for targets, reference lines and text. */
export const ink = "#000000"
/** Grey for priors, grids and secondary marks. */
export const muted = "#7f7f7f"
/** Light grey for backgrounds of secondary quantities (prior density fills). */
export const faint = "#d9d9d9"

/** The i-th categorical colour (cycles after seven). */
export const categorical = (i: number): string => okabeIto[((i % okabeIto.length) + okabeIto.length) % okabeIto.length]!

// Okabe–Ito hues in hue order, yellow left out (too light on white), closed into a loop: the test
// grid's 12 angles get the six colours and the midpoints between neighbours.
const cyclicStops = ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7"]
const cyclic = d3.piecewise(d3.interpolateRgb, [...cyclicStops, cyclicStops[0]!])

/** A colour for a stimulus angle θ ∈ [−π, π]; the scale wraps, so −π and π get the same colour. */
export const angleColor = (theta: number): string => {
  const u = ((((theta + Math.PI) / (2 * Math.PI)) % 1) + 1) % 1
  return d3.color(cyclic(u))!.formatHex()
}

/** A diverging colour for v ∈ [−limit, limit] (blue negative, white zero, red positive). */
export const diverging = (v: number, limit: number): string => {
  const u = limit > 0 ? Math.max(-1, Math.min(1, v / limit)) : 0
  return d3.color(d3.interpolateRdBu((1 - u) / 2))!.formatHex()
}

/** A sequential colour for u ∈ [0, 1] (white to dark blue). */
export const sequential = (u: number): string =>
  d3.color(d3.interpolateBlues(0.05 + 0.9 * Math.max(0, Math.min(1, u))))!.formatHex()

/** Black or white, whichever reads better on the given background colour. */
export const textOn = (background: string): string => {
  const c = d3.rgb(background)
  const luminance = (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) / 255
  return luminance > 0.55 ? ink : "#ffffff"
}
