/**
 * What the compiler erases cannot change what a stage computes: a file reached only through
 * `import type …` (or `export type … from`) is not part of a fingerprint. Under
 * `verbatimModuleSyntax` everything else is emitted and runs, even `import { type M } from "./m.js"`
 * (emitted as `import {} from "./m.js"`, which loads and runs m.js): that file is covered.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe } from "vitest"
import * as Fingerprint from "../../src/engine/Fingerprint.js"
import { engineLayer, root, tempDir } from "./helpers.js"

describe("fingerprints and type-only imports", () => {
  it.live("follow what runs: value imports and inline `type` specifiers, not `import type`", () =>
    Effect.gen(function* () {
      const dir = tempDir("types")
      mkdirSync(join(dir, "lib"))
      writeFileSync(join(dir, "lib/types.ts"), "export interface Shape { n: number }\n")
      writeFileSync(join(dir, "lib/mixed.ts"), "export interface M { a: number }\n")
      writeFileSync(join(dir, "lib/value.ts"), "export const value = 1\n")
      writeFileSync(
        join(dir, "stage.ts"),
        [
          'import type { Shape } from "./lib/types.js"',
          'import { type M } from "./lib/mixed.js"',
          'import { value } from "./lib/value.js"',
          "export const f = (s: Shape, m: M) => s.n + m.a + value",
          ""
        ].join("\n")
      )
      const cache = tempDir("types-cache")
      const fp = yield* Effect.gen(function* () {
        const fingerprinter = yield* Fingerprint.make({ root, memoPath: join(cache, ".fingerprints.json") })
        return yield* fingerprinter.of(pathToFileURL(join(dir, "stage.ts")).href)
      }).pipe(Effect.provide(engineLayer(cache)))
      const files = fp.files.map((f) => f.path.replace(/\\/g, "/"))
      assert.isTrue(
        files.some((f) => f.endsWith("lib/value.ts")),
        files.join(", ")
      )
      assert.isFalse(
        files.some((f) => f.endsWith("lib/types.ts")),
        files.join(", ")
      )
      assert.isTrue(
        files.some((f) => f.endsWith("lib/mixed.ts")),
        files.join(", ")
      )
    })
  )
})
