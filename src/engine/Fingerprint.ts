/**
 * Code fingerprints. The fingerprint of a module is a hash of the normalized source (comments and
 * formatting stripped: the TypeScript printer, via ts-morph, reprints the syntax tree) of the
 * module and of every project file it transitively imports, plus the lockfile versions of the npm
 * packages those files import and of everything those packages depend on, transitively (a
 * `d3-shape` update under the same `d3` changes the keys of the stages that draw). A comment-only
 * edit leaves it unchanged; an edit to any code the module can reach changes it.
 *
 * What counts as an import is what runs: with `verbatimModuleSyntax` only a clause-level
 * `import type …` / `export type … from` is erased; `import { type M } from "./m.js"` still loads and
 * runs `./m.js`, so it is followed like any value import.
 *
 * Parsing is memoized by file content hash in `<cache>/.fingerprints.json` (a side file: a damaged
 * memo is ignored with a warning), so a warm run reads and hashes the files but never loads the
 * compiler.
 *
 * Modules compiled to `<root>/dist/<p>.js` are fingerprinted from their source `<root>/<p>.ts`,
 * so the CLI (dist) and the tests (tsx) compute the same keys. The build records the content hash
 * of every source it compiled (`dist/.sources.json`); fingerprinting a compiled module checks
 * every source it covers against that record and fails with `StaleBuildError` when one changed
 * since the build, since the process would run old code under a new key.
 *
 * @module Fingerprint
 */

import { isBuiltin } from "node:module"
import { fileURLToPath } from "node:url"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Canonical from "./Canonical.js"
import { StaleBuildError } from "./Errors.js"
import * as SideFile from "./SideFile.js"

/** A module's code fingerprint and what it covered. */
export interface Fingerprint {
  readonly digest: string
  /** The module's own source file (relative to the project root). */
  readonly module: string
  /** Files covered (relative to the project root), each with the hash of its normalized source. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly hash: string }>
  /**
   * npm packages those files import and everything they depend on, transitively: lockfile path
   * (without the leading `node_modules/`, e.g. `d3-shape`, `bullmq/node_modules/msgpackr`) → version.
   */
  readonly packages: Readonly<Record<string, string>>
}

/** Computes and memoizes fingerprints. */
export interface Fingerprinter {
  readonly root: string
  /** The fingerprint of the module at a file URL or path. */
  readonly of: (module: string) => Effect.Effect<Fingerprint, StaleBuildError>
  /** Writes the parse memo back if it changed. */
  readonly flush: Effect.Effect<void>
  /**
   * sha256 of the raw content of a file as this fingerprinter read it (absolute path), or
   * undefined if it has not read the file: the exact sources its fingerprints describe.
   */
  readonly contentHash: (file: string) => string | undefined
}

const FileInfo = Schema.Struct({
  contentHash: Schema.String,
  hash: Schema.String,
  /** Resolved absolute paths of imported project files. */
  imports: Schema.Array(Schema.String),
  /** Imported npm package names. */
  packages: Schema.Array(Schema.String)
})
type FileInfo = typeof FileInfo.Type

const Memo = Schema.Struct({
  version: Schema.Literal(3),
  files: Schema.Record({ key: Schema.String, value: FileInfo })
})
type Memo = { readonly version: 3; readonly files: Record<string, FileInfo> }

/** What `bin/build.mjs` records of a build: the sha256 of each source file it compiled, by relative path. */
export const BuildRecord = Schema.Struct({ sources: Schema.Record({ key: Schema.String, value: Schema.String }) })

/** Where a build records its sources, under the compiled tree. */
export const buildRecordPath = (root: string) => `${root}/dist/.sources.json`

const packageName = (specifier: string) => {
  const parts = specifier.split("/")
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!
}

/** Parses one file with the TypeScript compiler (loaded on first use only). */
const parse = async (file: string, text: string) => {
  const { ts } = await import("ts-morph")
  const kind = /\.m?jsx?$|\.cjs$/.test(file)
    ? ts.ScriptKind.JS
    : file.endsWith("x")
      ? ts.ScriptKind.TSX
      : ts.ScriptKind.TS
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind)
  const normalized = ts.createPrinter({ removeComments: true }).printFile(source)
  const specifiers: Array<string> = []
  const visit = (node: import("ts-morph").ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      // `import type …` and `export type … from` are erased at compile time: they cannot change what
      // a stage computes, so they do not pull a file into the fingerprint. With
      // verbatimModuleSyntax anything else is kept, even `import { type M } from …` (emitted as
      // `import {} from …`, which still loads and runs the module): that is followed.
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly
      if (!typeOnly) specifiers.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0]
      if (arg !== undefined && ts.isStringLiteralLike(arg)) specifiers.push(arg.text)
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "URL") {
      // new URL("./task.js", import.meta.url): a module located by URL (worker tasks)
      const [arg, base] = node.arguments ?? []
      if (arg !== undefined && ts.isStringLiteralLike(arg) && base?.getText().trim() === "import.meta.url") {
        if (arg.text.startsWith(".")) specifiers.push(arg.text)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { normalized, specifiers }
}

/** The lockfile entries the fingerprint reads: version and dependencies of each installed package. */
const Lockfile = Schema.Struct({
  packages: Schema.optional(
    Schema.Record({
      key: Schema.String,
      value: Schema.Struct({
        version: Schema.optional(Schema.String),
        dependencies: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
        optionalDependencies: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
        peerDependencies: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
      })
    })
  )
})

/**
 * The installed packages a package name resolves to from the project, with everything they depend
 * on (Node's resolution over the lockfile's `node_modules/…` paths: the nearest enclosing
 * `node_modules` first): lockfile path without the first `node_modules/` → version.
 */
export const packageClosure = (lock: typeof Lockfile.Type, names: ReadonlyArray<string>): Record<string, string> => {
  const packages = lock.packages ?? {}
  const out: Record<string, string> = {}
  const resolve = (from: string, name: string): string | undefined => {
    let base = from
    for (;;) {
      const candidate = `${base === "" ? "" : `${base}/`}node_modules/${name}`
      if (packages[candidate] !== undefined) return candidate
      if (base === "") return undefined
      const cut = base.lastIndexOf("/node_modules/")
      base = cut < 0 ? "" : base.slice(0, cut)
    }
  }
  const visit = (at: string) => {
    const id = at.slice("node_modules/".length)
    if (id in out) return
    const entry = packages[at]!
    out[id] = entry.version ?? "unknown"
    const deps = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies }
    for (const dep of Object.keys(deps).sort()) {
      const found = resolve(at, dep)
      if (found !== undefined) visit(found)
    }
  }
  for (const name of names) {
    const found = resolve("", name)
    if (found === undefined) out[name] = "unknown"
    else visit(found)
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** Builds a fingerprinter for the project at `root`, memoizing parses in `memoPath`. */
export const make = (options: { readonly root: string; readonly memoPath: string }) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const services = yield* Effect.context<FileSystem.FileSystem | Path.Path>()
    const { root, memoPath } = options
    const sideFile = { corruptDir: path.join(path.dirname(memoPath), ".corrupt"), what: "The fingerprint memo" }
    const stored = yield* SideFile.read(memoPath, Memo, sideFile)
    const memo: Memo = Option.match(stored, {
      onNone: (): Memo => ({ version: 3, files: {} }),
      onSome: (m): Memo => ({ version: 3, files: { ...m.files } })
    })
    let dirty = false
    const lock = yield* SideFile.read(path.join(root, "package-lock.json"), Lockfile, {
      ...sideFile,
      what: "The lockfile"
    }).pipe(Effect.map(Option.getOrElse((): typeof Lockfile.Type => ({}))))
    const closures = new Map<string, Record<string, string>>()
    const closureOf = (names: ReadonlyArray<string>) => {
      const id = names.join("\n")
      let found = closures.get(id)
      if (found === undefined) closures.set(id, (found = packageClosure(lock, names)))
      return found
    }
    // The sources the compiled tree was built from (read once, when a compiled module is fingerprinted).
    let built: Option.Option<Readonly<Record<string, string>>> | undefined
    const exists = (p: string) => fs.exists(p).pipe(Effect.orElseSucceed(() => false))

    const resolveRelative = (from: string, specifier: string) =>
      Effect.gen(function* () {
        const base = path.resolve(path.dirname(from), specifier)
        const candidates = [
          base
            .replace(/\.js$/, ".ts")
            .replace(/\.mjs$/, ".mts")
            .replace(/\.cjs$/, ".cts"),
          base.replace(/\.js$/, ".tsx"),
          base,
          `${base}.ts`,
          path.join(base, "index.ts")
        ]
        for (const c of candidates) {
          if (!c.includes(`${path.sep}node_modules${path.sep}`) && (yield* exists(c))) {
            const stat = yield* fs.stat(c).pipe(Effect.option)
            if (stat._tag === "Some" && stat.value.type === "File") return c
          }
        }
        return undefined
      })

    const infos = new Map<string, FileInfo>()
    const fileInfo = (file: string) =>
      Effect.gen(function* () {
        const known = infos.get(file)
        if (known !== undefined) return known
        const text = yield* fs.readFileString(file).pipe(Effect.orElseSucceed(() => ""))
        const contentHash = Canonical.sha256(text)
        const memoed = memo.files[file]
        if (memoed !== undefined && memoed.contentHash === contentHash) {
          infos.set(file, memoed)
          return memoed
        }
        const parsed = yield* Effect.promise(() => parse(file, text))
        const imports: Array<string> = []
        const packages = new Set<string>()
        for (const s of parsed.specifiers) {
          if (s.startsWith(".") || s.startsWith("/")) {
            const resolved = yield* resolveRelative(file, s)
            if (resolved !== undefined) imports.push(resolved)
          } else if (!s.startsWith("#") && !isBuiltin(s)) {
            packages.add(packageName(s))
          }
        }
        const info: FileInfo = {
          contentHash,
          hash: Canonical.sha256(parsed.normalized),
          imports: [...new Set(imports)].sort(),
          packages: [...packages].sort()
        }
        memo.files[file] = info
        dirty = true
        infos.set(file, info)
        return info
      })

    /** Maps a module URL (maybe compiled to dist/) to its source file, and says whether it was compiled. */
    const sourceOf = (module: string) =>
      Effect.gen(function* () {
        const file = module.startsWith("file:") ? fileURLToPath(module) : module
        const rel = path.relative(root, file)
        if (rel.startsWith(`dist${path.sep}`) && /\.m?js$/.test(rel)) {
          const source = path.join(
            root,
            rel
              .slice(5)
              .replace(/\.js$/, ".ts")
              .replace(/\.mjs$/, ".mts")
          )
          if (yield* exists(source)) return { source, compiled: true }
        }
        return { source: file, compiled: false }
      })

    /** Fails when a source covered by a compiled module's fingerprint changed since the build. */
    const checkBuilt = (files: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        if (built === undefined) {
          built = yield* SideFile.read(buildRecordPath(root), BuildRecord, {
            ...sideFile,
            what: "The build record"
          }).pipe(Effect.map(Option.map((r) => r.sources)))
        }
        const sources = Option.getOrUndefined(built)
        const changed = files.filter((file) => {
          const rel = path.relative(root, file).split(path.sep).join("/")
          return sources === undefined || sources[rel] !== infos.get(file)?.contentHash
        })
        if (changed.length > 0) {
          return yield* new StaleBuildError({
            files: changed.map((f) => path.relative(root, f).split(path.sep).join("/"))
          })
        }
      })

    const fingerprints = new Map<string, Fingerprint>()
    const of = (module: string) =>
      Effect.gen(function* () {
        const { source: start, compiled } = yield* sourceOf(module)
        const known = fingerprints.get(start)
        if (known !== undefined) return known
        const seen = new Set<string>()
        const queue = [start]
        const files: Array<{ path: string; hash: string }> = []
        const names = new Set<string>()
        while (queue.length > 0) {
          const file = queue.pop()!
          if (seen.has(file)) continue
          seen.add(file)
          const info = yield* fileInfo(file)
          files.push({ path: path.relative(root, file).split(path.sep).join("/"), hash: info.hash })
          for (const p of info.packages) names.add(p)
          for (const i of info.imports) if (!seen.has(i)) queue.push(i)
        }
        if (compiled) yield* checkBuilt([...seen].filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`)))
        const packages = closureOf([...names].sort())
        files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        const fingerprint: Fingerprint = {
          digest: Canonical.digest({ files, packages }),
          module: path.relative(root, start).split(path.sep).join("/"),
          files,
          packages
        }
        fingerprints.set(start, fingerprint)
        return fingerprint
      }).pipe(Effect.provide(services))

    const flush = Effect.suspend(() => {
      if (!dirty) return Effect.void
      dirty = false
      return SideFile.write(memoPath, Memo, memo).pipe(Effect.provide(services), Effect.ignore)
    })

    const contentHash = (file: string) => infos.get(file)?.contentHash
    return { root, of, flush, contentHash } satisfies Fingerprinter
  })
