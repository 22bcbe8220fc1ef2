/**
 * The population's mean tuning curve, as the reference's `tuning_curve_compare`
 * (`pl_plotters_cr.py`) draws it for the estimation and the classification network side by side:
 * at each test angle, the mean over neurons of their mean rate, ± its standard error
 * std/√N (population std over neurons).
 */
export interface MeanTuningCurve {
  readonly angles: Array<number>
  readonly mean: Array<number>
  readonly sem: Array<number>
  readonly neurons: number
}

/** From tuning curves given neuron-major (N × angles, as `tuningCurves(…).mean`). */
export const meanTuningCurve = (
  angles: ReadonlyArray<number>,
  curves: ReadonlyArray<ReadonlyArray<number>>
): MeanTuningCurve => {
  const N = curves.length
  const mean = angles.map((_, g) => curves.reduce((acc, c) => acc + c[g]!, 0) / N)
  const sem = angles.map((_, g) => {
    const variance = curves.reduce((acc, c) => acc + (c[g]! - mean[g]!) ** 2, 0) / N
    return Math.sqrt(variance / N)
  })
  return { angles: [...angles], mean, sem, neurons: N }
}
