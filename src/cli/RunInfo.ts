/**
 * What the commands that look back (`runs`, `diff`, `export`) read of a recorded run: the record a
 * reference names (a run id, a unique prefix of one, or a pipeline's or sweep's name for its
 * latest run), its params flattened to `key → value`, and its metrics (the `metrics` stage's
 * scalars, read from the cache when its entry is still there).
 *
 * @module RunInfo
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "../engine/Cache.js"
import * as Canonical from "../engine/Canonical.js"
import { filedAs } from "../engine/cache/RunRecords.js"
import { NoRunError, UsageError } from "../engine/Errors.js"
import { didYouMean } from "../engine/Suggest.js"
import { Cli } from "./MainLayer.js"
import { namedSweeps } from "./target.js"

/** A param value as `--set` spells it. */
export const show = (v: unknown): string => (typeof v === "string" ? v : Canonical.stringify(v))

/** A record's params, flattened to dotted keys (a sweep: its `--set` values). */
export const paramsOf = (r: Cache.RunRecord): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {}
  const visit = (value: unknown, prefix: string) => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, prefix === "" ? k : `${prefix}.${k}`)
    } else if (prefix !== "") out[prefix] = show(value)
  }
  visit(r.params, "")
  for (const s of r.sets) {
    const eq = s.indexOf("=")
    if (eq > 0 && out[s.slice(0, eq)] === undefined) out[s.slice(0, eq)] = s.slice(eq + 1)
  }
  return out
}

/** One scalar metric of a run. */
export interface Metric {
  readonly name: string
  readonly label: string
  readonly value: number | null
  readonly primary: boolean
}

/** A run's metrics: its `metrics` node's scalars (none when it has no such node or its entry is gone). */
export const metricsOf = (r: Cache.RunRecord) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const node = r.kind === "run" ? r.nodes.find((n) => n.name === "metrics") : undefined
    if (node === undefined) return [] as ReadonlyArray<Metric>
    const result = yield* cache.readResult(node.key).pipe(Effect.option)
    if (Option.isNone(result)) return [] as ReadonlyArray<Metric>
    const scalars = (result.value as { scalars?: ReadonlyArray<Metric> } | null)?.scalars
    return Array.isArray(scalars) ? scalars : []
  })

/** The names runs can be filed under: the registry's pipelines, the committed sweeps, and every recorded name. */
export const knownNames = (records: ReadonlyArray<Cache.RunRecord>) =>
  Effect.gen(function* () {
    const registry = yield* (yield* Cli).registry
    const sweeps = yield* namedSweeps
    return new Set([
      ...registry.pipelines.map((p) => p.name),
      ...sweeps.keys(),
      ...records.flatMap((r) => [filedAs(r), r.pipeline])
    ])
  })

/** Refuses a NAME that is no pipeline, no sweep and no recorded run's name (exit 2), with a did-you-mean. */
export const checkName = (name: string, records: ReadonlyArray<Cache.RunRecord>) =>
  Effect.gen(function* () {
    const known = yield* knownNames(records)
    if (known.has(name)) return
    return yield* new UsageError({
      detail: `There is no pipeline or sweep named "${name}".${didYouMean(name, known, (n) => `"${n}"`)} \`pipeline list\` lists them.`
    })
  })

/**
 * The record `ref` names: a run id, a unique prefix of one, or a pipeline's or sweep's name
 * (its latest run); `nth` (0 = latest) picks an older run of a name.
 */
export const findRun = (ref: string, nth = 0) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const all = yield* cache.runs.list()
    const exact = all.find((r) => r.id === ref)
    if (exact !== undefined) return exact
    const byName = all.filter((r) => filedAs(r) === ref)
    if (byName.length > nth) return byName[nth]!
    const prefixed = all.filter((r) => r.id.startsWith(ref))
    if (prefixed.length === 1) return prefixed[0]!
    if (prefixed.length > 1) {
      return yield* new UsageError({
        detail: `"${ref}" is the prefix of ${prefixed.length} run ids (${prefixed
          .slice(0, 3)
          .map((r) => r.id)
          .join(", ")}…); give more of it.`
      })
    }
    if (byName.length > 0) {
      return yield* new NoRunError({ name: ref, detail: `"${ref}" has only ${byName.length} recorded run(s).` })
    }
    yield* checkName(ref, all)
    return yield* new NoRunError({
      name: ref,
      detail: `No run of "${ref}" is recorded in ${cache.dir}; run it first (\`pipeline runs\` lists the recorded ones).`
    })
  })
