/**
 * Code fingerprints. The fingerprint of a module is a hash of the normalized source (comments and
 * formatting stripped: the TypeScript printer, via ts-morph, reprints the syntax tree) of the
 * module and of every project file it transitively imports, plus the lockfile versions of the npm
 * packages those files import. A comment-only edit leaves it unchanged; an edit to any code the
 * module can reach changes it.
 *
 * Parsing is memoized by file content hash in `<cache>/.fingerprints.json`, so a warm run reads
 * and hashes the files but never loads the compiler.
 *
 * Modules compiled to `<root>/dist/<p>.js` are fingerprinted from their source `<root>/<p>.ts`,
 * so the CLI (dist) and the tests (tsx) compute the same keys.
 *
 * @module Fingerprint
 */

import { isBuiltin } from "node:module"
import { fileURLToPath } from "node:url"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Canonical from "./Canonical.js"

/** A module's code fingerprint and what it covered. */
export interface Fingerprint {
  readonly digest: string
  /** The module's own source file (relative to the project root). */
  readonly module: string
  /** Files covered (relative to the project root), each with the hash of its normalized source. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly hash: string }>
  /** npm packages imported by those files, with their lockfile versions. */
  readonly packages: Readonly<Record<string, string>>
}

/** Computes and memoizes fingerprints. */
export interface Fingerprinter {
  readonly root: string
  /** The fingerprint of the module at a file URL or path. */
  readonly of: (module: string) => Effect.Effect<Fingerprint>
  /** Writes the parse memo back if it changed. */
  readonly flush: Effect.Effect<void>
  /**
   * sha256 of the raw content of a file as this fingerprinter read it (absolute path), or
   * undefined if it has not read the file: the exact sources its fingerprints describe.
   */
  readonly contentHash: (file: string) => string | undefined
}

interface FileInfo {
  readonly contentHash: string
  readonly hash: string
  /** Resolved absolute paths of imported project files. */
  readonly imports: ReadonlyArray<string>
  /** Imported npm package names. */
  readonly packages: ReadonlyArray<string>
}

interface Memo {
  readonly version: 2
  readonly files: Record<string, FileInfo>
}

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
      // Type-only imports are erased at compile time: they cannot change what a stage computes,
      // so they do not pull a file into the fingerprint (a new error type in the engine must not
      // rerun every stage).
      const typeOnly = ts.isImportDeclaration(node)
        ? node.importClause?.isTypeOnly === true ||
          (node.importClause !== undefined &&
            node.importClause.name === undefined &&
            node.importClause.namedBindings !== undefined &&
            ts.isNamedImports(node.importClause.namedBindings) &&
            node.importClause.namedBindings.elements.length > 0 &&
            node.importClause.namedBindings.elements.every((e) => e.isTypeOnly))
        : node.isTypeOnly
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

/** Builds a fingerprinter for the project at `root`, memoizing parses in `memoPath`. */
export const make = (options: { readonly root: string; readonly memoPath: string }) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const { root, memoPath } = options
    const memo: Memo = yield* fs.readFileString(memoPath).pipe(
      Effect.map((text) => JSON.parse(text) as Memo),
      Effect.filterOrElse(
        (m) => m.version === 2,
        () => Effect.succeed<Memo>({ version: 2, files: {} })
      ),
      Effect.orElseSucceed((): Memo => ({ version: 2, files: {} }))
    )
    let dirty = false
    const lockVersions: Record<string, string> = yield* fs.readFileString(path.join(root, "package-lock.json")).pipe(
      Effect.map((text) => {
        const lock = JSON.parse(text) as { packages?: Record<string, { version?: string }> }
        const versions: Record<string, string> = {}
        for (const [k, v] of Object.entries(lock.packages ?? {})) {
          if (k.startsWith("node_modules/") && v.version !== undefined) versions[k.slice(13)] = v.version
        }
        return versions
      }),
      Effect.orElseSucceed(() => ({}))
    )
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

    /** Maps a module URL (maybe compiled to dist/) to its source file. */
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
          if (yield* exists(source)) return source
        }
        return file
      })

    const fingerprints = new Map<string, Fingerprint>()
    const of = (module: string) =>
      Effect.gen(function* () {
        const start = yield* sourceOf(module)
        const known = fingerprints.get(start)
        if (known !== undefined) return known
        const seen = new Set<string>()
        const queue = [start]
        const files: Array<{ path: string; hash: string }> = []
        const packages: Record<string, string> = {}
        while (queue.length > 0) {
          const file = queue.pop()!
          if (seen.has(file)) continue
          seen.add(file)
          const info = yield* fileInfo(file)
          files.push({ path: path.relative(root, file).split(path.sep).join("/"), hash: info.hash })
          for (const p of info.packages) packages[p] = lockVersions[p] ?? "unknown"
          for (const i of info.imports) if (!seen.has(i)) queue.push(i)
        }
        files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        const fingerprint: Fingerprint = {
          digest: Canonical.digest({ files, packages }),
          module: path.relative(root, start).split(path.sep).join("/"),
          files,
          packages
        }
        fingerprints.set(start, fingerprint)
        return fingerprint
      })

    const flush = Effect.suspend(() => {
      if (!dirty) return Effect.void
      dirty = false
      const tmp = `${memoPath}.${process.pid}.${Date.now()}.tmp`
      return fs
        .makeDirectory(path.dirname(memoPath), { recursive: true })
        .pipe(
          Effect.zipRight(fs.writeFileString(tmp, JSON.stringify(memo))),
          Effect.zipRight(fs.rename(tmp, memoPath)),
          Effect.ignore
        )
    })

    const contentHash = (file: string) => infos.get(file)?.contentHash
    return { root, of, flush, contentHash } satisfies Fingerprinter
  })
