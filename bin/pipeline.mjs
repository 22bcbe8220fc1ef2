#!/usr/bin/env node
// The `pipeline` command. Runs the compiled JavaScript in dist/ (Node 20 starts it in a fraction of
// the time tsx needs), rebuilding it first when a TypeScript source under src/, stages/ or
// pipelines/ is newer than the last build. The front door (src/cli/Front.ts) answers help, the
// version, mistyped commands and `list` without loading Effect; the pipeline registry is imported
// only when a command needs it: an unchanged `run` is served from the warm-run memo without it.
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { build, isStale, root } from "./build.mjs"

if (isStale()) {
  process.stderr.write("pipeline: sources changed since the last build; compiling…\n")
  build({ quiet: true })
}
const registry = pathToFileURL(join(root, "dist", "pipelines", "index.js")).href
/**
 * A compiled module, or, when dist/ lacks a file (deleted by hand, a copy cut short), a full build
 * and this command again in a new process (the failed import stays cached in this one).
 */
const load = async (file) => {
  try {
    return await import(pathToFileURL(join(root, "dist", ...file)).href)
  } catch (e) {
    if (e?.code !== "ERR_MODULE_NOT_FOUND" || !String(e.message).includes(join(root, "dist"))) throw e
    process.stderr.write(`pipeline: dist/ is incomplete (${e.message.split("\n")[0]}); rebuilding\n`)
    build({ quiet: true })
    const again = spawnSync(process.execPath, process.argv.slice(1), { stdio: "inherit" })
    process.exit(again.status ?? 1)
  }
}
const { frontDoor } = await load(["src", "cli", "Front.js"])
const answered = frontDoor(process.argv.slice(2), { root, registry })
if (answered !== undefined) process.exitCode = answered
else {
  const { main } = await load(["src", "cli", "main.js"])
  main(process.argv, { registry })
}
