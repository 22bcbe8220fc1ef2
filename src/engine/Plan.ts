/**
 * Planning: decode a pipeline's params, build its DAG, decode every node's params, resolve the
 * services each node requires, and compute every stage key (DESIGN §4):
 *
 *     key = sha256(canonical JSON of { stage, params (Schema-encoded), upstream keys,
 *                  code fingerprint, provided service fingerprints, output Schema digest, seed })
 *
 * Nothing is run or written here, so a bad param fails before any work.
 *
 * @module Plan
 */
import * as Effect from "effect/Effect"
import * as JSONSchema from "effect/JSONSchema"
import type * as Schema from "effect/Schema"
import * as Canonical from "./Canonical.js"
import { type ParamsError, PipelineDefinitionError } from "./Errors.js"
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
  /** Input name → upstream node name. */
  readonly inputs: Readonly<Record<string, string>>
  /** Input name → upstream key. */
  readonly upstream: Readonly<Record<string, string>>
  readonly fingerprint: Fingerprint
  readonly services: ReadonlyArray<ServiceUse>
  /** Implementations provided to this node only (they take precedence over the pipeline's). */
  readonly provide: ReadonlyArray<Service.Impl>
  readonly outputSchema: string
  /** The node's root seed: only for a random stage (see `Stage.random`). */
  readonly seed: number | undefined
  readonly key: string
}

/** A planned pipeline run. */
export interface Plan {
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

/** A stable digest of an output Schema (its JSON Schema, or its AST when that has no JSON form). */
export const schemaDigest = (schema: Schema.Schema.Any): string => {
  try {
    return Canonical.digest(JSONSchema.make(schema as Schema.Schema<unknown, unknown, never>))
  } catch {
    return Canonical.sha256(String(schema.ast))
  }
}

/** Decodes pipeline params from encoded input (defaults of the pipeline beneath it). */
export const decodeParams = (pipeline: Pipeline.Any, input: Readonly<Record<string, unknown>>) =>
  Params.decode(pipeline.params, `pipeline "${pipeline.name}"`, Pipeline.deepMerge(pipeline.defaults, input))

/** Plans a pipeline for the given encoded params input (e.g. parsed `--set` values). */
export const make = (
  pipeline: Pipeline.Any,
  input: Readonly<Record<string, unknown>>,
  fingerprinter: Fingerprinter
): Effect.Effect<Plan, ParamsError | PipelineDefinitionError> =>
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
    const planned: Array<PlannedNode> = []
    for (const node of graph.nodes) {
      const stage = node.stage
      const decoded = yield* Params.decode(
        stage.params,
        `stage "${node.name}" of pipeline "${pipeline.name}"`,
        node.params
      )
      const encoded = yield* Params.encode(stage.params, decoded)
      const serviceUses: Array<ServiceUse> = []
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
      }
      const fingerprint = yield* fingerprinter.of(stage.module)
      const inputs = Object.fromEntries(Object.entries(node.inputs).map(([k, n]) => [k, n.name]))
      const upstream = Object.fromEntries(Object.entries(node.inputs).map(([k, n]) => [k, keys.get(n.name)!]))
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
        ...(nodeSeed === undefined ? {} : { seed: nodeSeed })
      })
      keys.set(node.name, key)
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
        outputSchema,
        seed: nodeSeed,
        key
      })
    }
    yield* fingerprinter.flush
    return {
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
    if (Object.values(node.inputs).some((n) => out.has(n))) out.add(node.name)
  }
  return out
}
