#!/usr/bin/env node
import { join } from "node:path"
// The `pipeline` command. Runs the compiled JavaScript in dist/ (Node 20 starts it in a fraction of
// the time tsx needs), rebuilding it first when a TypeScript source under src/, stages/ or
// pipelines/ is newer than the last build.
import { pathToFileURL } from "node:url"
import { build, isStale, root } from "./build.mjs"

if (isStale()) {
  process.stderr.write("pipeline: sources changed since the last build; compiling…\n")
  build({ quiet: true })
}
const { main } = await import(pathToFileURL(join(root, "dist", "src", "cli", "main.js")).href)
const { pipelines } = await import(pathToFileURL(join(root, "dist", "pipelines", "index.js")).href)
main(pipelines, process.argv)
