/**
 * Number formatting. Coordinates go through {@link coord} (ASCII minus, at most two decimals) so the
 * SVG is byte-stable and parseable; visible labels go through d3's default locale (true minus sign).
 *
 * @module
 */
import * as d3 from "d3"

const asciiLocale = d3.formatLocale({ decimal: ".", thousands: ",", grouping: [3], currency: ["", ""], minus: "-" })

const coordFormat = asciiLocale.format(".2~f")

/** A coordinate or length for an SVG attribute: at most two decimals, ASCII minus, no `-0`. */
export const coord = (x: number): string => {
  const s = coordFormat(x)
  return s === "-0" ? "0" : s
}

/** A number for a visible label, with `digits` significant digits (true minus sign, trailing zeros trimmed). */
export const label = (x: number, digits = 3): string => d3.format(`.${digits}~g`)(x)

/** A number for a report or a caption: 4 significant digits, "—" where it is not finite. */
export const formatNumber = (v: number): string => (Number.isFinite(v) ? label(v, 4) : "—")

/** A fixed-point number for a visible label (true minus sign). */
export const fixed = (x: number, decimals = 2): string => d3.format(`.${decimals}f`)(x)

/** A percentage for a visible label, from a fraction (0.25 → "25%"). */
export const percent = (fraction: number, decimals = 0): string => d3.format(`.${decimals}%`)(fraction)

/**
 * An angle in rad as a fraction of π when it is one with a small denominator (−3π/4, π/6, 0, π);
 * otherwise two decimals.
 */
export const angleLabel = (theta: number): string => {
  for (const d of [1, 2, 3, 4, 6, 8, 12]) {
    const n = Math.round((theta / Math.PI) * d)
    if (Math.abs((theta / Math.PI) * d - n) > 1e-9) continue
    if (n === 0) return "0"
    const sign = n < 0 ? "−" : ""
    const m = Math.abs(n)
    return `${sign}${m === 1 ? "" : m}π${d === 1 ? "" : `/${d}`}`
  }
  return fixed(theta, 2)
}
