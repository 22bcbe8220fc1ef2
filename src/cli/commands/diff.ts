/**
 * `pipeline diff A B`: two runs side by side, as `dvc params diff` and `dvc metrics diff` do: the
 * params that differ, the stages whose keys differ and why (the reasons `status` gives, from the
 * two entries' manifests: `Status.diffParts`), and the metrics with their change. A side is a
 * recorded run (an id, a unique prefix, or a name for its latest run; `--last 2`: the two most
 * recent), or a planned one (`NAME --set … --vs …`: run A with the `--set`s, run B with the
 * `--vs`s; its metrics are shown when its entries are cached).
 *
 * @module diff
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "../../engine/Cache.js"
import { filedAs } from "../../engine/cache/RunRecords.js"
import { NoRunError, UsageError } from "../../engine/Errors.js"
import * as Status from "../../engine/Status.js"
import { findRun, type Metric, metricsOf, paramsOf } from "../RunInfo.js"
import { commonOptions, jsonOption, resolve } from "../target.js"
import { print, table } from "./print.js"

/** One side of the comparison. */
interface Side {
  readonly label: string
  readonly pipeline: string
  readonly params: Readonly<Record<string, string>>
  /** Node name → key parts (from the manifest, or the plan), or undefined when the entry is gone. */
  readonly nodes: ReadonlyMap<string, { readonly key: string; readonly parts: Status.KeyParts | undefined }>
  readonly metrics: ReadonlyArray<Metric>
}

const recorded = (r: Cache.RunRecord) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const nodes = new Map<string, { key: string; parts: Status.KeyParts | undefined }>()
    for (const n of r.nodes) {
      const manifest = yield* cache.readManifestUnverified(n.key)
      nodes.set(n.name, { key: n.key, parts: Option.getOrUndefined(manifest) })
    }
    return {
      label: `${r.id} (${filedAs(r)}${r.sets.length > 0 ? ` ${r.sets.map((s) => `--set ${s}`).join(" ")}` : ""})`,
      pipeline: r.pipeline,
      params: paramsOf(r),
      nodes,
      metrics: yield* metricsOf(r)
    } satisfies Side
  })

const planned = (name: string, sets: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const target = yield* resolve({
      pipeline: name,
      set: sets,
      sweep: [],
      sweepFile: Option.none(),
      last: false,
      yes: false
    })
    const record: Cache.RunRecord = {
      version: 1,
      id: "planned",
      pipeline: target.pipeline.name,
      kind: "run",
      sets: [...sets],
      params: target.plan.encodedParams,
      startedAt: "",
      status: "done",
      host: "",
      pid: 0,
      nodes: target.plan.nodes.map((n) => ({ name: n.name, key: n.key })),
      published: []
    }
    const metrics = yield* metricsOf(record).pipe(Effect.provideService(Cache.Cache, cache))
    return {
      label: `${target.pipeline.name}${sets.length > 0 ? ` ${sets.map((s) => `--set ${s}`).join(" ")}` : " (defaults)"}`,
      pipeline: target.pipeline.name,
      params: paramsOf(record),
      nodes: new Map(target.plan.nodes.map((n) => [n.name, { key: n.key, parts: Status.partsOf(n) }])),
      metrics
    } satisfies Side
  })

const num = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : Number.isInteger(v) ? String(v) : v.toPrecision(4)

/** The comparison of two sides. */
const compare = (a: Side, b: Side) => {
  const keys = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort()
  const params = keys
    .filter((k) => a.params[k] !== b.params[k])
    .map((k) => ({ key: k, a: a.params[k] ?? null, b: b.params[k] ?? null }))
  const names = [...new Set([...a.nodes.keys(), ...b.nodes.keys()])]
  const stages = names.map((name) => {
    const x = a.nodes.get(name)
    const y = b.nodes.get(name)
    const reasons =
      x === undefined
        ? ["only in B"]
        : y === undefined
          ? ["only in A"]
          : x.key === y.key
            ? []
            : x.parts !== undefined && y.parts !== undefined
              ? Status.diffParts(x.parts, y.parts)
              : ["its key differs (an entry is no longer in the cache, so not why)"]
    return { name, a: x?.key ?? null, b: y?.key ?? null, same: x !== undefined && x.key === y?.key, reasons }
  })
  const metricNames = [...new Set([...a.metrics, ...b.metrics].map((m) => m.name))]
  const metrics = metricNames.map((name) => {
    const x = a.metrics.find((m) => m.name === name)
    const y = b.metrics.find((m) => m.name === name)
    const va = x?.value ?? null
    const vb = y?.value ?? null
    return {
      name,
      label: (x ?? y)!.label,
      primary: (x ?? y)!.primary,
      a: va,
      b: vb,
      change: va === null || vb === null ? null : vb - va
    }
  })
  return { a: a.label, b: b.label, params, stages, metrics }
}

export const diff = Command.make(
  "diff",
  {
    ...commonOptions,
    refs: Args.text({ name: "run" }).pipe(
      Args.between(0, 2),
      Args.withDescription("Two run ids, or a pipeline's name with --set and --vs.")
    ),
    last: Options.integer("last").pipe(
      Options.optional,
      Options.withDescription("The two most recent runs (`--last 2`; of NAME when given).")
    ),
    set: Options.text("set").pipe(Options.repeated, Options.withDescription("A param of run A (with NAME).")),
    vs: Options.text("vs").pipe(Options.repeated, Options.withDescription("A param of run B (with NAME).")),
    json: jsonOption
  },
  (opts) =>
    Effect.gen(function* () {
      const cache = yield* Cache.Cache
      const refs = opts.refs
      let a: Side
      let b: Side
      if (Option.isSome(opts.last)) {
        if (opts.last.value !== 2 || refs.length > 1) {
          return yield* new UsageError({ detail: "--last takes 2 (the two most recent runs), and at most a NAME." })
        }
        const all = (yield* cache.runs.list()).filter(
          (r) => r.kind === "run" && (refs.length === 0 || filedAs(r) === refs[0] || r.pipeline === refs[0])
        )
        if (all.length < 2) {
          return yield* new NoRunError({
            name: refs[0] ?? "",
            detail: `--last 2 needs two recorded runs${refs.length > 0 ? ` of "${refs[0]}"` : ""}; ${all.length} found.`
          })
        }
        a = yield* recorded(all[1]!)
        b = yield* recorded(all[0]!)
      } else if (opts.set.length > 0 || opts.vs.length > 0) {
        if (refs.length !== 1) {
          return yield* new UsageError({
            detail: "--set and --vs compare two runs of one pipeline: `pipeline diff NAME --set k=v --vs k=w`."
          })
        }
        a = yield* planned(refs[0]!, opts.set)
        b = yield* planned(refs[0]!, opts.vs)
      } else {
        if (refs.length !== 2) {
          return yield* new UsageError({
            detail:
              "diff compares two runs: `pipeline diff A B` (run ids; `pipeline runs` lists them), `pipeline diff --last 2`, or `pipeline diff NAME --set k=v --vs k=w`."
          })
        }
        a = yield* recorded(yield* findRun(refs[0]!))
        b = yield* recorded(yield* findRun(refs[1]!))
      }
      const d = compare(a, b)
      if (opts.json) return yield* print(JSON.stringify(d))
      const differing = d.stages.filter((s) => !s.same)
      const lines = [
        `A: ${d.a}`,
        `B: ${d.b}`,
        "",
        d.params.length === 0 ? "params: the same" : "params that differ:",
        ...(d.params.length === 0
          ? []
          : [
              table(
                ["param", "A", "B"],
                d.params.map((p) => [p.key, p.a ?? "(unset)", p.b ?? "(unset)"])
              )
            ]),
        "",
        `stages: ${differing.length} of ${d.stages.length} differ${differing.length === 0 ? "" : ":"}`,
        ...differing.flatMap((s) => [
          `  ${s.name}  ${s.a?.slice(0, 12) ?? "—"} → ${s.b?.slice(0, 12) ?? "—"}`,
          ...s.reasons.map((r) => `      - ${r}`)
        ]),
        ...(d.stages.length > differing.length
          ? [
              `  the same: ${d.stages
                .filter((s) => s.same)
                .map((s) => s.name)
                .join(", ")}`
            ]
          : []),
        "",
        d.metrics.length === 0 ? "metrics: none recorded (no metrics stage cached on either side)" : "metrics:",
        ...(d.metrics.length === 0
          ? []
          : [
              table(
                ["metric", "A", "B", "change"],
                d.metrics.map((m) => [
                  `${m.name}${m.primary ? " *" : ""}`,
                  num(m.a),
                  num(m.b),
                  m.change === null
                    ? "—"
                    : `${m.change >= 0 ? "+" : ""}${num(m.change)}${m.a !== null && m.a !== 0 ? ` (${m.change >= 0 ? "+" : ""}${((100 * m.change) / Math.abs(m.a)).toFixed(1)}%)` : ""}`
                ])
              ),
              "  (* key metrics)"
            ])
      ]
      yield* print(lines.join("\n"))
    })
).pipe(
  Command.withDescription("Compare two runs: params that differ, stages that differ and why, metrics side by side.")
)
