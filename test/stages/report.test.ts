/**
 * Issue #18 §2, the report as data: each figure is its own cached node, keyed by its spec's module,
 * so editing one caption reruns that figure and the report and nothing else; editing a drawing
 * function reruns the figures that draw with it and the report; the report's sections follow the
 * paper's story whatever order the nodes finish in.
 *
 * The edits are made on a copy of the project (the same files, node_modules linked), planned in a
 * child process before and after (planning computes every key from the files on disk).
 */
import { spawnSync } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { experiments } from "../../stages/experiments/index.js"
import { sectionsOf } from "../../stages/report.js"
import { root } from "../engine/helpers.js"

const small = ["trainTrials=2", "testTrials=2", "trialSeconds=5", "switchSeconds=1"]

describe("the report as data: one node per figure", () => {
  let copy = ""
  const keys = (): Record<string, string> => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", join(copy, "test/stages/fixtures/planKeys.ts"), "estimation", join(copy, "cache"), ...small],
      { cwd: copy, encoding: "utf8" }
    )
    assert.strictEqual(r.status, 0, r.stderr)
    return JSON.parse(r.stdout)
  }
  const edit = (file: string, from: string, to: string) => {
    const path = join(copy, file)
    const text = readFileSync(path, "utf8")
    assert.include(text, from, `${file} holds the text to edit`)
    writeFileSync(path, text.replace(from, to))
  }
  const changed = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a)
      .filter((n) => a[n] !== b[n])
      .sort()

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), "report-as-data-"))
    for (const entry of ["package.json", "package-lock.json", "tsconfig.json", "src", "stages", "pipelines"]) {
      cpSync(join(root, entry), join(copy, entry), { recursive: true })
    }
    for (const entry of ["test/engine/helpers.ts", "test/stages/fixtures"]) {
      cpSync(join(root, entry), join(copy, entry), { recursive: true })
    }
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"))
  })
  afterAll(() => rmSync(copy, { recursive: true, force: true }))

  it("a caption edit reruns that figure and the report; a drawing edit the figures drawn with it", {
    timeout: 300_000
  }, () => {
    const before = keys()
    const figures = Object.keys(before).filter((n) => n.startsWith("figure-"))
    assert.strictEqual(figures.length, experiments.estimation.figures.length)

    // The caption (a comment-only edit would rerun nothing).
    edit(
      "src/report/figures/tuningCurves.ts",
      "neurons spread over the preferred angles${",
      "neurons spread across the preferred angles${"
    )
    const caption = keys()
    assert.deepStrictEqual(changed(before, caption), ["figure-tuning-curves", "report"])

    // radialBias.ts draws only the radial-bias figure.
    edit("src/figures/radialBias.ts", `.attr("stroke-width", 1.8)`, `.attr("stroke-width", 2)`)
    const drawing = keys()
    assert.deepStrictEqual(changed(caption, drawing), ["figure-radial-bias", "report"])

    // The analysis of the estimate reruns the analyses and everything after them, never a test.
    edit("src/analysis/tasks/estimation.ts", "perAngle: 150", "perAngle: 151")
    const analysis = keys()
    const after = changed(drawing, analysis)
    assert.includeMembers(after, ["analyze", "analyze-initial", "metrics", "plot", "report", ...figures])
    assert.notInclude(after, "test")
    assert.notInclude(after, "train")
  })
})

describe("the report's sections", () => {
  it("follow the story (learning, behaviour, code, model) whatever order the figures come in", () => {
    const figures = [
      { section: "Model", id: "fi" },
      { section: "Code: noise", id: "noise" },
      { section: "Learning", id: "objective" },
      { section: "Behaviour", id: "trace" },
      { section: "Code: tuning", id: "tuning" },
      { section: "Learning", id: "training-trace" }
    ]
    const sections = sectionsOf(figures)
    assert.deepStrictEqual(
      sections.map((s) => s.heading),
      ["Learning", "Behaviour", "Code: tuning", "Code: noise", "Model"]
    )
    assert.deepStrictEqual(
      sections[0]!.figures.map((f) => f.id),
      ["objective", "training-trace"]
    )
  })

  it("every task lists its figures once, each in a known section, with an own module", () => {
    for (const experiment of Object.values(experiments)) {
      const ids = experiment.figures.map((f) => f.id)
      assert.strictEqual(new Set(ids).size, ids.length, `${experiment.id}: figure ids are unique`)
      for (const f of experiment.figures) assert.match(f.module, /src\/report\/figures\/\w+\.ts$/, f.id)
    }
  })
})
