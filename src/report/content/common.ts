/** What the stimulus tasks' report headers share: the key numbers of the population code, before and after. */
import type { StimulusSummary } from "../../analysis/tasks/stimulus.js"
import type { Analyzed } from "../inputs.js"

/** NaN where undefined (the report prints "—"). */
export const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v)

/** `label` before and after learning (or the loaded network's alone), each from `pick` of a summary. */
export const beforeAfter = <S>(
  states: { readonly trained: Analyzed<S, unknown>; readonly initial?: Analyzed<S, unknown> },
  label: string,
  pick: (s: S) => number | null | undefined
) => [
  ...(states.initial !== undefined
    ? [{ label: `${label} before learning`, value: num(pick(states.initial.summary)) }]
    : []),
  { label: states.initial !== undefined ? `${label} after learning` : label, value: num(pick(states.trained.summary)) }
]

/** The population code's key numbers: energy spread, recurrent / input current, noise angle. */
export const codeNumbers = <
  S extends Pick<StimulusSummary, "energy" | "recurrentToInputCurrent" | "noiseVolume">
>(states: {
  readonly trained: Analyzed<S, unknown>
  readonly initial?: Analyzed<S, unknown>
}) => [
  ...beforeAfter(states, "energy spread ‖E(θ) − Ē‖", (s) => s.energy.spread),
  ...beforeAfter(states, "recurrent / input current", (s) => s.recurrentToInputCurrent),
  ...beforeAfter(states, "noise angle to the decoder", (s) => s.noiseVolume.meanNoiseAngle)
]

/** The paper, for every report's subtitle. */
export const paper =
  "Bredenberg, Simoncelli & Savin (NeurIPS 2020), Learning efficient task-dependent representations with synaptic plasticity"

/** A by-angle value of the untrained network at the trained one's angle (NaN where it has none). */
export const matched = <E extends { readonly angle: number }>(
  list: ReadonlyArray<E> | undefined,
  angle: number,
  value: (e: E) => number
): number => {
  const entry = list?.find((x) => Math.abs(x.angle - angle) < 1e-6)
  return num(entry === undefined ? undefined : value(entry))
}
