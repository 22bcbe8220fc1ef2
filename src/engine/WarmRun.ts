/**
 * The warm-run memo: serves `pipeline run NAME` without loading the pipeline registry when
 * nothing changed since the last complete run with the same arguments. Loading the registry
 * (stages, model, analysis, figures and their npm packages) costs seconds; this check costs a
 * file read and a hash per source file plus the usual verification of every cache entry.
 *
 * After a run the CLI records, under `<cache>/.warm/`, the content hash of every file the run's
 * keys depend on (the registry module's transitive imports, every stage and service module's,
 * and package-lock.json), as they were when the run was planned, the stage keys and output
 * digests, and what was published; a run during which one of those files changed records nothing. A later run
 * with the same arguments is served from the memo only if every file hash still matches and every
 * entry verifies; otherwise it falls back to the full run, which plans, reports corruption and
 * recomputes.
 *
 * @module WarmRun
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "./Cache.js"
import * as Canonical from "./Canonical.js"
import type { Fingerprinter } from "./Fingerprint.js"
import type * as Plan from "./Plan.js"

/** What a warm run needs to know of the last run. */
export interface Memo {
  /** 3: source hashes taken when the run was planned (memos of version 2, hashed at the end of their run, may be stale). */
  readonly version: 3
  readonly pipeline: string
  readonly sets: ReadonlyArray<string>
  /**
   * Path relative to the project root → sha256 of the raw file content. Relative, so a memo
   * recorded by another checkout sharing the cache is checked against this checkout's sources.
   */
  readonly files: Readonly<Record<string, string>>
  readonly stages: ReadonlyArray<{ readonly name: string; readonly key: string; readonly outputDigest: string }>
  /** Artifacts to publish: entry key, artifact name, target relative to the output folder. */
  readonly publish: ReadonlyArray<{ readonly key: string; readonly artifact: string; readonly target: string }>
  readonly params: unknown
}

/** Where the memo of a pipeline and its `--set` arguments lives. */
export const memoPath = (cacheDir: string, pipeline: string, sets: ReadonlyArray<string>) =>
  `${cacheDir}/.warm/${Canonical.digest({ pipeline, sets })}.json`

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
    const sorted = [...rel].sort()
    // package-lock.json is not a module: hashed now.
    const hashes: Record<string, string> = yield* hashFiles(options.root, ["package-lock.json"])
    for (const r of sorted) {
      const known = options.fingerprinter.contentHash(path.resolve(options.root, r))
      hashes[r] = known ?? (yield* hashFiles(options.root, [r]))[r]!
    }
    return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => (a < b ? -1 : 1)))
  })

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
  readonly publish: ReadonlyArray<{ readonly key: string; readonly artifact: string; readonly target: string }>
}) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const now = yield* hashFiles(options.root, Object.keys(options.files))
    if (Object.entries(options.files).some(([file, hash]) => now[file] !== hash)) return
    const memo: Memo = {
      version: 3,
      pipeline: options.plan.pipeline.name,
      sets: options.sets,
      files: options.files,
      stages: options.stages,
      publish: options.publish,
      params: options.plan.encodedParams
    }
    const target = memoPath(options.cacheDir, memo.pipeline, options.sets)
    const tmp = `${target}.${process.pid}.tmp`
    yield* fs.makeDirectory(path.dirname(target), { recursive: true })
    yield* fs.writeFileString(tmp, JSON.stringify(memo))
    yield* fs.rename(tmp, target)
  }).pipe(Effect.ignore)

/** A run served from the memo. */
export interface Served {
  readonly pipeline: string
  readonly stages: ReadonlyArray<{ name: string; key: string; status: "cached"; seconds: number; outputDigest: string }>
  readonly published: ReadonlyArray<string>
}

/**
 * Serves a run from its memo when every recorded file is unchanged and every entry verifies;
 * `None` means "do the full run".
 */
export const serve = (options: {
  /** The project root the memo's source paths are relative to. */
  readonly root: string
  readonly cacheDir: string
  readonly outDir: string
  readonly pipeline: string
  readonly sets: ReadonlyArray<string>
}) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const cache = yield* Cache.Cache
    const text = yield* fs
      .readFileString(memoPath(options.cacheDir, options.pipeline, options.sets))
      .pipe(Effect.option)
    if (Option.isNone(text)) return Option.none<Served>()
    const memo = JSON.parse(text.value) as Memo
    if (memo.version !== 3 || memo.pipeline !== options.pipeline) return Option.none<Served>()
    for (const [file, hash] of Object.entries(memo.files)) {
      const bytes = yield* fs.readFile(`${options.root}/${file}`).pipe(Effect.option)
      if (Option.isNone(bytes) || Canonical.sha256(bytes.value) !== hash) return Option.none<Served>()
    }
    const stages: Array<Served["stages"][number]> = []
    for (const s of memo.stages) {
      const t0 = performance.now()
      const manifest = yield* cache.verify(s.key, { deep: false }).pipe(Effect.option)
      if (Option.isNone(manifest) || Option.isNone(manifest.value)) return Option.none<Served>()
      if (manifest.value.value.outputDigest !== s.outputDigest) return Option.none<Served>()
      stages.push({ ...s, status: "cached", seconds: Math.round(performance.now() - t0) / 1000 })
    }
    const published: Array<string> = []
    for (const p of memo.publish) {
      const target = `${options.outDir}/${p.target}`
      const bytes = yield* cache.readArtifact(p.key, p.artifact)
      yield* fs.makeDirectory(target.slice(0, target.lastIndexOf("/")), { recursive: true })
      yield* fs.writeFile(target, bytes)
      published.push(target)
    }
    yield* cache.writeRun({
      pipeline: memo.pipeline,
      at: new Date().toISOString(),
      params: memo.params,
      nodes: Object.fromEntries(memo.stages.map((s) => [s.name, s.key]))
    })
    return Option.some<Served>({ pipeline: memo.pipeline, stages, published })
  }).pipe(Effect.orElseSucceed(() => Option.none<Served>()))
