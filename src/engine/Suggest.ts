/**
 * "Did you mean …?": the known names closest to a mistyped one, by Levenshtein distance
 * (`fastest-levenshtein`), for unknown verbs, flags, pipelines, stages and params.
 *
 * @module Suggest
 */
import { distance } from "fastest-levenshtein"

/**
 * The candidates within a typo's reach of `given` (distance ≤ max(1, ⌊length/3⌋), or a prefix of
 * it, or it of them), closest first; case is ignored.
 */
export const closest = (given: string, candidates: Iterable<string>): ReadonlyArray<string> => {
  const g = given.toLowerCase()
  const reach = Math.max(1, Math.floor(g.length / 3))
  const scored: Array<readonly [string, number]> = []
  for (const c of new Set(candidates)) {
    const l = c.toLowerCase()
    const d = distance(g, l)
    if (d <= reach || (g.length >= 3 && (l.startsWith(g) || g.startsWith(l)))) scored.push([c, d])
  }
  return scored.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c)
}

/** " Did you mean X?" (or " Did you mean X or Y?"), or "" when nothing is close. */
export const didYouMean = (given: string, candidates: Iterable<string>, show: (c: string) => string = (c) => c) => {
  const near = closest(given, candidates).slice(0, 2)
  return near.length === 0 ? "" : ` Did you mean ${near.map(show).join(" or ")}?`
}
