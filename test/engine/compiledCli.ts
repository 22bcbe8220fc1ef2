/**
 * The toy CLI compiled to JavaScript, for tests that start many processes (the fault campaign).
 * Under tsx a process spends about 1.5 CPU seconds loading its modules through the loader hooks;
 * compiled, about a third of that.
 *
 * The compiled tree is a temporary copy of the project laid out as the real CLI's: the sources
 * (`src/`, `test/engine/fixtures/`), their compiled JavaScript under `dist/` with the build record
 * `dist/.sources.json`, package.json, package-lock.json, and a link to node_modules. The code
 * fingerprints of a compiled module are those of its sources (src/engine/Fingerprint.ts), and the
 * copies have the same paths relative to their root and the same bytes, so the compiled CLI
 * computes the same stage keys as the tests' in-process runs (tsx): a process can resume what the
 * other left, and the other way round.
 */
import { createHash } from "node:crypto"
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import ts from "typescript"
import { root, spawnNode, tempDir } from "./helpers.js"

/** The folders copied and compiled (what the toy CLI imports, and the rest of the engine with it). */
const compiled = ["src/engine", "src/cli", "test/engine/fixtures"]

let built: string | undefined

/** Builds the compiled copy once per process; returns its root. */
export const compiledRoot = (): string => {
  if (built !== undefined) return built
  const out = tempDir("compiled-cli")
  const sources: Record<string, string> = {}
  const visit = (rel: string) => {
    const abs = join(root, rel)
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(`${rel}/${name}`)
      return
    }
    if (!rel.endsWith(".ts") || rel.endsWith(".as.ts")) return
    const text = readFileSync(abs, "utf8")
    sources[rel] = createHash("sha256").update(text).digest("hex")
    mkdirSync(dirname(join(out, rel)), { recursive: true })
    writeFileSync(join(out, rel), text)
    const js = ts.transpileModule(text, {
      fileName: abs,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
        sourceMap: false
      }
    }).outputText
    const target = join(out, "dist", rel.replace(/\.ts$/, ".js"))
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, js)
  }
  for (const dir of compiled) visit(dir)
  for (const file of ["package.json", "package-lock.json"]) cpSync(join(root, file), join(out, file))
  symlinkSync(join(root, "node_modules"), join(out, "node_modules"), "dir")
  writeFileSync(join(out, "dist", ".sources.json"), `${JSON.stringify({ sources }, null, 1)}\n`)
  built = out
  return out
}

/** Starts the compiled toy CLI (same arguments and environment defaults as `startCli`). */
export const startCompiledCli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const dir = compiledRoot()
  return spawnNode([join(dir, "dist/test/engine/fixtures/cli.js"), ...args], dir, env)
}

/** Runs the compiled toy CLI to completion. */
export const compiledCli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  startCompiledCli(args, env).done
