/**
 * The registry of pipelines the `pipeline` command knows (`pipeline list`).
 */
import type * as Pipeline from "../src/engine/Pipeline.js"
import {
  compareRulesClassification,
  compareRulesEstimation,
  noiseSweep,
  seedStudyClassification,
  seedStudyEstimation
} from "./comparisons.js"
import { classification, estimation } from "./experiments.js"
import { tuningCompare } from "./tuningCompare.js"

export const pipelines: ReadonlyArray<Pipeline.Any> = [
  estimation,
  classification,
  compareRulesEstimation,
  compareRulesClassification,
  noiseSweep,
  seedStudyEstimation,
  seedStudyClassification,
  tuningCompare
]
