/**
 * test/helpers/reference.ts: a test that needs the shared reference is skipped where it is missing,
 * except under CI=true, where it fails.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import { needsReference } from "./reference.js"

const dir = mkdtempSync(join(tmpdir(), "reference-helper-"))
const present = join(dir, "present.json")
writeFileSync(present, "{}")
const missing = join(dir, "absent", "vectors")

describe("needsReference", () => {
  it("runs the tests when every path exists, silently", () => {
    const warnings: Array<string> = []
    assert.isTrue(needsReference([present, dir], { CI: "true" }, (m) => warnings.push(m)))
    assert.isTrue(needsReference([present], {}, (m) => warnings.push(m)))
    assert.deepStrictEqual(warnings, [])
  })

  it("skips locally, saying what is missing", () => {
    const warnings: Array<string> = []
    assert.isFalse(needsReference([present, missing], {}, (m) => warnings.push(m)))
    assert.strictEqual(warnings.length, 1)
    assert.include(warnings[0], missing)
    assert.notInclude(warnings[0], present)
    // Only CI=true turns the skip into a failure.
    assert.isFalse(needsReference([missing], { CI: "false" }, () => {}))
    assert.isFalse(needsReference([missing], { CI: "1" }, () => {}))
  })

  it("fails under CI=true, naming the missing path", () => {
    const warnings: Array<string> = []
    assert.throws(
      () => needsReference([present, missing], { CI: "true" }, (m) => warnings.push(m)),
      new RegExp(`missing ${missing.replaceAll("/", "\\/")}.*CI=true`)
    )
    assert.deepStrictEqual(warnings, [])
  })
})
