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

/**
 * What computing a stage takes, estimated before it runs from its params and its upstream stages'
 * estimates (a stage that reads an upstream's artifacts can size itself by their disk bytes): the
 * memory it holds at its peak (bytes, including its worker tasks' working sets), the disk its
 * entry takes and, for a stage that computes for long, the CPU time it takes (seconds on one core).
 * The scheduler prints the CPU time of what a run will compute, refuses a plan that cannot fit or
 * would take longer than the configured limit, and never runs at once more stages than their
 * memory allows.
 */
export interface Estimate {
  readonly memoryBytes: number
  readonly diskBytes: number
  /** Seconds of one core's compute (at the measured per-step costs); absent: a short stage. Sizes a cluster job's time limit. */
  readonly cpuSeconds?: number
  /** How many of its tasks can run at once (absent: 1, a sequential stage). Sizes a cluster job's CPUs. */
  readonly parallelism?: number
}

/** Any Context tag a stage may require. */
// biome-ignore lint/suspicious/noExplicitAny: a tag of any service
export type AnyTag = Context.Tag<any, any>

/** @internal */
export const ManyTypeId: unique symbol = Symbol.for("plastic-net/engine/Stage/Many")

/**
 * An input that takes any number of upstream runs of one stage (e.g. an aggregate over the members
 * of a sweep): `inputs: { members: Stage.many(metrics) }`; the stage then reads
 * `ctx.inputs.members` as an array, in the order the pipeline gave them.
 */
export interface Many<S extends Any> {
  readonly [ManyTypeId]: typeof ManyTypeId
  readonly stage: S
}

/** Declares an input taking a list of runs of `stage`. */
export const many = <S extends Any>(stage: S): Many<S> => ({ [ManyTypeId]: ManyTypeId, stage })

/** True for {@link many} inputs. */
export const isMany = (u: unknown): u is Many<Any> => typeof u === "object" && u !== null && ManyTypeId in u

/** The estimates of a stage's upstream runs, by input name (a list for a `Stage.many` input). */
export type EstimatesOf<I> = {
  readonly [K in keyof I]: I[K] extends Many<infer _S> ? ReadonlyArray<Estimate> : Estimate
}

/** The upstream stages of a stage, by input name (one run, or a list of runs). */
export type Inputs = { readonly [name: string]: Any | Many<Any> }

/** What a stage's `run` sees of one input. */
export type UpstreamOf<I> = I extends Many<infer S> ? ReadonlyArray<Upstream<OutputOf<S>>> : Upstream<OutputOf<I>>

/** A stage value. Build one with {@link make}. */
export interface Stage<Name extends string, P, PI, I extends Inputs, O, OI, Req extends AnyTag> {
  readonly [TypeId]: TypeId
  /** Stable name: part of the key, and the default node name in a pipeline. */
  readonly name: Name
  /** `import.meta.url` of the module defining the stage: the root of its code fingerprint. */
  readonly module: string
  /**
   * Further modules whose code the stage runs without importing them (e.g. a worker module it
   * names by URL, chosen when the stage is made): roots of its code fingerprint too.
   */
  readonly code: ReadonlyArray<string>
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
  /** Its resource estimate (a small default when the stage gives none). */
  readonly estimate: (params: P, upstream: EstimatesOf<I>) => Estimate
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

/**
 * One stage run upstream of the current one (transitively), for provenance in reports: what
 * determines its result (key and params), never how a particular run obtained it (timings and
 * cache hits are in the run record), so that one key always holds one set of bytes.
 */
export interface LineageEntry {
  /** The stage's name (not the node's: node names are not in keys, so would differ between runs that share a key). */
  readonly stage: string
  readonly key: string
  /** The node's encoded params. */
  readonly params: unknown
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
  /** The node's name in its pipeline, for logs only: it is not in the key, so never write it into a result. */
  readonly name: string
  readonly inputs: { readonly [K in keyof I]: UpstreamOf<I[K]> }
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
  /** Further fingerprint roots (see {@link Stage.code}); none by default. */
  readonly code?: ReadonlyArray<string>
  readonly description: string
  readonly params: Schema.Schema<P, PI, never>
  readonly inputs?: I
  readonly output: Schema.Schema<O, OI, never>
  readonly requires?: Req
  /** The stage draws from `ctx.seed` (default false). */
  readonly random?: boolean
  /** Its resource estimate from its params and upstream estimates (default: {@link smallEstimate}). */
  readonly estimate?: (params: P, upstream: EstimatesOf<I>) => Estimate
  readonly publish?: ReadonlyArray<string>
  readonly run: (ctx: StageContext<P, I>) => Effect.Effect<O, unknown, Context.Tag.Identifier<Req[number]>>
}

/** The estimate of a stage that gives none: a small result, a few MB of working memory. */
export const smallEstimate: Estimate = { memoryBytes: 64 * 2 ** 20, diskBytes: 2 ** 20 }

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
  code: definition.code ?? [],
  description: definition.description,
  params: definition.params,
  inputs: (definition.inputs ?? {}) as I,
  output: definition.output,
  requires: definition.requires ?? [],
  random: definition.random ?? false,
  estimate: definition.estimate ?? (() => smallEstimate),
  publish: definition.publish ?? [],
  run: definition.run
})

/**
 * In an HTML artifact a stage publishes (e.g. `report.html`), the place where the published copy
 * shows the run that published it: which stages were cached or computed, and in how long. The
 * cached artifact keeps the marker, so its bytes depend only on its key (`Publish.ts`).
 */
export const RUN_RECORD_MARKER = "<!--pipeline:run-->"

/** True for stage values. */
export const isStage = (u: unknown): u is Any => typeof u === "object" && u !== null && TypeId in u
