/**
 * What the figure specs share when they render (loaded inside `render`, with the drawing code): the
 * figure functions, the network's states to contrast (before and after learning, or the loaded
 * network alone), and the formatting of captions.
 */
import type { StimulusDetails } from "../analysis/tasks/stimulus.js"
import { type VonMises, vonMisesDensity } from "../analysis/vonMisesDensity.js"
import { angleLabel, formatNumber } from "../figures/format.js"
import type { Analyzed, ReportInputs } from "./inputs.js"

export { angleLabel, formatNumber }

/** The states a run's figures show: before and after learning, or the one network it tested. */
export const states = <S, D>(inputs: ReportInputs<S, D>) => {
  const { initial, trained } = inputs
  const before = "before learning"
  const after = initial === undefined ? inputs.label : "after learning"
  const list: ReadonlyArray<{ readonly name: string; readonly a: Analyzed<S, D> }> = [
    ...(initial !== undefined ? [{ name: before, a: initial }] : []),
    { name: after, a: trained }
  ]
  return {
    before,
    after,
    list,
    /** Colour index by state name (before: blue, after: vermillion). */
    colors: { [before]: 0, [after]: 1 } as Record<string, number>,
    /** ", before and after learning" when the run has both, else "". */
    contrast: initial !== undefined ? ", before and after learning" : ""
  }
}

/** The density of a von Mises prior on a grid of 181 angles over [−π, π]. */
export const priorCurve = (prior: VonMises) => {
  const angles = Array.from({ length: 181 }, (_, k) => -Math.PI + (2 * Math.PI * k) / 180)
  return { angles, density: angles.map((a) => vonMisesDensity(a, prior)) }
}

/** A summary's number for a figure (NaN where undefined, which the figures leave out). */
export const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v)
export const nums = (vs: ReadonlyArray<number | null | undefined>): Array<number> => vs.map(num)
/** A number for a caption ("—" where undefined). */
export const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "—" : formatNumber(v))
export const vm = (p: VonMises) => `von Mises(${formatNumber(p.mu)}, ${formatNumber(p.kappa)})`

/** The x axis of a per-angle matrix panel, and the axis of neurons sorted by preferred angle. */
export const angleAxis = (details: StimulusDetails) => ({
  kind: "angle" as const,
  label: "stimulus angle θ (rad)",
  angles: details.tuning.angles
})
export const sortedNeurons = { kind: "index" as const, label: "neuron (sorted by preferred angle)" }

/** How the noise statistics' samples were chosen, for captions. */
export const transientNote = (details: StimulusDetails, sampleSeconds: number) => {
  const transient = details.settings.switchTransient
  const seconds = transient === undefined ? 0 : (transient.steps * sampleSeconds) / transient.recordEvery
  return seconds > 0 ? `the first ${formatNumber(seconds)} s after each switch left out` : "every sample"
}
