#!/usr/bin/env node
// Compiles src/, stages/ and pipelines/ to dist/ (what the CLI and the worker threads load) and
// stamps the build, so bin/pipeline.mjs can tell when the TypeScript sources are newer. It also
// records the sha256 of every source it compiled (dist/.sources.json): the code fingerprints of a
// process running dist/ check their sources against it, so stale compiled code is never run under
// the keys of newer sources (src/engine/Fingerprint.ts).
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync
} from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const root = join(dirname(fileURLToPath(import.meta.url)), "..")
export const stampPath = join(root, "dist", ".stamp")
const sourceDirs = ["src", "stages", "pipelines"]

/** Newest modification time (ms) over the compiled sources and the compiler settings. */
export function newestSourceMtime() {
  let newest = 0
  const visit = (path) => {
    const st = statSync(path, { throwIfNoEntry: false })
    if (st === undefined) return
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name))
    } else if (path.endsWith(".ts") || path.endsWith(".json")) {
      newest = Math.max(newest, st.mtimeMs)
    }
  }
  for (const dir of sourceDirs) visit(join(root, dir))
  visit(join(root, "tsconfig.json"))
  visit(join(root, "tsconfig.build.json"))
  return newest
}

export function isStale() {
  const stamp = statSync(stampPath, { throwIfNoEntry: false })
  return stamp === undefined || stamp.mtimeMs < newestSourceMtime()
}

/** relative path → sha256 of the content, for every .ts source the build compiles. */
function sourceHashes() {
  const sources = {}
  const visit = (rel) => {
    const abs = join(root, rel)
    const st = statSync(abs, { throwIfNoEntry: false })
    if (st === undefined) return
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(rel === "" ? name : `${rel}/${name}`)
    } else if (rel.endsWith(".ts") && !rel.endsWith(".as.ts")) {
      sources[rel] = createHash("sha256").update(readFileSync(abs, "utf8")).digest("hex")
    }
  }
  for (const dir of sourceDirs) visit(dir)
  return sources
}

export function build({ quiet = false } = {}) {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  // The sources as the compiler is about to read them (an edit during the build then mismatches).
  const sources = sourceHashes()
  // The stamp's mtime is when the build started: a source saved while tsc runs is newer than the
  // stamp, so the next start rebuilds (stamping the end would hide that edit behind a stale dist/).
  const startedAt = new Date()
  const compile = () => {
    const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
      cwd: root,
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit"
    })
    if (result.status !== 0) {
      if (quiet) process.stderr.write(String(result.stdout ?? "") + String(result.stderr ?? ""))
      process.stderr.write("pipeline: the TypeScript build failed (see the errors above); nothing was run.\n")
      process.exit(1)
    }
  }
  compile()
  // An incremental build trusts dist/.tsbuildinfo and does not re-emit an output someone deleted:
  // a missing output means a full build.
  const missing = Object.keys(sources).filter((rel) => !existsSync(join(root, "dist", rel.replace(/\.ts$/, ".js"))))
  if (missing.length > 0) {
    process.stderr.write(
      `pipeline: dist/ lacked ${missing.length} compiled file(s) (${missing[0]}…); rebuilding in full\n`
    )
    rmSync(join(root, "dist", ".tsbuildinfo"), { force: true })
    compile()
  }
  mkdirSync(dirname(stampPath), { recursive: true })
  const record = join(root, "dist", ".sources.json")
  writeFileSync(`${record}.tmp`, `${JSON.stringify({ sources }, null, 1)}\n`)
  renameSync(`${record}.tmp`, record)
  writeFileSync(stampPath, `${startedAt.toISOString()}\n`)
  utimesSync(stampPath, startedAt, startedAt)
  // The catalog `pipeline list` answers from without loading the registry (src/cli/Catalog.ts):
  // the full `list` stores it. Best effort: without it, the first `list` is only slower.
  spawnSync(process.execPath, [join(root, "bin", "pipeline.mjs"), "list", "--json"], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, PIPELINE_CATALOG: "0" }
  })
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) build()
