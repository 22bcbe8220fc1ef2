/**
 * The registry the `pipeline` command knows: the pipelines (`pipeline list`) and the stage that
 * aggregates the members of a sweep (`--sweep`).
 */
import type * as Pipeline from "../src/engine/Pipeline.js"
import type * as Sweep from "../src/engine/Sweep.js"
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

export const registry: Sweep.Registry = { pipelines }
