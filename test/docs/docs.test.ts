/**
 * Docs that cannot drift (issue #20 item 8): every `pipeline …` command quoted in README.md and
 * docs/*.md is checked, and every output quoted is produced again and compared.
 *
 * - A quoted output is marked: `<!-- $ pipeline ARGS [(exit N)] [(stderr)] -->`, the output (a
 *   fenced block, or Markdown such as the params table), `<!-- end -->`. The command is run with
 *   bin/pipeline.mjs on a fresh cache; every non-empty line of the quote must appear, in order,
 *   among the lines printed (stdout then stderr; `(stderr)`: stderr only), whitespace runs
 *   collapsed and `…` matching anything; the exit code must be N (default 0).
 * - Every other command in a code block or an inline code span is checked without running it: a
 *   synopsis (with placeholders such as NAME or `[--set …]`) names a command and options that
 *   exist; a concrete command line passes the front door (command, options, arguments), names a
 *   pipeline or committed sweep that exists, and its `--set` values decode with the pipeline's
 *   params Schema and its `--sweep` keys are params.
 * - A YAML block quoting a committed sweep file (its first line) is that file, byte for byte.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { afterAll, assert, describe, it } from "vitest"
import { registry } from "../../pipelines/index.js"
import { decide, verbs } from "../../src/cli/Usage.js"
import * as Params from "../../src/engine/Params.js"
import * as Sweep from "../../src/engine/Sweep.js"
import { cliEnv, pipeline, repoRoot, tempDir } from "../helpers/cli.js"

const docs = [
  "README.md",
  ...readdirSync(join(repoRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`)
]
const text = new Map(docs.map((d) => [d, readFileSync(join(repoRoot, d), "utf8")]))

/** A quoted output: the command, its exit code, which stream, and the quote. */
interface Quoted {
  readonly doc: string
  readonly args: ReadonlyArray<string>
  readonly exit: number
  readonly stderrOnly: boolean
  readonly expected: ReadonlyArray<string>
}

const quoted: Array<Quoted> = []
for (const [doc, md] of text) {
  for (const m of md.matchAll(/<!-- \$ pipeline (.*?) -->\n([\s\S]*?)<!-- end -->/g)) {
    let spec = m[1]!
    const exit = /\(exit (\d+)\)/.exec(spec)
    const stderrOnly = spec.includes("(stderr)")
    spec = spec.replace(/\((exit \d+|stderr)\)/g, "").trim()
    const body = m[2]!.replace(/^```\w*\n/, "").replace(/\n```\s*$/, "")
    quoted.push({
      doc,
      args: spec.split(/\s+/),
      exit: exit === null ? 0 : Number(exit[1]),
      stderrOnly,
      expected: body.split("\n").filter((l) => l.trim() !== "")
    })
  }
}

/** Every `pipeline …` command line in code: fenced blocks' lines and inline code spans. */
const commands: Array<{ readonly doc: string; readonly line: string }> = []
for (const [doc, md] of text) {
  const withoutQuotes = md.replace(/<!-- \$[\s\S]*?<!-- end -->/g, "")
  // Fenced blocks, line by line (a fence opens with its language, or none, and closes bare).
  let fence: string | undefined
  const proseLines: Array<string> = []
  // A line ending in a backslash continues on the next.
  for (const raw of withoutQuotes.replace(/\\\n\s*/g, " ").split("\n")) {
    const opening = /^\s*```(\w*)\s*$/.exec(raw)
    if (opening !== null) {
      fence = fence === undefined ? opening[1]! : undefined
      continue
    }
    if (fence === undefined) {
      proseLines.push(raw)
      continue
    }
    if (!["sh", "bash", "console", ""].includes(fence)) continue
    const m = /^\s*(?:\$ )?(?:npx |node bin\/)?pipeline(?:\.mjs)? (.*)$/.exec(raw)
    if (m !== null)
      commands.push({
        doc,
        line: m[1]!
          .replace(/\s+#.*$/, "")
          .replace(/\s{2,}\S.*$/, "")
          .trim()
      })
  }
  const prose = proseLines.join("\n")
  // Code spans are the odd pieces between backticks, within a paragraph.
  for (const paragraph of prose.split(/\n\s*\n/)) {
    paragraph.split("`").forEach((piece, i) => {
      const m = /^(?:npx )?pipeline ([a-z].*)$/s.exec(piece)
      if (i % 2 === 1 && m !== null) commands.push({ doc, line: m[1]!.replace(/\s+/g, " ").trim() })
    })
  }
}

/** A synopsis rather than a command: placeholders, alternatives or optional parts. */
const isSynopsis = (line: string) => /[[\]…<>|]|\.\.\.|\b[A-Z]{1,}[A-Z_=]*\b(?!=)/.test(line.replace(/--[a-z-]+/g, ""))

const pipelineNames = new Set(registry.pipelines.map((p) => p.name))
const sweepFiles = new Map(
  readdirSync(join(repoRoot, "sweeps")).map((f) => [f.replace(/\.(ya?ml|json)$/, ""), join(repoRoot, "sweeps", f)])
)

/** The pipeline a NAME runs (a sweep file's own pipeline). */
const pipelineOf = async (name: string) => {
  if (pipelineNames.has(name)) return registry.pipelines.find((p) => p.name === name)
  const file = sweepFiles.get(name)
  if (file === undefined) return undefined
  const parsed = await Effect.runPromise(Sweep.parseFile(readFileSync(file, "utf8"), file))
  return registry.pipelines.find((p) => p.name === parsed.pipeline)
}

describe("commands quoted in the docs", () => {
  it("were found (the extraction works)", () => {
    assert.isAbove(commands.length, 30)
    assert.isAbove(quoted.length, 4)
  })

  it("every synopsis names a command and options that exist", () => {
    for (const { doc, line } of commands.filter((c) => isSynopsis(c.line))) {
      const verb = verbs.find((v) => v.name === line.split(/\s+/)[0])
      assert.isDefined(verb, `${doc}: \`pipeline ${line}\`: no such command`)
      for (const f of line.matchAll(/--([a-z-]+)/g)) {
        assert.isTrue(
          verb!.flags.some((x) => x.name === f[1]) || ["help", "completions", "version"].includes(f[1]!),
          `${doc}: \`pipeline ${line}\`: ${verb!.name} has no --${f[1]}`
        )
      }
    }
  })

  it("every command line is well-formed, names what exists, and its params decode", async () => {
    const concrete = commands.filter((c) => !isSynopsis(c.line))
    assert.isAbove(concrete.length, 20)
    for (const { doc, line } of concrete) {
      const args = line.split(/\s+/)
      const where = `${doc}: \`pipeline ${line}\``
      if (args.length === 1) {
        // A command named in prose (`pipeline runs lists …`).
        assert.isDefined(
          verbs.find((v) => v.name === args[0]),
          `${where}: no such command`
        )
        continue
      }
      const d = decide(args, { root: repoRoot, colour: false })
      if (d._tag === "Print") {
        assert.isTrue(args.includes("--help") || args[0] === "--version", `${where}: ${d.text}`)
        continue
      }
      const verb = args[0]!
      const name = args[1]
      if (!["run", "status", "dag", "show", "params", "export"].includes(verb) || name === undefined) continue
      if (name.startsWith("-")) continue
      const p = await pipelineOf(name)
      assert.isDefined(p, `${where}: no pipeline or sweep "${name}"`)
      const sets: Array<string> = []
      const swept: Array<string> = []
      args.forEach((a, i) => {
        if (a === "--set" || a === "--vs") sets.push(args[i + 1]!)
        if (a === "--sweep") swept.push(args[i + 1]!.split("=")[0]!)
      })
      const decoded = await Effect.runPromise(
        Effect.either(
          Params.parseSets(p!.params, where, sets).pipe(
            Effect.flatMap((input) => Params.decode(p!.params, where, input))
          )
        )
      )
      assert.isTrue(Either.isRight(decoded), Either.isLeft(decoded) ? decoded.left.message : "")
      for (const key of swept) assert.include(Params.propertyNames(p!.params.ast), key, `${where}: --sweep ${key}`)
    }
  })

  it("a YAML block quoting a committed sweep file is the file", () => {
    let compared = 0
    for (const [doc, md] of text) {
      for (const block of md.matchAll(/```yaml\n([\s\S]*?)```/g)) {
        const first = block[1]!.split("\n")[0]!
        for (const [name, file] of sweepFiles) {
          const content = readFileSync(file, "utf8")
          if (content.split("\n")[0] !== first) continue
          assert.strictEqual(block[1], content, `${doc} quotes sweeps/${name}.yaml`)
          compared += 1
        }
      }
    }
    assert.isAbove(compared, 0)
  })
})

describe("outputs quoted in the docs", () => {
  const root = tempDir("docs")
  const env = cliEnv(join(root, "cache"))
  afterAll(() => undefined)
  /** A quoted line as a pattern: whitespace runs collapsed, `…` matching anything. */
  const pattern = (line: string) =>
    new RegExp(
      `^${line
        .trim()
        .replace(/\s+/g, " ")
        .split("…")
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`
    )
  for (const q of quoted) {
    it(`${q.doc}: pipeline ${q.args.join(" ")}`, { timeout: 240_000 }, async () => {
      const r = await pipeline(q.args, env)
      const printed = (q.stderrOnly ? r.stderr : `${r.stdout}\n${r.stderr}`)
        .split("\n")
        .map((l) => l.trim().replace(/\s+/g, " "))
      assert.strictEqual(r.status, q.exit, `exit code\n${r.stdout}\n${r.stderr}`)
      let at = 0
      for (const line of q.expected) {
        const p = pattern(line)
        const found = printed.findIndex((l, i) => i >= at && p.test(l))
        assert.notStrictEqual(
          found,
          -1,
          `${q.doc}: this line is not printed (in order):\n${line}\n--- printed:\n${printed.join("\n")}`
        )
        at = found + 1
      }
    })
  }
})
