/**
 * A pipeline: a named DAG of stage uses, its params Schema and defaults, its root seed, and the
 * service implementations its stages require. Variants derive from a pipeline by overriding
 * defaults ({@link override}) or providing another implementation ({@link provide}); they never
 * copy its file.
 *
 * @example
 * export const estimation = Pipeline.make({
 *   name: "estimation",
 *   description: "…",
 *   params: Schema.Struct({ trials: Schema.optionalWith(Schema.Int, { default: () => 260 }), seed: … }),
 *   seed: (p) => p.seed,
 *   services: (p) => [threeFactor],
 *   build: (p, use) => {
 *     const net = use(init, { params: { n: 40 } })
 *     return [use(train, { params: { trials: p.trials }, inputs: { network: net } })]
 *   }
 * })
 *
 * @module Pipeline
 */
import type * as Schema from "effect/Schema"
import { PipelineDefinitionError } from "./Errors.js"
import type * as Service from "./Service.js"
import * as Stage from "./Stage.js"

/** @internal */
export const TypeId: unique symbol = Symbol.for("plastic-net/engine/Pipeline")
/** @internal */
export type TypeId = typeof TypeId
/** @internal */
export const NodeTypeId: unique symbol = Symbol.for("plastic-net/engine/Node")
/** @internal */
export type NodeTypeId = typeof NodeTypeId

/** One use of a stage in a pipeline; `O` is its output type (covariant, so edges type-check). */
export interface Node<out O> {
  readonly [NodeTypeId]: { readonly _O: (_: never) => O }
  /** Pipeline-unique name (defaults to the stage's name). */
  readonly name: string
  readonly stage: Stage.Any
  /** The params as given to `use` (decoded by the stage's Schema when the pipeline is planned). */
  readonly params: unknown
  /** Input name → the upstream node (a list of nodes for a `Stage.many` input). */
  readonly inputs: Readonly<Record<string, Node<unknown> | ReadonlyArray<Node<unknown>>>>
  /** Service implementations for this node only, overriding the pipeline's for the same tags. */
  readonly provide: ReadonlyArray<Service.Impl>
  /** The root seed of this node's random streams, when it is not the pipeline's (see {@link UseOptions}). */
  readonly seed: number | undefined
}

/** Options of {@link Use}. */
export type UseOptions<S extends Stage.Any> = {
  readonly name?: string
  readonly params?: Stage.ParamsInputOf<S>
  /**
   * Service implementations for this node only (e.g. one plasticity rule per training node of a
   * comparison); they replace the pipeline's implementations of the same tags for this node.
   */
  readonly provide?: ReadonlyArray<Service.Impl>
  /**
   * The root seed of this node's random streams instead of the pipeline's (a non-negative
   * integer; part of the node's key). One pipeline can so run the same stages under several seeds,
   * e.g. a seed study; give every node of one member the same seed.
   */
  readonly seed?: number
} & (keyof Stage.InputsOf<S> extends never
  ? { readonly inputs?: Readonly<Record<string, never>> }
  : { readonly inputs: { readonly [K in keyof Stage.InputsOf<S>]: NodesOf<Stage.InputsOf<S>[K]> } })

/** What `use` takes for one declared input: a node of its stage's output, or a list for `Stage.many`. */
export type NodesOf<I> =
  I extends Stage.Many<infer S> ? ReadonlyArray<Node<Stage.OutputOf<S>>> : Node<Stage.OutputOf<I>>

/** Adds a stage to the pipeline being built. */
export type Use = <S extends Stage.Any>(
  stage: S,
  ...options: keyof Stage.InputsOf<S> extends never ? [UseOptions<S>?] : [UseOptions<S>]
) => Node<Stage.OutputOf<S>>

/** A pipeline value. */
export interface Pipeline<P, PI> {
  readonly [TypeId]: TypeId
  readonly name: string
  readonly description: string
  readonly params: Schema.Schema<P, PI, never>
  /** Encoded defaults applied beneath `--set` values (from {@link override}). */
  readonly defaults: Readonly<Record<string, unknown>>
  /** The root seed of the random stages (none: the pipeline has no random stage). */
  readonly seed: ((params: P) => number) | undefined
  readonly services: (params: P) => ReadonlyArray<Service.Impl>
  readonly build: (params: P, use: Use) => ReadonlyArray<Node<unknown>>
  /**
   * The node that summarises a run for sweeps (`--sweep`): its output is the member's metrics,
   * which the sweep's aggregate stage tabulates. A pipeline without one cannot be swept.
   */
  readonly metrics: string | undefined
  /**
   * Valid params under which the run cannot show what it is for (training that cannot change the
   * network), each a sentence naming the params; `pipeline run` prints them as warnings.
   */
  readonly warnings: (params: P) => ReadonlyArray<string>
}

/** Any pipeline. */
// biome-ignore lint/suspicious/noExplicitAny: the widest pipeline type
export type Any = Pipeline<any, any>

/** The definition {@link make} takes. */
export interface Definition<P, PI> {
  readonly name: string
  readonly description: string
  readonly params: Schema.Schema<P, PI, never>
  readonly seed?: (params: P) => number
  readonly services?: (params: P) => ReadonlyArray<Service.Impl>
  readonly build: (params: P, use: Use) => ReadonlyArray<Node<unknown>>
  /** The node summarising a run for sweeps (see {@link Pipeline.metrics}). */
  readonly metrics?: string
  /** See {@link Pipeline.warnings}. */
  readonly warnings?: (params: P) => ReadonlyArray<string>
}

/** Defines a pipeline. */
export const make = <P, PI>(definition: Definition<P, PI>): Pipeline<P, PI> => ({
  [TypeId]: TypeId,
  name: definition.name,
  description: definition.description,
  params: definition.params,
  defaults: {},
  seed: definition.seed,
  services: definition.services ?? (() => []),
  build: definition.build,
  metrics: definition.metrics,
  warnings: definition.warnings ?? (() => [])
})

/** A nested partial of encoded params. */
export type DeepPartial<T> =
  T extends ReadonlyArray<unknown> ? T : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> } : T

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Merges `over` into `base`, recursing into plain objects. */
export const deepMerge = (
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>
): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const b = out[k]
    out[k] = isRecord(b) && isRecord(v) ? deepMerge(b, v) : v
  }
  return out
}

/** A variant with new default params and the same build. */
export const override = <P, PI>(
  pipeline: Pipeline<P, PI>,
  name: string,
  defaults: DeepPartial<PI>,
  description?: string
): Pipeline<P, PI> => ({
  ...pipeline,
  name,
  description: description ?? `${pipeline.description} (variant of ${pipeline.name})`,
  defaults: deepMerge(pipeline.defaults, defaults as Record<string, unknown>)
})

/** A variant providing other service implementations (replacing those of the same tags). */
export const provide = <P, PI>(
  pipeline: Pipeline<P, PI>,
  name: string,
  ...impls: ReadonlyArray<Service.Impl>
): Pipeline<P, PI> => ({
  ...pipeline,
  name,
  description: `${pipeline.description} (variant of ${pipeline.name} with ${impls.map((i) => i.id).join(", ")})`,
  services: (p) => [...pipeline.services(p).filter((s) => !impls.some((i) => i.tag.key === s.tag.key)), ...impls]
})

/** True for pipeline values. */
export const isPipeline = (u: unknown): u is Any => typeof u === "object" && u !== null && TypeId in u

/**
 * Runs a pipeline's `build` and returns every node reachable from its targets, upstream first.
 * Fails when two different nodes share a name.
 */
export const nodes = <P>(
  pipeline: Pipeline<P, unknown>,
  params: P
): { readonly nodes: ReadonlyArray<Node<unknown>>; readonly targets: ReadonlyArray<Node<unknown>> } => {
  const byName = new Map<string, Node<unknown>>()
  const use = ((stage: Stage.Any, options?: UseOptions<Stage.Any>) => {
    const name = options?.name ?? stage.name
    const node: Node<unknown> = {
      [NodeTypeId]: { _O: (_: never) => _ },
      name,
      stage,
      params: options?.params ?? {},
      inputs: (options?.inputs ?? {}) as Record<string, Node<unknown>>,
      provide: options?.provide ?? [],
      seed: options?.seed
    }
    if (node.seed !== undefined && !(Number.isSafeInteger(node.seed) && node.seed >= 0)) {
      throw new PipelineDefinitionError({
        pipeline: pipeline.name,
        reason: `node "${name}" has seed ${node.seed}; a seed is a non-negative integer.`
      })
    }
    if (byName.has(name)) {
      throw new PipelineDefinitionError({
        pipeline: pipeline.name,
        reason: `two nodes are named "${name}"; give one a distinct \`name\` in use().`
      })
    }
    byName.set(name, node)
    return node
  }) as Use
  const targets = pipeline.build(params, use)
  const ordered: Array<Node<unknown>> = []
  const state = new Map<Node<unknown>, "visiting" | "done">()
  const visit = (node: Node<unknown>) => {
    const s = state.get(node)
    if (s === "done") return
    if (s === "visiting") {
      throw new PipelineDefinitionError({ pipeline: pipeline.name, reason: `node "${node.name}" depends on itself.` })
    }
    if (byName.get(node.name) !== node) {
      throw new PipelineDefinitionError({
        pipeline: pipeline.name,
        reason: `node "${node.name}" was not created by this pipeline's use().`
      })
    }
    state.set(node, "visiting")
    for (const [input, upstream] of Object.entries(node.inputs)) {
      if (!(input in node.stage.inputs)) {
        throw new PipelineDefinitionError({
          pipeline: pipeline.name,
          reason: `node "${node.name}" gets input "${input}", which stage "${node.stage.name}" does not declare.`
        })
      }
      const list = Stage.isMany(node.stage.inputs[input])
      if (list !== Array.isArray(upstream)) {
        throw new PipelineDefinitionError({
          pipeline: pipeline.name,
          reason: `node "${node.name}" gets ${list ? "one node" : "a list"} for input "${input}", which takes ${list ? "a list (Stage.many)" : "one node"}.`
        })
      }
      for (const u of Array.isArray(upstream) ? upstream : [upstream]) visit(u as Node<unknown>)
    }
    for (const input of Object.keys(node.stage.inputs)) {
      if (!(input in node.inputs)) {
        throw new PipelineDefinitionError({
          pipeline: pipeline.name,
          reason: `node "${node.name}" is missing input "${input}" of stage "${node.stage.name}".`
        })
      }
    }
    state.set(node, "done")
    ordered.push(node)
  }
  for (const t of targets) visit(t)
  return { nodes: ordered, targets }
}
