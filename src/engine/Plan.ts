/**
 * Planning: decode a pipeline's params, build its DAG, decode every node's params, resolve the
 * services each node requires, and compute every stage key (DESIGN §4):
 *
 *     key = sha256(canonical JSON of { stage, params (Schema-encoded), upstream keys,
 *                  code fingerprint, provided service fingerprints, output Schema digest,
 *                  runtime, seed (random stages only) })
 *
 * `runtime` is the Node.js major version (`node20`): the model's JavaScript paths call V8's
 * `Math` functions, whose last bits are not promised across majors, so a cache shared by machines
 * on different majors computes each key once per major rather than mixing results.
 *
 * Nothing is run or written here, so a bad param fails before any work.
 *
 * @module Plan
 */
import * as Effect from "effect/Effect"
import * as JSONSchema from "effect/JSONSchema"
import type * as Schema from "effect/Schema"
import { breather } from "./Breather.js"
import * as Canonical from "./Canonical.js"
import { type ParamsError, PipelineDefinitionError, type StaleBuildError } from "./Errors.js"
import type { Fingerprint, Fingerprinter } from "./Fingerprint.js"
import * as Params from "./Params.js"
import * as Pipeline from "./Pipeline.js"
import type * as Service from "./Service.js"
import type * as Stage from "./Stage.js"

/** A provided service as it enters a key. */
export interface ServiceUse {
  readonly tag: string
  readonly id: string
  readonly module: string
  readonly digest: string
}

/** One node of a planned pipeline, with its key. */
export interface PlannedNode {
  readonly name: string
  readonly stage: Stage.Any
  /** Decoded params (what `ctx.params` receives). */
  readonly params: unknown
  /** Schema-encoded params (what the key and manifest hold). */
  readonly encodedParams: unknown
  /** Input name → upstream node name (a list of names for a `Stage.many` input). */
  readonly inputs: Readonly<Record<string, string | ReadonlyArray<string>>>
  /** Input name → upstream key (a list of keys for a `Stage.many` input). */
  readonly upstream: Readonly<Record<string, string | ReadonlyArray<string>>>
  readonly fingerprint: Fingerprint
  readonly services: ReadonlyArray<ServiceUse>
  /** Implementations provided to this node only (they take precedence over the pipeline's). */
  readonly provide: ReadonlyArray<Service.Impl>
  /**
   * The implementation of each service the stage requires, as the key records it: the node's own
   * (the first for a tag) before the pipeline's. What the stage runs with is exactly this.
   */
  readonly impls: ReadonlyArray<Service.Impl>
  readonly outputSchema: string
  /** The node's root seed: only for a random stage (see `Stage.random`). */
  readonly seed: number | undefined
  /** What computing it takes (`Stage.estimate` of its params and its upstream's estimates). */
  readonly estimate: Stage.Estimate
  readonly key: string
}

/**
 * How to plan a run again (a distributed worker re-plans the job's run to find and check its
 * node): a single run of a pipeline with its encoded params, or a sweep of it over a grid.
 */
export type Request =
  | { readonly kind: "run"; readonly pipeline: string; readonly params: unknown }
  | {
      readonly kind: "sweep"
      readonly pipeline: string
      readonly grid: {
        readonly sets: ReadonlyArray<string>
        readonly axes: ReadonlyArray<{ readonly key: string; readonly values: ReadonlyArray<string> }>
      }
    }

/** A planned pipeline run. */
export interface Plan {
  /** How to plan it again. */
  readonly request: Request
  readonly pipeline: Pipeline.Any
  readonly params: unknown
  readonly encodedParams: unknown
  /** The pipeline's root seed (undefined for a pipeline without one). */
  readonly seed: number | undefined
  /** Upstream first. */
  readonly nodes: ReadonlyArray<PlannedNode>
  readonly targets: ReadonlyArray<string>
  readonly services: ReadonlyArray<Service.Impl>
}

/** The runtime a key is computed for: the Node.js major version. */
export const runtime = `node${process.versions.node.split(".")[0]}`

/** A stable digest of an output Schema (its JSON Schema, or its AST when that has no JSON form). */
export const schemaDigest = (schema: Schema.Schema.Any): string => {
  try {
    return Canonical.digest(JSONSchema.make(schema as Schema.Schema<unknown, unknown, never>))
  } catch {
    return Canonical.sha256(String(schema.ast))
  }
}

/**
 * A stage's code fingerprint: its module's, combined with those of the further modules it runs
 * (`Stage.code`): one digest over all, the union of the files and packages they cover.
 */
export const stageFingerprint = (
  fingerprinter: Fingerprinter,
  stage: Pick<Stage.Any, "module" | "code">
): Effect.Effect<Fingerprint, StaleBuildError> =>
  Effect.gen(function* () {
    const own = yield* fingerprinter.of(stage.module)
    if (stage.code.length === 0) return own
    const others = yield* Effect.forEach(stage.code, (m) => fingerprinter.of(m))
    const files = new Map(own.files.map((f) => [f.path, f]))
    for (const o of others) for (const f of o.files) files.set(f.path, f)
    return {
      digest: Canonical.digest({ module: own.digest, code: others.map((o) => o.digest) }),
      module: own.module,
      files: [...files.values()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)),
      packages: Object.assign({}, own.packages, ...others.map((o) => o.packages))
    }
  })

/** The names of a node's upstream nodes, flattened. */
export const upstreamNames = (node: Pick<PlannedNode, "inputs">): ReadonlyArray<string> =>
  Object.values(node.inputs).flatMap((v) => (typeof v === "string" ? [v] : v))

/** Decodes pipeline params from encoded input (defaults of the pipeline beneath it). */
export const decodeParams = (pipeline: Pipeline.Any, input: Readonly<Record<string, unknown>>) =>
  Params.decode(pipeline.params, `pipeline "${pipeline.name}"`, Pipeline.deepMerge(pipeline.defaults, input))

/** Plans a pipeline for the given encoded params input (e.g. parsed `--set` values). */
export const make = (
  pipeline: Pipeline.Any,
  input: Readonly<Record<string, unknown>>,
  fingerprinter: Fingerprinter
): Effect.Effect<Plan, ParamsError | PipelineDefinitionError | StaleBuildError> =>
  Effect.gen(function* () {
    const params = yield* decodeParams(pipeline, input)
    const encodedParams = yield* Params.encode(pipeline.params, params)
    const seed = pipeline.seed?.(params)
    const graph = yield* Effect.try({
      try: () => Pipeline.nodes(pipeline, params),
      catch: (e) =>
        e instanceof PipelineDefinitionError
          ? e
          : new PipelineDefinitionError({ pipeline: pipeline.name, reason: `build() threw: ${String(e)}` })
    })
    const services = pipeline.services(params)
    const byTag = new Map(services.map((s) => [s.tag.key, s]))
    const keys = new Map<string, string>()
    const estimates = new Map<string, Stage.Estimate>()
    const planned: Array<PlannedNode> = []
    // A grid's plan has thousands of nodes: signals get in between them.
    const breathe = breather()
    for (const node of graph.nodes) {
      yield* breathe
      const stage = node.stage
      const decoded = yield* Params.decode(
        stage.params,
        `stage "${node.name}" of pipeline "${pipeline.name}"`,
        node.params
      )
      const encoded = yield* Params.encode(stage.params, decoded)
      const serviceUses: Array<ServiceUse> = []
      const impls: Array<Service.Impl> = []
      for (const tag of stage.requires) {
        const impl = node.provide.find((i) => i.tag.key === tag.key) ?? byTag.get(tag.key)
        if (impl === undefined) {
          return yield* new PipelineDefinitionError({
            pipeline: pipeline.name,
            reason: `stage "${node.name}" requires service "${tag.key}", which the pipeline does not provide (add it to services()).`
          })
        }
        const fp = yield* fingerprinter.of(impl.module)
        serviceUses.push({ tag: tag.key, id: impl.id, module: fp.module, digest: fp.digest })
        impls.push(impl)
      }
      const fingerprint = yield* stageFingerprint(fingerprinter, stage)
      const map = <A>(f: (n: Pipeline.Node<unknown>) => A) =>
        Object.fromEntries(
          Object.entries(node.inputs).map(([k, n]) => [
            k,
            Array.isArray(n) ? n.map((x) => f(x)) : f(n as Pipeline.Node<unknown>)
          ])
        )
      const inputs = map((n) => n.name)
      const upstream = map((n) => keys.get(n.name)!)
      const outputSchema = schemaDigest(stage.output)
      const nodeSeed = stage.random ? (node.seed ?? seed) : undefined
      if (stage.random && nodeSeed === undefined) {
        return yield* new PipelineDefinitionError({
          pipeline: pipeline.name,
          reason: `stage "${node.name}" is random, but the pipeline has no seed (give it \`seed\`, or the node one).`
        })
      }
      const key = Canonical.digest({
        stage: stage.name,
        params: encoded,
        upstream,
        code: fingerprint.digest,
        services: serviceUses.map((s) => ({ tag: s.tag, id: s.id, code: s.digest })),
        output: outputSchema,
        runtime,
        ...(nodeSeed === undefined ? {} : { seed: nodeSeed })
      })
      keys.set(node.name, key)
      const estimate = stage.estimate(
        decoded,
        map((n) => estimates.get(n.name)!)
      )
      estimates.set(node.name, estimate)
      planned.push({
        name: node.name,
        stage,
        params: decoded,
        encodedParams: encoded,
        inputs,
        upstream,
        fingerprint,
        services: serviceUses,
        provide: node.provide,
        impls,
        outputSchema,
        seed: nodeSeed,
        estimate,
        key
      })
    }
    yield* fingerprinter.flush
    return {
      request: { kind: "run", pipeline: pipeline.name, params: encodedParams },
      pipeline,
      params,
      encodedParams,
      seed,
      nodes: planned,
      targets: graph.targets.map((t) => t.name),
      services
    }
  })

/** The nodes downstream of (and including) the named ones. */
export const descendants = (plan: Plan, names: ReadonlyArray<string>): ReadonlySet<string> => {
  const out = new Set(names)
  for (const node of plan.nodes) {
    if (upstreamNames(node).some((n) => out.has(n))) out.add(node.name)
  }
  return out
}

/** The named node and its transitive upstream nodes, in plan order. */
export const restrict = (plan: Plan, name: string): Plan => {
  const byName = new Map(plan.nodes.map((n) => [n.name, n]))
  const keep = new Set<string>()
  const visit = (n: string) => {
    if (keep.has(n)) return
    keep.add(n)
    for (const up of upstreamNames(byName.get(n)!)) visit(up)
  }
  visit(name)
  return { ...plan, nodes: plan.nodes.filter((n) => keep.has(n.name)), targets: [name] }
}

/**
 * Merges nodes with equal keys (they compute the same thing): the first keeps its place, the
 * others' consumers read it instead. `rename` names a merged node from all the names it had
 * (e.g. the part of a sweep member's label its members share).
 */
export const dedupe = (plan: Plan, rename: (names: ReadonlyArray<string>) => string = (names) => names[0]!): Plan => {
  const byKey = new Map<string, Array<string>>()
  for (const n of plan.nodes) {
    const names = byKey.get(n.key)
    if (names === undefined) byKey.set(n.key, [n.name])
    else names.push(n.name)
  }
  const nameOfKey = new Map([...byKey].map(([key, names]) => [key, names.length > 1 ? rename(names) : names[0]!]))
  // A merged name must stay unique: two keys renamed alike keep their names apart by their keys.
  const taken = new Map<string, number>()
  for (const name of nameOfKey.values()) taken.set(name, (taken.get(name) ?? 0) + 1)
  for (const [key, name] of nameOfKey) if (taken.get(name)! > 1) nameOfKey.set(key, `${name}#${key.slice(0, 12)}`)
  const nameOf = new Map(plan.nodes.map((n) => [n.name, nameOfKey.get(n.key)!]))
  const seen = new Set<string>()
  const nodes: Array<PlannedNode> = []
  for (const n of plan.nodes) {
    if (seen.has(n.key)) continue
    seen.add(n.key)
    const inputs = Object.fromEntries(
      Object.entries(n.inputs).map(([k, v]) => [
        k,
        typeof v === "string" ? nameOf.get(v)! : v.map((x) => nameOf.get(x)!)
      ])
    )
    nodes.push({ ...n, name: nameOfKey.get(n.key)!, inputs })
  }
  return { ...plan, nodes, targets: [...new Set(plan.targets.map((t) => nameOf.get(t)!))] }
}
