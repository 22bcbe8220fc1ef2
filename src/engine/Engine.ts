/**
 * The engine's services as one layer: the {@link Scheduler} over a `Runner`, with the `Cache`,
 * `Progress` and `WorkerPool` the two need. Every entry point (the CLI's MainLayer, the BullMQ job
 * processor, the tests, the engine benchmark) builds its stack here and chooses only the parts; the
 * platform (`NodeContext`) is left to the caller, who may replace its FileSystem.
 *
 * @module Engine
 */
import * as Layer from "effect/Layer"
import type * as Cache from "./Cache.js"
import type * as Progress from "./Progress.js"
import type * as Runner from "./Runner.js"
import * as Scheduler from "./Scheduler.js"
import type * as WorkerPool from "./WorkerPool.js"

/** The parts of an engine stack. */
export interface Parts<RE, RR, CE, CR, PE, PR, WE, WR> {
  /** Where nodes are computed: `LocalRunner.layer(…)` or the BullMQ runner. */
  readonly runner: Layer.Layer<Runner.Runner, RE, RR>
  readonly cache: Layer.Layer<Cache.Cache, CE, CR>
  readonly progress: Layer.Layer<Progress.Progress, PE, PR>
  readonly pool: Layer.Layer<WorkerPool.WorkerPool, WE, WR>
}

/** The Scheduler over the runner, with the cache, progress and worker pool merged in (all exposed). */
export const layer = <RE, RR, CE, CR, PE, PR, WE, WR>(parts: Parts<RE, RR, CE, CR, PE, PR, WE, WR>) =>
  Scheduler.layer.pipe(
    Layer.provideMerge(parts.runner),
    Layer.provideMerge(Layer.mergeAll(parts.cache, parts.progress, parts.pool))
  )
