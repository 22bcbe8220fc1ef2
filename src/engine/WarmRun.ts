/**
 * The warm-run memo: serves `pipeline run NAME` without loading the pipeline registry when
 * nothing changed since the last complete run with the same arguments. Loading the registry
 * (stages, model, analysis, figures and their npm packages) and planning cost seconds; this check
 * costs a file read and a hash per source file plus the usual verification of every cache entry.
 *
 * After a run the CLI records, under `<cache>/.warm/`, the content hash of every file the run's
 * keys depend on (the registry module's transitive imports, every stage and service module's,
 * package-lock.json, and every file a stage param names, such as load-network's network file,
 * whose bytes enter its key through a digest computed when planning), as they were when the run
 * was planned, the stage keys and output digests, and what was published; a run during which one
 * of those files changed records nothing.
 * A later run with the same arguments is served from the memo only if every file hash still
 * matches and every entry verifies; otherwise it falls back to the full run, which plans, reports
 * corruption and recomputes. A memo is a side file: a damaged one is moved aside with a warning and
 * the run is planned in full.
 *
 * Served runs publish through `Publish.ts` and leave a run record, as a full run does.
 *
 * @module WarmRun
 */
import { hostname } from "node:os"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Cache from "./Cache.js"
import * as Canonical from "./Canonical.js"
import * as Inspect from "./cache/Inspect.js"
import { newId } from "./cache/RunRecords.js"
import type { Fingerprinter } from "./Fingerprint.js"
import * as Plan from "./Plan.js"
import * as Publish from "./Publish.js"
import * as SideFile from "./SideFile.js"

const Stage = Schema.Struct({ name: Schema.String, key: Schema.String, outputDigest: Schema.String })

/** What a warm run needs to know of the last run. */
export const Memo = Schema.Struct({
  version: Schema.Literal(4),
  pipeline: Schema.String,
  sets: Schema.Array(Schema.String),
  /**
   * Path relative to the project root → sha256 of the raw file content. Relative, so a memo
   * recorded by another checkout sharing the cache is checked against this checkout's sources
   * (a file a stage param names outside the root is recorded by its absolute path).
   */
  files: Schema.Record({ key: Schema.String, value: Schema.String }),
  stages: Schema.Array(Stage),
  /** Artifacts to publish: entry key, artifact name, file name in the output folder. */
  publish: Schema.Array(Schema.Struct({ key: Schema.String, artifact: Schema.String, target: Schema.String })),
  params: Schema.Unknown
})
export type Memo = typeof Memo.Type

/**
 * Where the memo of a pipeline and its `--set` arguments lives, for this runtime (keys hold the
 * Node.js major: a memo recorded under another major names other keys than planning would).
 */
export const memoPath = (cacheDir: string, pipeline: string, sets: ReadonlyArray<string>) =>
  `${cacheDir}/.warm/${Canonical.digest({ pipeline, sets, runtime: Plan.runtime })}.json`

/**
 * The content hash of every file the plan's keys depend on, relative to the root, as the
 * fingerprinter that planned the run read it: the memo must describe the sources the keys were
 * computed from, not those on disk when the run ends (a source edited during a long run would
 * otherwise be recorded as the one that produced its results). Pass the planning fingerprinter.
 */
export const snapshot = (options: {
  readonly root: string
  readonly registry: string
  readonly plan: Plan.Plan
  readonly fingerprinter: Fingerprinter
}) =>
  Effect.gen(function* () {
    const path = yield* Path.Path
    const rel = new Set<string>()
    const registry = yield* options.fingerprinter.of(options.registry)
    for (const f of registry.files) rel.add(f.path)
    for (const node of options.plan.nodes) for (const f of node.fingerprint.files) rel.add(f.path)
    const impls = [...options.plan.services, ...options.plan.nodes.flatMap((n) => n.provide)]
    for (const impl of impls) {
      for (const f of (yield* options.fingerprinter.of(impl.module)).files) rel.add(f.path)
    }
    // package-lock.json is not a module, nor are the files stage params name: hashed now.
    const hashes: Record<string, string> = yield* hashFiles(options.root, [
      "package-lock.json",
      ...(yield* namedFiles(options.root, options.plan))
    ])
    for (const r of [...rel].sort()) {
      const known = options.fingerprinter.contentHash(path.resolve(options.root, r))
      hashes[r] = known ?? (yield* hashFiles(options.root, [r]))[r]!
    }
    return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => (a < b ? -1 : 1)))
  })

/**
 * The files the plan's stage params name (a string param that is the path of an existing file,
 * absolute or relative to the root), relative to the root when inside it. A stage that reads a
 * file its param names covers the file's bytes in its key by a digest computed when planning (e.g.
 * load-network); a warm run, which does not plan, must see such a file change.
 */
const namedFiles = (root: string, plan: Plan.Plan) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const strings = new Set<string>()
    const visit = (value: unknown) => {
      if (typeof value === "string") {
        if (value !== "" && value.length < 4096 && !value.includes("\0")) strings.add(value)
      } else if (Array.isArray(value)) value.forEach(visit)
      else if (typeof value === "object" && value !== null) Object.values(value).forEach(visit)
    }
    for (const node of plan.nodes) visit(node.encodedParams)
    const out: Array<string> = []
    for (const s of strings) {
      const abs = path.resolve(root, s)
      const info = yield* fs.stat(abs).pipe(Effect.option)
      if (Option.isNone(info) || info.value.type !== "File") continue
      const rel = path.relative(root, abs)
      out.push(rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel.split(path.sep).join("/"))
    }
    return out.sort()
  })

/** Content hashes of files (paths relative to the root, or absolute). */
const hashFiles = (root: string, files: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const hashes: Record<string, string> = {}
    for (const r of files) {
      const abs = path.resolve(root, r)
      hashes[r] = Canonical.sha256(yield* fs.readFile(abs).pipe(Effect.orElseSucceed(() => new Uint8Array())))
    }
    return hashes
  })

/**
 * Records the memo of a completed run from the {@link snapshot} taken when it was planned; records
 * nothing when a file changed during the run (the next run then plans afresh).
 */
export const record = (options: {
  readonly cacheDir: string
  readonly root: string
  readonly sets: ReadonlyArray<string>
  readonly plan: Plan.Plan
  readonly files: Readonly<Record<string, string>>
  readonly stages: ReadonlyArray<{ readonly name: string; readonly key: string; readonly outputDigest: string }>
}) =>
  Effect.gen(function* () {
    // A sweep has no memo: its plan's pipeline name is the swept pipeline's, whose single run owns it.
    if (options.plan.request.kind !== "run") return
    const now = yield* hashFiles(options.root, Object.keys(options.files))
    if (Object.entries(options.files).some(([file, hash]) => now[file] !== hash)) return
    const memo: Memo = {
      version: 4,
      pipeline: options.plan.pipeline.name,
      sets: [...options.sets],
      files: options.files,
      stages: options.stages.map(({ name, key, outputDigest }) => ({ name, key, outputDigest })),
      publish: [...Publish.targets(options.plan)],
      params: options.plan.encodedParams
    }
    yield* SideFile.write(memoPath(options.cacheDir, memo.pipeline, options.sets), Memo, memo)
  }).pipe(Effect.ignore)

/** A run served from the memo. */
export interface Served {
  readonly pipeline: string
  readonly stages: ReadonlyArray<{ name: string; key: string; status: "cached"; seconds: number; outputDigest: string }>
  readonly published: ReadonlyArray<string>
  readonly record: string
}

/**
 * Serves a run from its memo when every recorded file is unchanged and every entry verifies,
 * publishing to its own folder under `publishTo` (`Publish.publishRun`); `None` means "do the full run".
 */
export const serve = (options: {
  /** The project root the memo's source paths are relative to. */
  readonly root: string
  readonly publishTo: string
  readonly pipeline: string
  readonly sets: ReadonlyArray<string>
}) =>
  Effect.gen(function* () {
    const cache = yield* Cache.Cache
    const startedAt = new Date()
    const memo = yield* SideFile.read(memoPath(cache.dir, options.pipeline, options.sets), Memo, {
      corruptDir: cache.layout.corrupt,
      what: "The warm-run memo"
    })
    if (Option.isNone(memo) || memo.value.pipeline !== options.pipeline) return Option.none<Served>()
    const m = memo.value
    const path = yield* Path.Path
    // Read synchronously: a few hundred small source files, each a few microseconds this way.
    const changed = yield* Effect.sync(() =>
      Object.entries(m.files).some(([file, hash]) => {
        const bytes = Inspect.readRegularSync(path.resolve(options.root, file))
        return bytes === undefined || Canonical.sha256(bytes) !== hash
      })
    )
    if (changed) return Option.none<Served>()
    // Live from here to the published copies, as a planned run is: gc keeps what it serves.
    const id = newId(startedAt)
    yield* cache.live.register({ id, pipeline: m.pipeline, keys: m.stages.map((s) => s.key) })
    const stages: Array<Served["stages"][number]> = []
    for (const s of m.stages) {
      const t0 = performance.now()
      const manifest = yield* cache.verify(s.key, { deep: false }).pipe(Effect.option)
      if (Option.isNone(manifest) || Option.isNone(manifest.value)) return Option.none<Served>()
      if (manifest.value.value.outputDigest !== s.outputDigest) return Option.none<Served>()
      yield* cache.reapLock(s.key)
      stages.push({ ...s, status: "cached", seconds: Math.round(performance.now() - t0) / 1000 })
    }
    const record: Cache.RunRecord = {
      version: 1,
      id,
      pipeline: m.pipeline,
      kind: "run",
      sets: [...options.sets],
      params: m.params,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      status: "done",
      host: hostname(),
      pid: process.pid,
      nodes: stages.map((s) => ({ name: s.name, key: s.key, status: "cached", seconds: s.seconds })),
      published: []
    }
    const published = yield* Publish.publishRun(m.publish, options.publishTo, record.id, record)
    const report = published.find((p) => p.endsWith("report.html"))
    yield* cache.runs.write({ ...record, published, ...(report === undefined ? {} : { report }) })
    return Option.some<Served>({ pipeline: m.pipeline, stages, published, record: record.id })
  }).pipe(
    Effect.scoped,
    Effect.orElseSucceed(() => Option.none<Served>())
  )
