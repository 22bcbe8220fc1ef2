/** The summary numbers every stimulus task's analysis holds (the population code), as a Schema. */
import * as Schema from "effect/Schema"
import { Maybe, Numbers, OutputAtAngleSchema, VonMisesSchema } from "./common.js"

/** The population-code numbers every stimulus task's summary holds. */
export const StimulusSummaryFields = {
  N: Schema.Number,
  trials: Schema.Number,
  /** Recorded samples per trial. */
  samples: Schema.Number,
  /** The prior the prior-weighted figures and the preferred-angle comparison used. */
  prior: VonMisesSchema,
  /** Samples per trial left out of the noise statistics (the transient after each switch). */
  transientSamplesPerTrial: Schema.Number,
  /** Noise variance share along the decoder vs a random subspace (see `decoderAlignedNoise`). */
  decoderAlignedNoise: Schema.Struct({
    decoderShare: Maybe,
    randomShare: Schema.Number,
    enrichment: Maybe,
    principalAngles: Numbers
  }),
  /** The reference's `noise_volume` and `noise_angle`, averaged over the test angles. */
  noiseVolume: Schema.Struct({ meanVolumeFraction: Maybe, meanDeterminantRatio: Maybe, meanNoiseAngle: Maybe }),
  /** The reference's `stimulus_dependent_s2n`, averaged over the test angles. */
  signalToNoise: Schema.Struct({ decoder: Maybe, orthogonal: Maybe }),
  /** PCA of the population activity: the first (up to 10) variance fractions, and the effective dimension. */
  pca: Schema.Struct({ varianceExplained: Numbers, cumulative: Numbers, participationRatio: Schema.Number }),
  /** Mean off-diagonal noise correlation, and the correlation of signal vs noise correlations over pairs. */
  correlations: Schema.Struct({ meanNoiseCorrelation: Maybe, signalNoiseRelation: Maybe }),
  /** Preferred angles (vector sum) per bin against the count the prior implies. */
  preferredAngles: Schema.Struct({ centers: Numbers, counts: Numbers, expectedCounts: Numbers }),
  /** Output mean and covariance per angle, every output row (see `outputStatistics`). */
  outputByAngle: Schema.Array(OutputAtAngleSchema),
  /** The reference's `stimulus_dependent_energy`: ‖E(θ) − mean‖, and the mean energy over angles. */
  energy: Schema.Struct({ spread: Schema.Number, mean: Maybe }),
  /** mean |W·r̄| / mean |C·s| over neurons and angles (`current_ratio_plot`). */
  recurrentToInputCurrent: Maybe
}
export const StimulusSummary = Schema.Struct(StimulusSummaryFields)
export type StimulusSummary = typeof StimulusSummary.Type
