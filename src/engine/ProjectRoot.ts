/**
 * The project root, found from a module's own path: the nearest folder above it holding a
 * `package.json`, skipping `dist/` (compiled modules live under `<root>/dist/`). The one finder the
 * CLI, the BullMQ worker and its processor share.
 *
 * @module ProjectRoot
 */
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"

/** The nearest folder above the file `from` with a package.json, not `dist/`; else the working directory. */
export const projectRoot = (from: string): string => {
  let dir = dirname(from)
  while (!existsSync(join(dir, "package.json")) || dir.endsWith("dist")) {
    const up = dirname(dir)
    if (up === dir) return process.cwd()
    dir = up
  }
  return dir
}
