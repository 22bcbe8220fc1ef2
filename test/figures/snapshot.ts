/**
 * SVG snapshots in `__snapshots__/NAME.svg`, as d3-axis's `test/snapshot-test.js` does: a
 * missing snapshot is written when not in CI (`CI !== "true"`) and is a failure in CI.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { assert } from "vitest"

export const snapshotPath = (name: string): string =>
  fileURLToPath(new URL(`./__snapshots__/${name}.svg`, import.meta.url))

/** Compare `actual` with the stored snapshot `name`, writing it first if it is missing outside CI. */
export const matchSnapshot = (name: string, actual: string): void => {
  const file = snapshotPath(name)
  if (!existsSync(file)) {
    if (process.env.CI === "true") assert.fail(`missing snapshot ${file}: run the tests outside CI to write it`)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
    return
  }
  const expected = readFileSync(file, "utf8")
  // compare as strings first for a short message; the assertion below shows the diff
  if (actual !== expected) assert.strictEqual(actual, expected, `SVG differs from snapshot ${name}.svg`)
}
