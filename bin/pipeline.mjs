#!/usr/bin/env node
// The `pipeline` command. Runs the compiled JavaScript in dist/ (Node 20 starts it in a fraction of
// the time tsx needs), rebuilding it first when a TypeScript source under src/, stages/ or
// pipelines/ is newer than the last build. The front door (src/cli/Front.ts) answers help, the
// version, mistyped commands and `list` without loading Effect; the pipeline registry is imported
// only when a command needs it: an unchanged `run` is served from the warm-run memo without it.
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { build, isStale, root } from "./build.mjs"

if (isStale()) {
  process.stderr.write("pipeline: sources changed since the last build; compiling…\n")
  build({ quiet: true })
}
const registry = pathToFileURL(join(root, "dist", "pipelines", "index.js")).href
const { frontDoor } = await import(pathToFileURL(join(root, "dist", "src", "cli", "Front.js")).href)
const answered = frontDoor(process.argv.slice(2), { root, registry })
if (answered !== undefined) process.exitCode = answered
else {
  const { main } = await import(pathToFileURL(join(root, "dist", "src", "cli", "main.js")).href)
  main(process.argv, { registry })
}
