/**
 * The registry the `pipeline` command knows: the pipelines (`pipeline list`) and the stage that
 * aggregates the members of a sweep (`--sweep`). The paper's comparisons (rules, noise levels,
 * seeds) are sweeps of these pipelines, committed as files under `sweeps/` (`pipeline run
 * noise-sweep` runs `sweeps/noise-sweep.yaml`).
 */
import type * as Pipeline from "../src/engine/Pipeline.js"
import type * as Sweep from "../src/engine/Sweep.js"
import { aggregate } from "../stages/aggregate.js"
import { bciPerturbation } from "./bciPerturbation.js"
import { experimentPipelines } from "./experiments.js"
import { mixedVsSingle } from "./mixedVsSingle.js"
import { tuningCompare } from "./tuningCompare.js"

export const pipelines: ReadonlyArray<Pipeline.Any> = [
  ...experimentPipelines,
  tuningCompare,
  mixedVsSingle,
  bciPerturbation
]

export const registry: Sweep.Registry = { pipelines, aggregate }
