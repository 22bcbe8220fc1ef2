/**
 * What `bin/pipeline.mjs` runs first: answers help, the version, mistyped verbs and flags
 * (`Usage.ts`) and, from the catalog (`Catalog.ts`), `pipeline list`, without loading Effect or the
 * pipeline registry; returns the exit code, or `undefined` to hand the command line to `main.ts`.
 *
 * @module Front
 */
import * as Catalog from "./Catalog.js"
import { decide, EXIT, useColour } from "./Usage.js"

/** Answers `args` if it can (returning the exit code); `undefined`: run the full CLI. */
export const frontDoor = (
  args: ReadonlyArray<string>,
  options: { readonly root: string; readonly registry: string }
): number | undefined => {
  const decision = decide(args, { root: options.root, colour: useColour(process.stdout) })
  if (decision._tag === "Print") {
    ;(decision.stderr ? process.stderr : process.stdout).write(decision.text)
    return decision.exit
  }
  if (decision.verb === "list" && process.env.PIPELINE_CATALOG !== "0") {
    const listing = Catalog.load(options.root, options.registry)
    if (listing !== undefined) {
      process.stdout.write(Catalog.render(listing, args.includes("--json")))
      return EXIT.ok
    }
  }
  return undefined
}
