/**
 * Why a stage is fresh or stale: compares each planned node with the cache and with the manifest
 * of the entry the pipeline's previous run used for that node, naming the param that changed
 * (from what to what), the upstream, the source file, the package, the service, or the artifact
 * that is missing or corrupt.
 *
 * @module Status
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "./Cache.js"
import * as Canonical from "./Canonical.js"
import * as Plan from "./Plan.js"

/** The state of one node. */
export interface NodeStatus {
  readonly name: string
  readonly key: string
  readonly state: "fresh" | "stale"
  readonly reasons: ReadonlyArray<string>
}

const flatten = (value: unknown, prefix = "", out: Record<string, unknown> = {}) => {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix === "" ? k : `${prefix}.${k}`, out)
  } else {
    out[prefix] = value
  }
  return out
}

const show = (v: unknown) => (v === undefined ? "(unset)" : Canonical.stringify(v))

/** What a stage key is computed from, as a manifest records it (a planned node: {@link partsOf}). */
export interface KeyParts {
  readonly stage: string
  readonly params: unknown
  readonly upstream: Cache.Manifest["upstream"]
  /** Input name → upstream node name(s), when known (for the message). */
  readonly inputs?: Readonly<Record<string, string | ReadonlyArray<string>>>
  readonly fingerprint: Pick<Cache.Manifest["fingerprint"], "files" | "packages">
  readonly services: ReadonlyArray<{
    readonly tag: string
    readonly id: string
    readonly module: string
    readonly digest: string
  }>
  readonly outputSchema: string
  readonly runtime: string
  readonly seed?: number | undefined
}

/** The key parts of a planned node. */
export const partsOf = (node: Plan.PlannedNode): KeyParts => ({
  stage: node.stage.name,
  params: node.encodedParams,
  upstream: node.upstream,
  inputs: node.inputs,
  fingerprint: node.fingerprint,
  services: node.services,
  outputSchema: node.outputSchema,
  runtime: Plan.runtime,
  seed: node.seed
})

/** The differences between a previous entry's manifest and a planned node. */
export const diff = (before: Cache.Manifest, node: Plan.PlannedNode): ReadonlyArray<string> =>
  diffParts(before, partsOf(node))

/** Why two stage keys differ: params, upstream, source files, packages, services, output Schema, runtime, seed. */
export const diffParts = (before: KeyParts, after: KeyParts): ReadonlyArray<string> => {
  const reasons: Array<string> = []
  if (before.stage !== after.stage) reasons.push(`the stage changed from "${before.stage}" to "${after.stage}"`)
  const a = flatten(before.params)
  const b = flatten(after.params)
  for (const path of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (Canonical.stringify(a[path]) !== Canonical.stringify(b[path])) {
      reasons.push(`param ${path} changed from ${show(a[path])} to ${show(b[path])}`)
    }
  }
  for (const [input, key] of Object.entries(after.upstream)) {
    if (Canonical.stringify(before.upstream[input]) !== Canonical.stringify(key)) {
      const names = after.inputs?.[input]
      reasons.push(
        typeof names === "string"
          ? `upstream "${names}" (input ${input}) changed`
          : names === undefined && typeof key === "string"
            ? `the upstream of input ${input} changed`
            : `the list of upstream runs of input ${input} changed`
      )
    }
  }
  const oldFiles = new Map(before.fingerprint.files.map((f) => [f.path, f.hash]))
  const newFiles = new Map(after.fingerprint.files.map((f) => [f.path, f.hash]))
  for (const [path, hash] of newFiles) {
    const old = oldFiles.get(path)
    if (old === undefined) reasons.push(`source file ${path} is newly imported`)
    else if (old !== hash) reasons.push(`source file ${path} changed`)
  }
  for (const path of oldFiles.keys()) if (!newFiles.has(path)) reasons.push(`source file ${path} is no longer imported`)
  const pkgs = new Set([...Object.keys(before.fingerprint.packages), ...Object.keys(after.fingerprint.packages)])
  for (const p of [...pkgs].sort()) {
    const x = before.fingerprint.packages[p]
    const y = after.fingerprint.packages[p]
    if (x !== y) reasons.push(`package ${p} changed from ${x ?? "(not imported)"} to ${y ?? "(not imported)"}`)
  }
  for (const s of after.services) {
    const old = before.services.find((o) => o.tag === s.tag)
    if (old === undefined) reasons.push(`service ${s.tag} is newly provided (${s.id})`)
    else if (old.id !== s.id) reasons.push(`service ${s.tag} changed from ${old.id} to ${s.id}`)
    else if (old.digest !== s.digest) reasons.push(`the code of service ${s.tag} (${s.module}) changed`)
  }
  if (before.outputSchema !== after.outputSchema) reasons.push("its output Schema changed")
  if (before.runtime !== after.runtime) reasons.push(`the runtime changed from ${before.runtime} to ${after.runtime}`)
  if (before.seed !== after.seed) reasons.push(`the seed changed from ${before.seed} to ${after.seed}`)
  return reasons
}

/**
 * The status of every node of a plan, upstream first, against the previous run of its kind filed
 * under `filedAs` (default: the pipeline's name). Reads only; moves nothing.
 */
export const explain = (plan: Plan.Plan, kind: Cache.RunRecord["kind"] = "run", filedAs = plan.pipeline.name) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const previous = yield* cache.runs.latest({ pipeline: plan.pipeline.name, kind, filedAs })
    const out: Array<NodeStatus> = []
    for (const node of plan.nodes) {
      const verified = yield* Effect.either(cache.verify(node.key))
      if (verified._tag === "Right" && Option.isSome(verified.right)) {
        out.push({ name: node.name, key: node.key, state: "fresh", reasons: [] })
        continue
      }
      const reasons: Array<string> = []
      if (verified._tag === "Left") {
        reasons.push(verified.left.message.replace(/ Rerun: .*$/, ""))
      }
      const prevKey = Option.isSome(previous) ? previous.value.nodes.find((n) => n.name === node.name)?.key : undefined
      if (prevKey === undefined) {
        if (verified._tag === "Right") reasons.push("it was never computed")
      } else if (prevKey === node.key) {
        if (verified._tag === "Right") reasons.push("its cache entry is missing (removed or never finished)")
      } else {
        const before = yield* cache.readManifestUnverified(prevKey)
        if (Option.isNone(before)) reasons.push(`the previous run's entry ${prevKey.slice(0, 12)} is gone`)
        else {
          const changes = diff(before.value, node)
          reasons.push(...(changes.length > 0 ? changes : ["its key changed"]))
        }
      }
      if (yield* cache.checkpoints(node.key).exists) reasons.push("a checkpoint exists; a run resumes it")
      out.push({ name: node.name, key: node.key, state: "stale", reasons })
    }
    return out
  })
