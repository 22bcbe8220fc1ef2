/**
 * The figures the stimulus tasks share, by section: each task's list takes these and adds its own
 * readouts' (src/report/figures/).
 */
import { averageNoiseCorrelation } from "../../src/report/figures/averageNoiseCorrelation.js"
import { covariance } from "../../src/report/figures/covariance.js"
import { currentRatio } from "../../src/report/figures/currentRatio.js"
import { currents } from "../../src/report/figures/currents.js"
import { energy } from "../../src/report/figures/energy.js"
import { fiCurve } from "../../src/report/figures/fiCurve.js"
import { inputDistribution } from "../../src/report/figures/inputDistribution.js"
import { noiseAngle } from "../../src/report/figures/noiseAngle.js"
import { noiseCorrelations } from "../../src/report/figures/noiseCorrelations.js"
import { noiseCovarianceByAngle } from "../../src/report/figures/noiseCovarianceByAngle.js"
import { noiseVolume } from "../../src/report/figures/noiseVolume.js"
import { objective } from "../../src/report/figures/objective.js"
import { outputTrace } from "../../src/report/figures/outputTrace.js"
import { preferredAngles } from "../../src/report/figures/preferredAngles.js"
import { signalNoise } from "../../src/report/figures/signalNoise.js"
import { signalToNoise } from "../../src/report/figures/signalToNoise.js"
import { sortedStimulusVariance } from "../../src/report/figures/sortedStimulusVariance.js"
import { stimulusVariancePca } from "../../src/report/figures/stimulusVariancePca.js"
import { trainingTrace } from "../../src/report/figures/trainingTrace.js"
import { tuningCurves } from "../../src/report/figures/tuningCurves.js"
import { varianceExplained } from "../../src/report/figures/varianceExplained.js"
import { volumeFractionTotal } from "../../src/report/figures/volumeFractionTotal.js"

/** Learning: the objective, the training stimuli, the last training trials. */
export const learning = [objective, inputDistribution, trainingTrace] as const
/** Behaviour: the output over a test trial (the tasks add their readouts' figures). */
export const behaviour = [outputTrace] as const
/** Code: tuning. */
export const tuning = [
  tuningCurves,
  preferredAngles,
  varianceExplained,
  stimulusVariancePca,
  sortedStimulusVariance
] as const
/** Code: noise, energy, currents. */
export const code = [
  noiseCorrelations,
  averageNoiseCorrelation,
  signalNoise,
  covariance,
  noiseCovarianceByAngle,
  noiseVolume,
  volumeFractionTotal,
  noiseAngle,
  signalToNoise,
  energy,
  currents,
  currentRatio
] as const
/** Model: the rate function. */
export const model = [fiCurve] as const
