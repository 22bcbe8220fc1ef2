/** Shared test helpers: distribution functions and the Kolmogorov–Smirnov statistic. */

/** CDF of von Mises(0, κ) on [−π, π], by trapezoidal integration of exp(κ cos θ) on a fine grid. */
export function vonMisesCdf(kappa: number, points = 200_001): (theta: number) => number {
  const h = (2 * Math.PI) / (points - 1)
  const cumulative = new Float64Array(points)
  let previous = Math.exp(kappa * Math.cos(-Math.PI))
  for (let k = 1; k < points; k++) {
    const density = Math.exp(kappa * Math.cos(-Math.PI + k * h))
    cumulative[k] = cumulative[k - 1]! + ((previous + density) * h) / 2
    previous = density
  }
  const total = cumulative[points - 1]!
  return (theta) => {
    const x = (theta + Math.PI) / h
    const k = Math.max(0, Math.min(points - 2, Math.floor(x)))
    const f = x - k
    return (cumulative[k]! * (1 - f) + cumulative[k + 1]! * f) / total
  }
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * z)
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z)
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)
}

/** The one-sample KS statistic D = sup |F_n − F|. */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort()
  const n = sorted.length
  let d = 0
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!)
    d = Math.max(d, (i + 1) / n - f, f - i / n)
  }
  return d
}

/** KS critical value at significance 0.001 (asymptotic: 1.949/√n). */
export const ksCritical = (n: number): number => 1.949 / Math.sqrt(n)
