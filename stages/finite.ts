/**
 * Numerical health (issue #22): a stage whose rates, outputs, objective, network or metrics hold a
 * non-finite value fails, naming the stage, the trial and the quantity, instead of storing the
 * value (JSON would publish it as `null`, a float32 array as ±Infinity). The model reproduces the
 * reference's quirk 14: a rate above β·709.78 ≈ 23.7 overflows the softplus inverse, its unclamped
 * rate becomes −∞ and the output infinite; params within their bounds (`BOUNDS` in
 * src/model/params.ts) keep a default network far from it, so reaching it means the network or
 * the params drove the dynamics out of the model's numeric range.
 *
 * @module finite
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"

/** A quantity of a stage holds a non-finite value; nothing of the stage was stored. */
export class NonFiniteError extends Data.TaggedError("NonFiniteError")<{
  readonly stage: string
  /** The trial (0-based), when the quantity belongs to one. */
  readonly trial?: number
  readonly quantity: string
  readonly value: number
  /** Where in the quantity (e.g. "neuron 3, sample 120"). */
  readonly at?: string
}> {
  override get message() {
    const trial = this.trial === undefined ? "" : ` of trial ${this.trial}`
    const at = this.at === undefined ? "" : ` (${this.at})`
    return `${this.stage}: the ${this.quantity}${trial} became ${this.value}${at}; nothing was stored. The network or the params drive the dynamics out of the model's numeric range (a rate above 23.7 overflows the softplus inverse, reference quirk 14): check them against their bounds (\`pipeline params\`).`
  }
}

/** The index of the first non-finite value, or −1. */
export const firstNonFinite = (values: ArrayLike<number>): number => {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i
  return -1
}

/**
 * Fails with {@link NonFiniteError} when `values` hold a non-finite value; `locate` turns its index
 * into the trial and a place within it (for arrays of several trials).
 */
export const requireFinite = (
  stage: string,
  quantity: string,
  values: ArrayLike<number>,
  locate: (index: number) => { readonly trial?: number; readonly at?: string } = () => ({})
): Effect.Effect<void, NonFiniteError> => {
  const i = firstNonFinite(values)
  return i < 0 ? Effect.void : Effect.fail(new NonFiniteError({ stage, quantity, value: values[i]!, ...locate(i) }))
}
