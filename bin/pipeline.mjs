#!/usr/bin/env node
import { join } from "node:path"
// The `pipeline` command. Runs the compiled JavaScript in dist/ (Node 20 starts it in a fraction of
// the time tsx needs), rebuilding it first when a TypeScript source under src/, stages/ or
// pipelines/ is newer than the last build. A `run` whose sources, arguments and cache entries are
// unchanged since the last identical run is served from the warm-run memo before the pipeline
// registry (and everything it imports) is loaded.
import { pathToFileURL } from "node:url"
import { build, isStale, root } from "./build.mjs"

if (isStale()) {
  process.stderr.write("pipeline: sources changed since the last build; compiling…\n")
  build({ quiet: true })
}
const registry = pathToFileURL(join(root, "dist", "pipelines", "index.js")).href
const { tryWarmRun } = await import(pathToFileURL(join(root, "dist", "src", "cli", "warm.js")).href)
if (!(await tryWarmRun(root, process.argv))) {
  const { main } = await import(pathToFileURL(join(root, "dist", "src", "cli", "main.js")).href)
  const { pipelines } = await import(registry)
  main(pipelines, process.argv, { registry })
}
