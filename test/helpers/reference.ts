/**
 * The shared reference folder (`<repo>/../shared/reference`, outside the repository) for the tests
 * that read it. Such a test file gates its tests with {@link needsReference}: where a file it needs
 * is missing, its tests are skipped locally, with a message naming what is missing, but fail under
 * CI (`CI=true`, which .ci/run sets), so that CI never passes by skipping them.
 *
 *   describe.skipIf(!needsReference([defaultVectorsDir]))("conformance", () => { … })
 */
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"

export const referenceDir = resolve(import.meta.dirname, "../../../shared/reference")
export const referencePretrained = join(referenceDir, "pretrained-estimation.json")
export const referenceFullRuns = join(referenceDir, "full-runs")

/**
 * Whether every path exists. When one is missing: under `CI=true` throws (the test file fails, with
 * the missing paths in the message); otherwise warns and returns false (skip the tests).
 */
export function needsReference(
  paths: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  warn: (message: string) => void = console.warn
): boolean {
  const missing = paths.filter((path) => !existsSync(path))
  if (missing.length === 0) return true
  const what = `the shared reference is missing ${missing.join(", ")}`
  if (env.CI === "true") {
    throw new Error(
      `${what}. Under CI=true the tests that need it fail instead of being skipped: put the reference folder at ${referenceDir}.`
    )
  }
  warn(`${what}; skipping the tests that need it (under CI=true they fail).`)
  return false
}
