/**
 * Experiments as grids (DESIGN §12): a pipeline, params fixed with `--set`, axes swept with
 * `--sweep KEY=LIST` (or a sweep file), and `seed` as the replicate axis.
 *
 * Every member of the grid is exactly the single run `pipeline run NAME --set …` with its params:
 * its nodes are planned by the pipeline's own `build` with the member's decoded params, seed and
 * service implementations, so they have the single run's keys and share its cache entries (and
 * each other's: a σ sweep shares one set of stimuli; nodes with equal keys are merged). A member
 * runs only what its metrics need (the pipeline's `metrics` node and its ancestors); the sweep's
 * `aggregate` node tabulates the members' metrics.
 *
 * Lists: `a,b,c`, and integer ranges `1..8` (ascending; they may be mixed: `1..3,7`). Values are
 * coerced by the pipeline's params Schema like `--set` values, and every member is validated
 * before anything runs.
 *
 * @module Sweep
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { breather } from "./Breather.js"
import * as Canonical from "./Canonical.js"
import { type ParamsError, PipelineDefinitionError, SweepError, UnknownPipelineError } from "./Errors.js"
import type { Fingerprinter } from "./Fingerprint.js"
import * as Params from "./Params.js"
import * as Pipeline from "./Pipeline.js"
import * as Plan from "./Plan.js"
import * as Progress from "./Progress.js"
import type * as Stage from "./Stage.js"

/** One swept param and its values, as given (strings, coerced by the params Schema). */
export interface Axis {
  readonly key: string
  readonly values: ReadonlyArray<string>
}

/** A grid: params fixed for every member, and the axes. */
export interface Grid {
  readonly sets: ReadonlyArray<string>
  readonly axes: ReadonlyArray<Axis>
}

/** The replicate axis: statistics are taken over it; every other axis is a factor. */
export const REPLICATE = "seed"

/** Members above this need `--yes`. */
export const CONFIRM_ABOVE = 10_000

/**
 * No grid has more members: planning decodes about 1 500 members a second and holds every
 * member's nodes (11 for an experiment), so 10⁵ members already take a minute and a GB to plan.
 */
export const MAX_MEMBERS = 100_000

/** One member: its axis values (in axis order) and its label, e.g. `sigma=0.1,seed=3`. */
export interface Member {
  readonly assignments: ReadonlyArray<readonly [string, string]>
  readonly label: string
}

/** What the aggregate stage of a sweep receives as params (its contract with the engine). */
export const AggregateParams = Schema.Struct({
  /** The swept pipeline. */
  pipeline: Schema.String,
  /** The swept keys that are factors (every axis but the replicate), in axis order. */
  factors: Schema.Array(Schema.String),
  /** The replicate axis, when it is swept. */
  replicate: Schema.NullOr(Schema.String),
  /** One per member, in the order of the `members` input. */
  members: Schema.Array(
    Schema.Struct({
      label: Schema.String,
      /** The swept values of the member (as given). */
      assignments: Schema.Record({ key: Schema.String, value: Schema.String }),
      /** The member's Schema-encoded pipeline params (every param, defaults included). */
      params: Schema.Unknown
    })
  )
})
export type AggregateParams = typeof AggregateParams.Type

/** The registry a sweep needs: the pipelines, and the stage that aggregates members' metrics. */
export interface Registry {
  readonly pipelines: ReadonlyArray<Pipeline.Any>
  /** A stage taking {@link AggregateParams} and a `members: Stage.many(…)` input of metrics. */
  readonly aggregate?: Stage.Any
}

const rangeRe = /^(-?\d+)\.\.(-?\d+)$/

/** Parses the values of a `KEY=LIST` axis (`a,b`, `1..8`, `1..3,7`). */
export const parseValues = (key: string, list: string): Effect.Effect<ReadonlyArray<string>, SweepError> =>
  Effect.suspend(() => {
    const values: Array<string> = []
    for (const raw of list.split(",")) {
      const part = raw.trim()
      if (part === "") return Effect.fail(new SweepError({ problem: `${key}: an empty value in "${list}"` }))
      const range = rangeRe.exec(part)
      if (range !== null) {
        const [a, b] = [Number(range[1]), Number(range[2])]
        if (b < a) {
          return Effect.fail(
            new SweepError({ problem: `${key}: the range ${part} is empty (write it ascending: ${b}..${a})` })
          )
        }
        if (b - a >= CONFIRM_ABOVE * 10) {
          return Effect.fail(new SweepError({ problem: `${key}: the range ${part} has ${b - a + 1} values` }))
        }
        for (let v = a; v <= b; v++) values.push(String(v))
      } else values.push(part)
    }
    if (values.length === 0) return Effect.fail(new SweepError({ problem: `${key}: no values` }))
    const seen = new Set<string>()
    const repeated = values.find((v) => seen.size === seen.add(v).size)
    if (repeated !== undefined) {
      return Effect.fail(new SweepError({ problem: `${key}: the value ${repeated} is listed twice` }))
    }
    return Effect.succeed(values)
  })

/** Parses one `--sweep KEY=LIST`. */
export const parseAxis = (arg: string): Effect.Effect<Axis, SweepError> =>
  Effect.suspend(() => {
    const eq = arg.indexOf("=")
    if (eq <= 0) {
      return Effect.fail(
        new SweepError({ problem: `"${arg}" is not KEY=LIST (e.g. --sweep sigma=0.1,0.2 or --sweep seed=1..8)` })
      )
    }
    const key = arg.slice(0, eq)
    return Effect.map(parseValues(key, arg.slice(eq + 1)), (values) => ({ key, values }))
  })

/** The sweep file's contents (JSON or YAML). */
const SweepFile = Schema.Struct({
  /** The pipeline the file is for (checked against the command line when given). */
  pipeline: Schema.optional(Schema.String),
  /** A description, for the reader. */
  description: Schema.optional(Schema.String),
  /** Params fixed for every member. */
  set: Schema.optional(
    Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean) })
  ),
  /** Axes: a list of values, or a string list / range (`"1..8"`). */
  sweep: Schema.Record({
    key: Schema.String,
    value: Schema.Union(
      Schema.String,
      Schema.Number,
      Schema.Array(Schema.Union(Schema.String, Schema.Number, Schema.Boolean))
    )
  })
})

/** A grid from a sweep file's text (`file` names it in errors). */
export const parseFile = (text: string, file: string) =>
  Effect.gen(function* () {
    // The YAML parser loads only for YAML files.
    const yaml = file.endsWith(".json") ? undefined : yield* Effect.promise(() => import("yaml"))
    const raw = yield* Effect.try({
      try: () => (yaml === undefined ? (JSON.parse(text) as unknown) : (yaml.parse(text) as unknown)),
      catch: (e) =>
        new SweepError({
          problem: `${file} is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${String((e as Error).message ?? e)}`
        })
    })
    const parsed = yield* Schema.decodeUnknown(SweepFile)(raw, { onExcessProperty: "error" }).pipe(
      Effect.mapError((e) => new SweepError({ problem: `${file}: ${e.message}` }))
    )
    const axes: Array<Axis> = []
    for (const [key, value] of Object.entries(parsed.sweep)) {
      const values = Array.isArray(value)
        ? yield* parseValues(key, value.map(String).join(","))
        : yield* parseValues(key, String(value))
      axes.push({ key, values })
    }
    if (axes.length === 0) return yield* new SweepError({ problem: `${file}: "sweep" lists no axis` })
    const sets = Object.entries(parsed.set ?? {}).map(([k, v]) => `${k}=${String(v)}`)
    return { pipeline: parsed.pipeline, description: parsed.description, grid: { sets, axes } satisfies Grid }
  })

/** The members of a grid: the cartesian product of its axes, the replicate axis varying fastest. */
export const members = (grid: Grid): ReadonlyArray<Member> => {
  const axes = [...grid.axes.filter((a) => a.key !== REPLICATE), ...grid.axes.filter((a) => a.key === REPLICATE)]
  let out: Array<Array<readonly [string, string]>> = [[]]
  for (const axis of axes) out = out.flatMap((m) => axis.values.map((v) => [...m, [axis.key, v] as const]))
  return out.map((assignments) => ({ assignments, label: assignments.map(([k, v]) => `${k}=${v}`).join(",") }))
}

/** The number of members of a grid. */
export const size = (grid: Grid): number => grid.axes.reduce((n, a) => n * a.values.length, 1)

/** A short, stable name of a grid (for its output folder): the axes and a digest of the whole request. */
export const gridId = (pipeline: string, grid: Grid): string =>
  `${grid.axes.map((a) => a.key).join("-")}-${Canonical.digest({ pipeline, sets: grid.sets, axes: grid.axes }).slice(0, 8)}`

/** Checks a grid before planning: distinct axes, none also fixed with `--set`, and its size. */
export const check = (grid: Grid, options: { readonly yes: boolean }): Effect.Effect<void, SweepError> =>
  Effect.suspend(() => {
    const keys = grid.axes.map((a) => a.key)
    const twice = keys.find((k, i) => keys.indexOf(k) !== i)
    if (twice !== undefined) return Effect.fail(new SweepError({ problem: `${twice} is swept twice` }))
    const fixed = grid.sets.map((s) => s.slice(0, s.indexOf("="))).find((k) => keys.includes(k))
    if (fixed !== undefined) {
      return Effect.fail(new SweepError({ problem: `${fixed} is both fixed (--set) and swept (--sweep); drop one` }))
    }
    const n = size(grid)
    if (n > MAX_MEMBERS) {
      return Effect.fail(
        new SweepError({
          problem: `the grid has ${n} members; at most ${MAX_MEMBERS} can be planned (about 1 500 a second, with every member's nodes in memory): split it into several sweeps`
        })
      )
    }
    if (n > CONFIRM_ABOVE && !options.yes) {
      return Effect.fail(
        new SweepError({ problem: `the grid has ${n} members (above ${CONFIRM_ABOVE}); pass --yes if you mean it` })
      )
    }
    return Effect.void
  })

/** The part of a shared node's member labels its members agree on: `sample-inputs[seed=3]`. */
const sharedName = (names: ReadonlyArray<string>): string => {
  const parse = (name: string) => {
    const m = /^(.*)\[(.*)\]$/.exec(name)
    return m === null ? { base: name, pairs: [] as Array<string> } : { base: m[1]!, pairs: m[2]!.split(",") }
  }
  const parsed = names.map(parse)
  const common = parsed[0]!.pairs.filter((p) => parsed.every((x) => x.pairs.includes(p)))
  return common.length === 0 ? parsed[0]!.base : `${parsed[0]!.base}[${common.join(",")}]`
}

/**
 * Plans a sweep of `pipeline` over `grid`: every member's nodes (up to its metrics), merged where
 * their keys agree, and the aggregate node over the members' metrics.
 */
export const plan = (registry: Registry, pipeline: Pipeline.Any, grid: Grid, fingerprinter: Fingerprinter) =>
  Effect.gen(function* () {
    const aggregate = registry.aggregate
    if (pipeline.metrics === undefined || aggregate === undefined) {
      return yield* new SweepError({
        problem: `pipeline "${pipeline.name}" cannot be swept: it names no metrics node${aggregate === undefined ? " (and the registry has no aggregate stage)" : ""}`
      })
    }
    // Every member's params, decoded before anything is planned (a bad value names its member).
    // A large grid reports its progress and lets signals in (Ctrl-C acts within a fraction of a second).
    const progress = Option.getOrElse(yield* Effect.serviceOption(Progress.Progress), () => Progress.silent)
    const breathe = breather()
    const total = size(grid)
    const decoded: Array<{ member: Member; params: unknown; encoded: unknown }> = []
    const byEncoding = new Map<string, Member>()
    for (const member of members(grid)) {
      yield* breathe
      if (decoded.length % 1000 === 0 && total > 1000) {
        yield* progress.update("planning", decoded.length, total, "members decoded")
      }
      const sets = [...grid.sets, ...member.assignments.map(([k, v]) => `${k}=${v}`)]
      const subject = `pipeline "${pipeline.name}", member ${member.label}`
      const input = yield* Params.parseSets(pipeline.params, subject, sets)
      const params = yield* Params.decode(pipeline.params, subject, Pipeline.deepMerge(pipeline.defaults, input))
      const encoded = yield* Params.encode(pipeline.params, params)
      // Two spellings of one value (`0.1,0.10`, `1,01`) are one run, not two members.
      const canonical = Canonical.stringify(encoded)
      const twin = byEncoding.get(canonical)
      if (twin !== undefined) {
        return yield* new SweepError({
          problem: `members ${twin.label} and ${member.label} are the same run (their values are equal once decoded)`
        })
      }
      byEncoding.set(canonical, member)
      decoded.push({ member, params, encoded })
    }
    if (total > 1000) yield* progress.finish("planning")
    const factors = grid.axes.map((a) => a.key).filter((k) => k !== REPLICATE)
    const replicate = grid.axes.some((a) => a.key === REPLICATE) ? REPLICATE : null
    const metricsName = pipeline.metrics
    const gridPipeline = Pipeline.make({
      name: pipeline.name,
      description: `${pipeline.description} (sweep over ${grid.axes.map((a) => a.key).join(", ")})`,
      params: Schema.Struct({}),
      build: (_, use) => {
        const metrics: Array<Pipeline.Node<unknown>> = []
        for (const { member, params } of decoded) {
          const seed = pipeline.seed?.(params)
          const services = pipeline.services(params)
          let found: Pipeline.Node<unknown> | undefined
          const memberUse = ((stage: Stage.Any, options?: Pipeline.UseOptions<Stage.Any>) => {
            const name = options?.name ?? stage.name
            const node = use(stage, {
              ...options,
              name: `${name}[${member.label}]`,
              // The node's own implementations before the pipeline's, as in a single run (Plan.make).
              provide: [...(options?.provide ?? []), ...services],
              ...(options?.seed !== undefined ? { seed: options.seed } : seed === undefined ? {} : { seed })
            } as Pipeline.UseOptions<Stage.Any>)
            if (name === metricsName) found = node
            return node
          }) as Pipeline.Use
          pipeline.build(params, memberUse)
          if (found === undefined) {
            throw new PipelineDefinitionError({
              pipeline: pipeline.name,
              reason: `its metrics node "${metricsName}" is not built for member ${member.label}`
            })
          }
          metrics.push(found)
        }
        const params: AggregateParams = {
          pipeline: pipeline.name,
          factors,
          replicate,
          members: decoded.map((d) => ({
            label: d.member.label,
            assignments: Object.fromEntries(d.member.assignments),
            params: d.encoded
          }))
        }
        return [use(aggregate, { name: "aggregate", params, inputs: { members: metrics } } as never)]
      }
    })
    const planned = yield* Plan.make(gridPipeline, {}, fingerprinter)
    const request: Plan.Request = { kind: "sweep", pipeline: pipeline.name, grid }
    return { ...Plan.dedupe(planned, sharedName), request }
  })

export type { ParamsError }

/** The registry's pipeline of that name, or an error listing the valid names. */
export const findPipeline = (registry: Registry, name: string) => {
  const found = registry.pipelines.find((p) => p.name === name)
  return found === undefined
    ? Effect.fail(new UnknownPipelineError({ name, valid: registry.pipelines.map((p) => p.name) }))
    : Effect.succeed(found)
}

/** Plans a run again from its request (what a distributed worker does with a job). */
export const planRequest = (registry: Registry, request: Plan.Request, fingerprinter: Fingerprinter) =>
  Effect.flatMap(findPipeline(registry, request.pipeline), (pipeline) =>
    request.kind === "run"
      ? Plan.make(pipeline, request.params as Record<string, unknown>, fingerprinter)
      : plan(registry, pipeline, request.grid, fingerprinter)
  )
