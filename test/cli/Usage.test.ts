/**
 * The front door (src/cli/Usage.ts): help texts, did-you-mean, the exit codes, colour, the version;
 * and that its table of verbs and flags is the one @effect/cli parses (they cannot drift).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import { assert, describe, it } from "vitest"
import { command } from "../../src/cli/main.js"
import { decide, EXIT, mainHelp, stripAnsi, useColour, verbHelp, verbs, version } from "../../src/cli/Usage.js"
import { closest } from "../../src/engine/Suggest.js"
import { repoRoot } from "../helpers/cli.js"

const options = { root: repoRoot, colour: false }
const printed = (args: ReadonlyArray<string>) => {
  const d = decide(args, options)
  if (d._tag !== "Print") throw new Error(`expected the front door to answer ${args.join(" ")}`)
  return d
}

describe("the front door", () => {
  it("answers a mistyped verb with the closest one, exit 2", () => {
    const d = printed(["rn", "estimation"])
    assert.strictEqual(d.exit, 2)
    assert.isTrue(d.stderr)
    assert.include(d.text, 'unknown command "rn". Did you mean "run"?')
    assert.include(printed(["stauts"]).text, 'Did you mean "status"?')
  })

  it("answers a mistyped flag with the verb's closest flag, exit 2", () => {
    const d = printed(["run", "estimation", "--sett", "trainTrials=2"])
    assert.strictEqual(d.exit, EXIT.usage)
    assert.include(d.text, "`pipeline run` has no option --sett. Did you mean --set?")
    // A runner flag does not exist on list: it is refused there.
    assert.include(printed(["list", "--executor", "local"]).text, "`pipeline list` has no option --executor")
  })

  it("refuses a missing or an extra argument, naming the usage", () => {
    assert.include(printed(["run"]).text, "`pipeline run` needs NAME: pipeline run NAME [options]")
    assert.include(printed(["list", "estimation"]).text, 'takes no arguments; got also "estimation"')
  })

  it("passes a well-formed command line on, with its verb", () => {
    assert.deepEqual(decide(["run", "estimation", "--set", "seed=3", "--set=sigma=0.3", "--json"], options), {
      _tag: "Pass",
      verb: "run"
    })
    assert.deepEqual(decide(["params", "estimation", "classification"], options), { _tag: "Pass", verb: "params" })
    assert.deepEqual(decide(["--completions", "bash"], options), { _tag: "Pass", verb: undefined })
  })

  it("prints the version of package.json", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }
    assert.strictEqual(printed(["--version"]).text, `${pkg.version}\n`)
    assert.strictEqual(version(repoRoot), pkg.version)
    assert.include(mainHelp(repoRoot), `pipeline ${pkg.version}`)
  })

  it("has real help: every verb, option and argument described, no library placeholders, the exit codes", () => {
    const main = printed(["--help"]).text
    for (const v of verbs) assert.match(main, new RegExp(`^  ${v.name} +\\S`, "m"), v.name)
    assert.include(main, "Exit codes:")
    for (const code of ["0", "1", "2", "130"]) assert.match(main, new RegExp(`^  ${code} +\\S`, "m"))
    for (const v of verbs) {
      const help = printed([v.name, "--help"]).text
      assert.strictEqual(help, verbHelp(v))
      assert.include(help, `Usage: pipeline ${v.name}`)
      assert.notInclude(help, "user-defined piece of text")
      assert.notInclude(help, "$ ")
      for (const f of v.flags) assert.include(help, `--${f.name}`)
      assert.isAbove(v.examples.length, 0, `${v.name} has an example`)
    }
  })

  it("colours only a terminal, and never with NO_COLOR", () => {
    assert.isFalse(useColour({ isTTY: false }, {}))
    assert.isFalse(useColour({}, {}))
    assert.isTrue(useColour({ isTTY: true }, {}))
    assert.isFalse(useColour({ isTTY: true }, { NO_COLOR: "1" }))
    assert.isFalse(useColour({ isTTY: true }, { TERM: "dumb" }))
    const coloured = verbHelp(verbs[0]!, true)
    assert.notStrictEqual(coloured, verbHelp(verbs[0]!, false))
    assert.strictEqual(stripAnsi(coloured), verbHelp(verbs[0]!, false))
  })

  it("knows exactly the flags @effect/cli parses, verb by verb", () => {
    const tree = command({ url: "file:///nonexistent-registry.js" })
    const text = stripAnsi(HelpDoc.toAnsiText(Command.getHelp(tree, CliConfig.defaultConfig)))
    const parsed = new Map<string, Set<string>>()
    for (const m of text.matchAll(/^\s+- (\w+) (.*)$/gm)) {
      // The usage, before the description (which may quote other flags).
      const usage = m[2]!.split(/\s{2,}/)[0]!
      parsed.set(m[1]!, new Set([...usage.matchAll(/--([a-z-]+)/g)].map((f) => f[1]!)))
    }
    assert.deepEqual([...parsed.keys()].sort(), verbs.map((v) => v.name).sort())
    for (const v of verbs) {
      assert.deepEqual(
        [...parsed.get(v.name)!].sort(),
        v.flags.map((f) => f.name).sort(),
        `pipeline ${v.name}: Usage.ts and the @effect/cli command disagree`
      )
    }
  })
})

describe("did-you-mean", () => {
  it("finds typos and prefixes, nothing far", () => {
    assert.deepEqual(closest("estimaton", ["estimation", "classification"]), ["estimation"])
    assert.deepEqual(closest("sigmaa", ["sigma", "seed", "N"]), ["sigma"])
    assert.deepEqual(closest("compare", ["compare-rules", "noise-sweep"]), ["compare-rules"])
    assert.deepEqual(closest("xyz", ["estimation", "classification"]), [])
  })
})
