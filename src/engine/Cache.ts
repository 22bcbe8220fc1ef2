/**
 * The content-addressed stage cache (DESIGN §5): one directory per stage key holding a manifest,
 * the stage's JSON result and its artifacts (layout: `cache/Layout.ts`).
 *
 * - Entries are written to a temporary directory and renamed into place when complete and
 *   fsynced (`cache/Staging.ts`); every read verifies sizes and checksums, and a corrupt entry is
 *   reported, moved aside and recomputed, never served (`cache/Entries.ts`).
 * - Per-key cross-process locks let several processes share one cache (`cache/Locks.ts`).
 * - Checkpoints of unfinished stage runs live under their key (`cache/Checkpoints.ts`).
 * - Run records say what each run asked and did (`cache/RunRecords.ts`); runs in progress are
 *   registered with a heartbeat (`cache/LiveRuns.ts`).
 * - `gc` removes what nobody keeps, never what is in use (`cache/Gc.ts`).
 *
 * Side files (records, memos, checkpoint indexes) are validated on read like entries
 * (`SideFile.ts`): a damaged one costs a recomputation and a warning, never the cache.
 *
 * @module Cache
 */

import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type { CheckpointStore } from "./cache/Checkpoints.js"
import type { Entries } from "./cache/Entries.js"
import * as FileCache from "./cache/FileCache.js"
import type { GcOptions, GcReport } from "./cache/Gc.js"
import type { Layout } from "./cache/Layout.js"
import type { Registry } from "./cache/LiveRuns.js"
import type { Lock } from "./cache/Locks.js"
import type { RunRecords } from "./cache/RunRecords.js"
import type { Staging } from "./cache/Staging.js"
import type { CacheIoError, LockError } from "./Errors.js"

export type { CheckpointData, CheckpointStore } from "./cache/Checkpoints.js"
export type { GcOptions, GcReport, Kept } from "./cache/Gc.js"
export type { Layout } from "./cache/Layout.js"
export type { Registry as LiveRuns, Seen as LiveRun } from "./cache/LiveRuns.js"
export type { Lock } from "./cache/Locks.js"
export { FileSum, Manifest, type ManifestDraft } from "./cache/Manifest.js"
export { RecordedNode, RunRecord, type RunRecords } from "./cache/RunRecords.js"
export type { ArtifactWriter, Staging } from "./cache/Staging.js"

/** The cache service. */
export interface Cache extends Entries {
  /** The cache directory (absolute). */
  readonly dir: string
  /** Where everything lives in it. */
  readonly layout: Layout
  /** Age (ms) after which the lock of a dead process is taken over. */
  readonly lockStaleMs: number
  readonly entryDir: (key: string) => string
  readonly artifactPath: (key: string, name: string) => string
  /** A temporary directory for a new entry, removed when the scope closes unless committed. */
  readonly stage: (key: string) => Effect.Effect<Staging, CacheIoError, Scope.Scope>
  /**
   * Takes the cross-process lock of a key for the scope. Fails with `LockError` "Held" when
   * another live process holds it (callers poll).
   */
  readonly lock: (key: string) => Effect.Effect<Lock, LockError, Scope.Scope>
  /** Whether a live process holds the key's lock. */
  readonly isLocked: (key: string) => Effect.Effect<boolean>
  /**
   * Clears the key's lock when its owner is known dead (this host, pid gone) or it went stale, and
   * moves aside anything at its path that is not a lock; true when something was cleared. Every
   * run calls it for the keys it serves from the cache (their locks are otherwise never touched).
   */
  readonly reapLock: (key: string) => Effect.Effect<boolean>
  /** The checkpoints of a key. */
  readonly checkpoints: (key: string) => CheckpointStore
  /** The run records. */
  readonly runs: RunRecords
  /** The runs in progress (heartbeat, process, every key of their plan): gc keeps their keys. */
  readonly live: Registry
  /** Removes what `keep` does not hold nor a live run reaches, skipping anything in use. */
  readonly gc: (options: GcOptions) => Effect.Effect<GcReport, CacheIoError>
}

/** The cache service tag. */
export const Cache = Context.GenericTag<Cache>("plastic-net/engine/Cache")

/** Options of the file-system cache. */
export interface Options {
  readonly dir: string
  /** A lock not refreshed for this long is stale and may be taken over (ms, ≥ 2000; default 10000). */
  readonly lockStaleMs?: number
  /** How often a running run refreshes its live registration (ms, default 10000). */
  readonly heartbeatMs?: number
}

/** The file-system cache (needs FileSystem and Path). */
export const layer = (options: Options) => Layer.effect(Cache, FileCache.make(options))
