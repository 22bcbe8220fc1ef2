/**
 * gc and live runs (issue #22, F10), and gc's command line: a running run is registered with a
 * heartbeat, and gc keeps every key of its plan (those served and those still to be written), so
 * a gc during a run (even `--keep-runs 0`) cannot make it fail; once the run is over, the same gc
 * removes them. `--keep-runs` must be ≥ 0; without a terminal gc refuses to remove unless `--yes`.
 */

import { spawnSync } from "node:child_process"
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe } from "vitest"
import * as Canonical from "../../src/engine/Canonical.js"
import { compiledCli, startCompiledCli } from "./compiledCli.js"
import { mixed, slow } from "./fixtures/pipelines.js"
import { plan, run, tempDir } from "./helpers.js"

const entriesIn = (cache: string) => readdirSync(cache).filter((n) => /^[0-9a-f]{64}$/.test(n))

/** Polls `predicate` every 20 ms for at most a minute. */
const until = (predicate: () => boolean) =>
  Effect.promise(async () => {
    const t0 = Date.now()
    while (!predicate()) {
      if (Date.now() - t0 > 60_000) return false
      await new Promise((r) => setTimeout(r, 20))
    }
    return true
  })

interface GcJson {
  readonly removed: ReadonlyArray<string>
  readonly removedOutputs: ReadonlyArray<string>
  readonly keptOutputs: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<string>
  readonly keptEntries: ReadonlyArray<{ key: string; reasons: ReadonlyArray<string> }>
  readonly live: ReadonlyArray<{ id: string; pipeline: string; why: string }>
}

describe("gc during a run (F10)", () => {
  it.live("gc --keep-runs 0 while a run is in progress removes none of its keys; the run finishes", () =>
    Effect.gen(function* () {
      const cache = tempDir("gc-live")
      const out = tempDir("gc-live-out")
      const sets = ["--set", "seed=9"]
      const keys = (yield* plan(mixed, ["seed=9"], cache)).nodes.map((n) => n.key)
      const slowKey = (yield* plan(mixed, ["seed=9"], cache)).nodes.find((n) => n.name === "slow")!.key
      const gateFile = join(tempDir("gate"), "closed")
      writeFileSync(gateFile, "")
      const running = startCompiledCli(["run", "mixed", "--cache", cache, "--json", ...sets], {
        TOY_GATE: gateFile,
        PIPELINE_OUT: out
      })
      // Held after slow's first checkpoint, every other stage committed (served to `sum` already).
      assert.isTrue(
        yield* until(
          () =>
            entriesIn(cache).length === keys.length - 1 &&
            existsSync(join(cache, ".checkpoints", slowKey)) &&
            readdirSync(join(cache, ".checkpoints", slowKey)).some((n) => n.startsWith("ckpt-"))
        ),
        running.output()
      )
      const dry = yield* Effect.promise(() =>
        compiledCli(["gc", "--cache", cache, "--keep-runs", "0", "--dry-run", "--json"])
      )
      assert.strictEqual(dry.code, 0, dry.stderr)
      const preview = JSON.parse(dry.stdout) as GcJson
      assert.strictEqual(preview.live.length, 1, dry.stdout)
      assert.match(preview.live[0]!.why, new RegExp(`^pid \\d+ on ${hostname()}, heartbeat \\d+ s ago$`))
      for (const e of preview.keptEntries) {
        assert.isTrue(
          e.reasons.some((r) => r.startsWith("live run ")),
          `${e.key} is kept by the live run: ${JSON.stringify(e)}`
        )
      }
      const gc = yield* Effect.promise(() =>
        compiledCli(["gc", "--cache", cache, "--keep-runs", "0", "--yes", "--json"])
      )
      assert.strictEqual(gc.code, 0, gc.stderr)
      const removed = (JSON.parse(gc.stdout) as GcJson).removed
      for (const key of keys) assert.notInclude(removed, join(cache, key), `gc removed ${key}: ${gc.stdout}`)
      assert.strictEqual(entriesIn(cache).length, keys.length - 1)
      rmSync(gateFile)
      const end = yield* Effect.promise(() => running.done)
      assert.strictEqual(end.code, 0, end.stderr)
      assert.isTrue(existsSync(join(out, "mixed", "latest", "report.txt")), "published")
      assert.deepStrictEqual(readdirSync(join(cache, ".live")), [], "the run's registration ended with it")

      // Over: nothing keeps the seed-9 entries (but `other`, which the defaults reach) any more.
      const after = yield* Effect.promise(() =>
        compiledCli(["gc", "--cache", cache, "--keep-runs", "0", "--yes", "--json"])
      )
      assert.strictEqual(after.code, 0, after.stderr)
      const defaults = new Set((yield* plan(mixed, [], cache)).nodes.map((n) => n.key))
      assert.sameMembers(
        entriesIn(cache),
        keys.filter((k) => defaults.has(k))
      )
    })
  )

  it.live("a registration whose process is gone keeps nothing; the unfinished run's record keeps its plan", () =>
    Effect.gen(function* () {
      const cache = tempDir("gc-dead")
      const sets = ["trials=3", "length=50", "sleepMs=0"]
      const done = yield* run(slow, sets, cache)
      const key = done.plan.nodes[0]!.key
      rmSync(join(cache, ".runs"), { recursive: true })
      // A registration left by a run killed -9 (its pid is gone), for a key nothing else keeps.
      const dead = spawnSync(process.execPath, ["-e", ""]).pid!
      mkdirSync(join(cache, ".live"), { recursive: true })
      const registration = {
        version: 1,
        id: "20261206-000000-1-dead",
        pipeline: "slow",
        host: hostname(),
        pid: dead,
        startedAt: new Date().toISOString(),
        heartbeatAt: new Date().toISOString(),
        keys: [key]
      }
      writeFileSync(
        join(cache, ".live", `${registration.id}.json`),
        JSON.stringify({ ...registration, $checksum: Canonical.digest(registration) })
      )
      const gc = yield* Effect.promise(() =>
        compiledCli(["gc", "--cache", cache, "--keep-runs", "0", "--yes", "--json"])
      )
      assert.strictEqual(gc.code, 0, gc.stderr)
      const report = JSON.parse(gc.stdout) as GcJson
      assert.deepStrictEqual(report.live, [])
      assert.include(report.removed, join(cache, ".live", `${registration.id}.json`))
      assert.include(report.removed, join(cache, key), "nothing kept the entry")
    })
  )
})

describe("gc's command line", () => {
  it.live("--keep-runs -1 is refused with a clear message; without a terminal gc refuses unless --yes", () =>
    Effect.gen(function* () {
      const cache = tempDir("gc-cli")
      yield* run(slow, ["trials=2", "length=10", "sleepMs=0"], cache)
      const negative = yield* Effect.promise(() => compiledCli(["gc", "--cache", cache, "--keep-runs", "-1"]))
      assert.strictEqual(negative.code, 2, "a bad value on the command line")
      assert.include(negative.stderr, "--keep-runs must be a whole number ≥ 0")
      const before = entriesIn(cache).length
      const asked = yield* Effect.promise(() => compiledCli(["gc", "--cache", cache, "--keep-runs", "0"]))
      assert.strictEqual(asked.code, 1, asked.stderr)
      assert.include(asked.stderr, "stdin is not a terminal")
      assert.include(asked.stderr, "--yes")
      assert.strictEqual(entriesIn(cache).length, before, "nothing removed")
      const dry = yield* Effect.promise(() => compiledCli(["gc", "--cache", cache, "--keep-runs", "0", "--dry-run"]))
      assert.strictEqual(dry.code, 0, dry.stderr)
      assert.match(dry.stdout, /^would remove \d+ entries and leftovers/)
      assert.strictEqual(entriesIn(cache).length, before, "a dry run removes nothing")
      const yes = yield* Effect.promise(() => compiledCli(["gc", "--cache", cache, "--keep-runs", "0", "--yes"]))
      assert.strictEqual(yes.code, 0, yes.stderr)
      assert.isBelow(entriesIn(cache).length, before)
    })
  )

  it.live(
    "--outputs removes the published folders of the runs gc drops, never the one latest names; without it they stay",
    () =>
      Effect.gen(function* () {
        const cache = tempDir("gc-outputs")
        const out = tempDir("gc-outputs-out")
        const ids: Array<string> = []
        for (const seed of [1, 2, 3]) {
          const r = yield* Effect.promise(() =>
            compiledCli(["run", "mixed", "--cache", cache, "--json", "--set", `seed=${seed}`], { PIPELINE_OUT: out })
          )
          assert.strictEqual(r.code, 0, r.stderr)
          ids.push(readlinkSync(join(out, "mixed", "latest")))
        }
        const folders = () => readdirSync(join(out, "mixed")).filter((n) => !n.startsWith("latest"))
        assert.sameMembers(folders(), ids, "one folder per run")
        assert.strictEqual(new Set(ids).size, 3, "three runs, three folders")
        // The user points latest at the first run: it must survive although its record is dropped.
        const link = join(out, "mixed", "latest")
        symlinkSync(ids[0]!, `${link}.new`)
        renameSync(`${link}.new`, link)
        const folderOf = (id: string) => join(out, "mixed", id)

        const dry = yield* Effect.promise(() =>
          compiledCli(["gc", "--cache", cache, "--keep-runs", "1", "--dry-run", "--json"])
        )
        assert.strictEqual(dry.code, 0, dry.stderr)
        const preview = JSON.parse(dry.stdout) as GcJson
        assert.deepStrictEqual(preview.removedOutputs, [])
        assert.deepStrictEqual(preview.keptOutputs, [folderOf(ids[1]!)], "the dropped run latest does not name")

        const without = yield* Effect.promise(() => compiledCli(["gc", "--cache", cache, "--keep-runs", "1", "--yes"]))
        assert.strictEqual(without.code, 0, without.stderr)
        assert.include(without.stdout, "kept the 1 published folder(s) of the dropped runs")
        assert.sameMembers(folders(), ids, "without --outputs, no published folder is removed")

        // The records gc dropped are gone: run two more, then drop them with --outputs.
        for (const seed of [4, 5]) {
          const r = yield* Effect.promise(() =>
            compiledCli(["run", "mixed", "--cache", cache, "--json", "--set", `seed=${seed}`], { PIPELINE_OUT: out })
          )
          assert.strictEqual(r.code, 0, r.stderr)
          ids.push(readlinkSync(join(out, "mixed", "latest")))
        }
        symlinkSync(ids[0]!, `${link}.new`)
        renameSync(`${link}.new`, link)
        const gc = yield* Effect.promise(() =>
          compiledCli(["gc", "--cache", cache, "--keep-runs", "1", "--outputs", "--yes", "--json"])
        )
        assert.strictEqual(gc.code, 0, gc.stderr)
        const report = JSON.parse(gc.stdout) as GcJson
        // Records left before: run 3 (kept by --keep-runs 1 then), 4 and 5; gc keeps 5's, drops 3's and 4's.
        assert.sameMembers([...report.removedOutputs], [folderOf(ids[2]!), folderOf(ids[3]!)])
        assert.sameMembers(folders(), [ids[0]!, ids[1]!, ids[4]!], "latest's folder, the orphan of run 2, the kept run")
        assert.isTrue(existsSync(join(link, "report.txt")), "latest still opens")
      })
  )
})
