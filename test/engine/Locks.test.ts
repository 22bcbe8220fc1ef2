/**
 * Locks left behind or damaged (issue #22, F6 and F12): a lock of a dead owner is cleared by the
 * next run that meets its key, also when that run only serves the entry from the cache; anything
 * at a lock's path that is not a lock folder is moved aside, and the run goes on.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe } from "vitest"
import { toy } from "./fixtures/pipelines.js"
import { plan, run, tempDir } from "./helpers.js"

/** The pid of a process that has exited (a `kill -9`ed run's, as far as the lock can tell). */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!

const lockOf = (cache: string, key: string) => join(cache, ".locks", `${key}.lock`)

describe("locks of dead owners", () => {
  it.live("a run serving an entry from the cache clears the lock its dead writer left (F12)", () =>
    Effect.gen(function* () {
      const cache = tempDir("locks-dead")
      const first = yield* run(toy, [], cache)
      const key = first.plan.nodes.find((n) => n.name === "sum")!.key
      // What a kill -9 between the commit and the release leaves: a fresh lock folder, its owner dead.
      mkdirSync(lockOf(cache, key), { recursive: true })
      writeFileSync(
        join(lockOf(cache, key), "owner.json"),
        JSON.stringify({ host: hostname(), pid: deadPid(), token: "t" })
      )
      const again = yield* run(toy, [], cache)
      assert.strictEqual(again.status["sum"], "cached")
      assert.isFalse(existsSync(lockOf(cache, key)), "the dead owner's lock is gone")
    })
  )

  it.live("a live owner's lock, or another host's that is still fresh, is left alone", () =>
    Effect.gen(function* () {
      const cache = tempDir("locks-live")
      const first = yield* run(toy, [], cache)
      const [a, b] = first.plan.nodes.map((n) => n.key)
      for (const [key, owner] of [
        [a!, { host: hostname(), pid: process.pid, token: "x" }],
        [b!, { host: "another-machine", pid: deadPid(), token: "y" }]
      ] as const) {
        mkdirSync(lockOf(cache, key), { recursive: true })
        writeFileSync(join(lockOf(cache, key), "owner.json"), JSON.stringify(owner))
      }
      yield* run(toy, [], cache)
      assert.isTrue(existsSync(lockOf(cache, a!)), "this (live) process's lock stays")
      assert.isTrue(existsSync(lockOf(cache, b!)), "another host's fresh lock stays")
      // Stale by its mtime (not refreshed for longer than the stale period): cleared.
      const old = new Date(Date.now() - 60_000)
      utimesSync(lockOf(cache, b!), old, old)
      yield* run(toy, [], cache)
      assert.isFalse(existsSync(lockOf(cache, b!)), "the stale lock is gone")
    })
  )
})

describe("damaged locks (F6)", () => {
  for (const damage of ["a regular file", "a dangling symlink", "a symlink loop"] as const) {
    it.live(`a lock replaced by ${damage}: the run computes, the damage is moved aside`, () =>
      Effect.gen(function* () {
        const cache = tempDir("locks-damaged")
        const planned = yield* plan(toy, [], cache)
        const key = planned.nodes.find((n) => n.name === "source")!.key
        mkdirSync(join(cache, ".locks"), { recursive: true })
        const at = lockOf(cache, key)
        if (damage === "a regular file") writeFileSync(at, "not a lock\n")
        else if (damage === "a dangling symlink") symlinkSync(join(cache, "nowhere"), at)
        else symlinkSync(at, at)
        const result = yield* run(toy, [], cache).pipe(Effect.timeout("20 seconds"))
        assert.strictEqual(result.status["source"], "ran")
        assert.isFalse(existsSync(at), "no lock left")
        assert.isTrue(
          readdirSync(join(cache, ".corrupt")).some((n) => n.startsWith(`${key}.lock`)),
          "the damaged lock was moved aside"
        )
      })
    )
  }
})
