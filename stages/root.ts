/**
 * Paths relative to the project root (where package.json is), the same whether the pipelines run
 * from TypeScript sources or from the compiled dist/ tree.
 */
import { existsSync } from "node:fs"
import { dirname, isAbsolute, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const findRoot = (start: string): string => {
  let dir = start
  for (;;) {
    if (existsSync(join(dir, "package.json")) && !dir.endsWith("dist")) return dir
    const up = dirname(dir)
    if (up === dir) return process.cwd()
    dir = up
  }
}

/** The project root. */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)))

/** A user-given path: absolute as given, relative to the project root otherwise. */
export const fromRoot = (path: string): string => (isAbsolute(path) ? path : resolve(projectRoot, path))
