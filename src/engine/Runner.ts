/**
 * Where a stage is computed (DESIGN §13). The scheduler (`Scheduler.ts`) walks the plan, looks
 * entries up, quarantines what is corrupt, decides what runs, records the run and publishes; it
 * hands every node it decided to compute to the `Runner`, which makes the node's entry exist:
 *
 * - `LocalRunner`: in this process, its CPU work on a pool of worker threads, under the key's
 *   cross-process lock, with checkpoints and an atomic commit;
 * - `distributed/BullRunner`: as a BullMQ job that a `pipeline worker` computes (with the local
 *   runner) on any machine sharing the cache;
 * - `slurm/SlurmRunner`: as a SLURM batch job that runs the same job processor on a cluster node.
 *
 * A new place to compute (a cluster scheduler, a cloud queue) is a new runner, not a new executor.
 *
 * @module Runner
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Cache from "./Cache.js"
import type {
  CacheEntryCorruptError,
  CacheIoError,
  LockError,
  ResourceError,
  SettingError,
  StageFailedError
} from "./Errors.js"
import type * as Plan from "./Plan.js"

/** What a stage sees of a finished upstream node: its key and its (lazily read) decoded result. */
export interface Outcome {
  readonly key: string
  readonly result: Effect.Effect<unknown, CacheEntryCorruptError | CacheIoError>
}

/** Why a run failed. */
export type RunError =
  | StageFailedError
  | CacheIoError
  | LockError
  | CacheEntryCorruptError
  | ResourceError
  | SettingError

/** A node the scheduler decided to compute. */
export interface Request {
  readonly plan: Plan.Plan
  readonly node: Plan.PlannedNode
  /** Recompute even when an entry exists (`--rerun`): the entry is replaced. */
  readonly forced: boolean
  /** The node's upstream outcomes, by upstream node name. */
  readonly upstream: Readonly<Record<string, Outcome>>
  /** The node's entry if it exists and verifies (a corrupt one is moved aside): to recheck after waiting. */
  readonly lookup: Effect.Effect<Option.Option<Cache.Manifest>, CacheIoError>
  /** Minimum ms between two checkpoint writes of the stage. */
  readonly checkpointIntervalMs: number
  /** `host:pid` of the distributed worker computing it, recorded in the manifest. */
  readonly worker?: string
}

/** How a runner made a node's entry exist. */
export interface Computed {
  /** "cached": another process computed it meanwhile, and it was served. */
  readonly status: "ran" | "resumed" | "cached"
  readonly manifest: Cache.Manifest
  /** The decoded result, when this process computed it (else it is read from the cache). */
  readonly result: Option.Option<unknown>
  /** Who computed it (a distributed worker's `host:pid`), for the log. */
  readonly worker?: string
}

/** A place to compute stages. */
export interface Runner {
  /** What it is, for messages ("local", "bullmq at redis://…"). */
  readonly name: string
  /**
   * The memory one stage may use here (bytes), for the plan's resource check; undefined when the
   * runner cannot tell (remote machines).
   */
  readonly memoryBudget: number | undefined
  readonly compute: (request: Request) => Effect.Effect<Computed, RunError>
}

/** The runner service tag. */
export const Runner = Context.GenericTag<Runner>("plastic-net/engine/Runner")
