/**
 * A stage: one typed, cached step of a pipeline. It has a name, a params Schema (decoded and
 * validated before anything runs), typed upstream stages, an output Schema for its small JSON
 * result, named binary artifacts written through its context, the services it requires, and a
 * `run` Effect. Its cache key covers all of these and its code (see `Plan.ts`).
 *
 * @example
 * export const train = Stage.make({
 *   name: "train",
 *   module: import.meta.url,
 *   description: "Trains the network with the plasticity rule.",
 *   params: Schema.Struct({ trials: Schema.Int }),
 *   inputs: { network: init },
 *   output: Schema.Struct({ finalObjective: Schema.Number }),
 *   requires: [PlasticityRule],
 *   run: (ctx) => Effect.gen(function* () { … })
 * })
 *
 * @module Stage
 */
import type * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type { CacheEntryCorruptError, CacheIoError, TaskFailedError } from "./Errors.js"
import type { DataOf, DType, NdArray } from "./NdArray.js"

/** @internal */
export const TypeId: unique symbol = Symbol.for("plastic-net/engine/Stage")
/** @internal */
export type TypeId = typeof TypeId

/** Any Context tag a stage may require. */
// biome-ignore lint/suspicious/noExplicitAny: a tag of any service
export type AnyTag = Context.Tag<any, any>

/** The upstream stages of a stage, by input name. */
export type Inputs = { readonly [name: string]: Any }

/** A stage value. Build one with {@link make}. */
export interface Stage<Name extends string, P, PI, I extends Inputs, O, OI, Req extends AnyTag> {
  readonly [TypeId]: TypeId
  /** Stable name: part of the key, and the default node name in a pipeline. */
  readonly name: Name
  /** `import.meta.url` of the module defining the stage: the root of its code fingerprint. */
  readonly module: string
  readonly description: string
  readonly params: Schema.Schema<P, PI, never>
  readonly inputs: I
  readonly output: Schema.Schema<O, OI, never>
  readonly requires: ReadonlyArray<Req>
  /**
   * Whether the stage draws random numbers from `ctx.seed`: then the node's root seed is part of
   * its key. A stage that is not random has no seed (its key does not move with the seed).
   */
  readonly random: boolean
  /** Artifacts copied to `out/<pipeline>/` after a run and printed. */
  readonly publish: ReadonlyArray<string>
  readonly run: (ctx: StageContext<P, I>) => Effect.Effect<O, unknown, Context.Tag.Identifier<Req>>
}

/** Any stage. */
// biome-ignore lint/suspicious/noExplicitAny: the widest stage type
export type Any = Stage<string, any, any, any, any, any, any>

/** The decoded output type of a stage. */
export type OutputOf<S> =
  S extends Stage<string, infer _P, infer _PI, infer _I, infer O, infer _OI, infer _R> ? O : never
/** The decoded params type of a stage. */
export type ParamsOf<S> =
  S extends Stage<string, infer P, infer _PI, infer _I, infer _O, infer _OI, infer _R> ? P : never
/** The params a pipeline passes to `use` (the Schema's encoded side, so defaults may be omitted). */
export type ParamsInputOf<S> =
  S extends Stage<string, infer _P, infer PI, infer _I, infer _O, infer _OI, infer _R> ? PI : never
/** The declared upstream stages of a stage. */
export type InputsOf<S> =
  S extends Stage<string, infer _P, infer _PI, infer I, infer _O, infer _OI, infer _R> ? I : never

/** What a stage sees of one upstream stage run. */
export interface Upstream<O> {
  /** The upstream's decoded JSON result. */
  readonly result: O
  readonly key: string
  /** Reads a `.npy` artifact of the upstream (checksum-verified). */
  readonly readArray: (name: string) => Effect.Effect<NdArray, CacheEntryCorruptError | CacheIoError>
  /**
   * Rows `start … start+count−1` (first axis) of a `.npy` artifact, read without loading the rest:
   * for large arrays consumed piecewise. The whole file is checksum-verified, streaming, on the
   * first call for that artifact.
   */
  readonly readArrayRows: (
    name: string,
    start: number,
    count: number
  ) => Effect.Effect<NdArray, CacheEntryCorruptError | CacheIoError>
  /** Reads a text artifact of the upstream (checksum-verified). */
  readonly readText: (name: string) => Effect.Effect<string, CacheEntryCorruptError | CacheIoError>
  /** Absolute path of an upstream artifact. */
  readonly path: (name: string) => string
}

/** A saved checkpoint. */
export interface CheckpointData {
  readonly state: unknown
  readonly arrays: Readonly<Record<string, NdArray>>
}

/** The checkpoint store of one stage run, kept under its key. */
export interface Checkpoint {
  /** The last complete checkpoint, if any (a checkpoint failing its checksums is ignored). */
  readonly load: Effect.Effect<Option.Option<CheckpointData>>
  /**
   * Records a checkpoint. Writes are atomic and throttled (at most one per interval); the last
   * one is always flushed when the stage is interrupted, fails or returns.
   */
  readonly save: (state: unknown, arrays?: Readonly<Record<string, NdArray>>) => Effect.Effect<void, CacheIoError>
}

/** A pure exported function that runs on the worker-thread pool. */
export interface TaskRef {
  /** `import.meta.url` of the module exporting the function. */
  readonly module: string
  /** The export's name. */
  readonly export: string
}

/** One stage run upstream of the current one (transitively), for provenance in reports. */
export interface LineageEntry {
  /** The node's name in its pipeline. */
  readonly node: string
  readonly stage: string
  readonly key: string
  /** The node's encoded params. */
  readonly params: unknown
  /** Compute time recorded in its cache entry (null when unknown). */
  readonly seconds: number | null
  /** How this run obtained it: "cached", "ran" or "resumed". */
  readonly status: string
}

/** What a stage's `run` receives. */
export interface StageContext<P, I extends Inputs> {
  readonly params: P
  /**
   * The root seed of this node's random streams (the pipeline's, unless the node sets its own).
   * Only a stage declared `random: true` has one; reading it otherwise is a defect.
   */
  readonly seed: number
  /** This run's stage key. */
  readonly key: string
  /** The node's name in its pipeline. */
  readonly name: string
  readonly inputs: { readonly [K in keyof I]: Upstream<OutputOf<I[K]>> }
  /** Writes a `.npy` artifact. */
  readonly writeArray: (name: string, array: NdArray) => Effect.Effect<void, CacheIoError>
  /**
   * Writes a `.npy` artifact of `dtype` and `shape` in pieces, so that it is never held whole:
   * `fill` receives `append`, which takes the next elements in C order (e.g. one row at a time).
   * The artifact must be complete when `fill` succeeds; more or fewer elements are a defect.
   */
  readonly writeArrayRows: <D extends DType, E, R>(
    name: string,
    dtype: D,
    shape: ReadonlyArray<number>,
    fill: (append: (data: DataOf[D]) => Effect.Effect<void, CacheIoError>) => Effect.Effect<void, E, R>
  ) => Effect.Effect<void, E | CacheIoError, R>
  /** Writes a text artifact (json, svg, html…). */
  readonly writeText: (name: string, text: string) => Effect.Effect<void, CacheIoError>
  readonly checkpoint: Checkpoint
  /** Reports progress (shown as a bar on a TTY, periodic lines otherwise). */
  readonly progress: (done: number, total: number, note?: string) => Effect.Effect<void>
  /** Runs a pure exported function on the shared worker-thread pool. */
  // biome-ignore lint/suspicious/noExplicitAny: any one-argument function
  readonly runTask: <F extends (input: any) => any>(
    task: TaskRef,
    input: Parameters<F>[0],
    transfer?: ReadonlyArray<Transferable>
  ) => Effect.Effect<Awaited<ReturnType<F>>, TaskFailedError>
  /** Size of the worker pool. */
  readonly workers: number
  /** True when a checkpoint of this key was found. */
  readonly resumed: boolean
  /** Every stage run this one depends on, directly or not, upstream first. */
  readonly lineage: Effect.Effect<ReadonlyArray<LineageEntry>>
}

/** The definition {@link make} takes. */
export interface Definition<Name extends string, P, PI, I extends Inputs, O, OI, Req extends ReadonlyArray<AnyTag>> {
  readonly name: Name
  readonly module: string
  readonly description: string
  readonly params: Schema.Schema<P, PI, never>
  readonly inputs?: I
  readonly output: Schema.Schema<O, OI, never>
  readonly requires?: Req
  /** The stage draws from `ctx.seed` (default false). */
  readonly random?: boolean
  readonly publish?: ReadonlyArray<string>
  readonly run: (ctx: StageContext<P, I>) => Effect.Effect<O, unknown, Context.Tag.Identifier<Req[number]>>
}

/** Defines a stage. */
export const make = <
  const Name extends string,
  P,
  PI,
  O,
  OI,
  // biome-ignore lint/complexity/noBannedTypes: a stage without inputs
  const I extends Inputs = {},
  const Req extends ReadonlyArray<AnyTag> = []
>(
  definition: Definition<Name, P, PI, I, O, OI, Req>
): Stage<Name, P, PI, I, O, OI, Req[number]> => ({
  [TypeId]: TypeId,
  name: definition.name,
  module: definition.module,
  description: definition.description,
  params: definition.params,
  inputs: (definition.inputs ?? {}) as I,
  output: definition.output,
  requires: definition.requires ?? [],
  random: definition.random ?? false,
  publish: definition.publish ?? [],
  run: definition.run
})

/** True for stage values. */
export const isStage = (u: unknown): u is Any => typeof u === "object" && u !== null && TypeId in u
