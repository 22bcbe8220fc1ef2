/**
 * The forward rate functions (F–I curves) r = f(u) of the reference's three nonlinearity pairs
 * (`pl_support_functions_cr.py`; README §4.1(b) and §9.6). The simulation only evaluates their
 * inverses g; these are what the reference's `fi_plot` draws:
 *
 * - softplus (`relu_diff`, the paper's): r = β·log(1 + exp(α + γu));
 * - sigmoid (`nl`): r = 1/(α + β·exp(−γu)) (with α = 0 an exponential, (1/β)·exp(γu));
 * - linear (`linear`): r = α + γu.
 */
export const nonlinearities = ["softplus", "sigmoid", "linear"] as const
export type Nonlinearity = (typeof nonlinearities)[number]

export interface RateFunctionParams {
  readonly alpha: number
  readonly beta: number
  readonly gamma: number
}

/** r = f(u) for the named pair; softplus is evaluated without overflow (log1p of exp(−|x|)). */
export const rateFunction = (nonlinearity: Nonlinearity, p: RateFunctionParams, u: number): number => {
  switch (nonlinearity) {
    case "softplus": {
      const x = p.alpha + p.gamma * u
      return p.beta * (Math.max(0, x) + Math.log1p(Math.exp(-Math.abs(x))))
    }
    case "sigmoid":
      return 1 / (p.alpha + p.beta * Math.exp(-p.gamma * u))
    case "linear":
      return p.alpha + p.gamma * u
  }
}

export interface FiCurve {
  readonly nonlinearity: Nonlinearity
  readonly u: Array<number>
  readonly r: Array<number>
}

/** The curve on u = from, from + step, … < to (the reference's `np.arange(-2, 2, 0.01)`). */
export const fiCurve = (
  nonlinearity: Nonlinearity,
  p: RateFunctionParams,
  range: { from: number; to: number; step: number } = { from: -2, to: 2, step: 0.01 }
): FiCurve => {
  const count = Math.ceil((range.to - range.from) / range.step)
  const u = Array.from({ length: count }, (_, k) => range.from + k * range.step)
  return { nonlinearity, u, r: u.map((x) => rateFunction(nonlinearity, p, x)) }
}
