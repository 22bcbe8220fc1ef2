/**
 * Reading cache paths without trusting them (`cache/Inspect.ts`). Small files are read
 * synchronously and large ones asynchronously: both paths must give the file's exact bytes, refuse
 * what is not a regular file at once (a FIFO must never block), and refuse a file over the limit.
 */
import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { assert, describe } from "vitest"
import * as Inspect from "../../src/engine/cache/Inspect.js"
import { tempDir } from "./helpers.js"

const sizes = [0, 1, 4096, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 17]

describe("Inspect", () => {
  it.effect("reads exactly the bytes of a regular file, small (synchronous) or large (asynchronous)", () =>
    Effect.gen(function* () {
      const dir = tempDir("inspect-read")
      for (const size of sizes) {
        const file = join(dir, `f${size}`)
        const bytes = randomBytes(size)
        writeFileSync(file, bytes)
        const read = yield* Inspect.readRegular(file)
        assert.strictEqual(read.length, size, `size ${size}`)
        assert.isTrue(Buffer.from(read).equals(bytes), `bytes of a ${size}-byte file`)
        assert.isTrue(Buffer.from(Inspect.readRegularSync(file)!).equals(bytes), `readRegularSync, ${size} bytes`)
        // Through a symlink to it, as the docs say.
        symlinkSync(file, `${file}.link`)
        assert.strictEqual((yield* Inspect.readRegular(`${file}.link`)).length, size)
      }
    })
  )

  it.effect("refuses a file over maxBytes on either path, without reading it", () =>
    Effect.gen(function* () {
      const dir = tempDir("inspect-max")
      for (const size of [100, 2 * (1 << 20)]) {
        const file = join(dir, `f${size}`)
        writeFileSync(file, randomBytes(size))
        const read = yield* Effect.either(Inspect.readRegular(file, size - 1))
        assert.isTrue(Either.isLeft(read) && read.left.code === "EFBIG", `a ${size}-byte file over its limit`)
        assert.isTrue(Either.isRight(yield* Effect.either(Inspect.readRegular(file, size))))
      }
    })
  )

  it.effect("names what stands where a file should be, at once: missing, folder, dangling link, loop, FIFO", () =>
    Effect.gen(function* () {
      const dir = tempDir("inspect-kinds")
      mkdirSync(join(dir, "folder"))
      symlinkSync(join(dir, "nowhere"), join(dir, "dangling"))
      symlinkSync(join(dir, "loop"), join(dir, "loop"))
      assert.strictEqual(spawnSync("mkfifo", [join(dir, "fifo")]).status, 0, "mkfifo")
      const expected: Record<string, Inspect.Kind> = {
        missing: "missing",
        folder: "directory",
        dangling: "missing",
        loop: "symlink",
        fifo: "fifo"
      }
      for (const [name, found] of Object.entries(expected)) {
        const read = yield* Effect.either(Inspect.readRegular(join(dir, name)))
        assert.isTrue(Either.isLeft(read), `${name} is not read`)
        if (Either.isLeft(read)) assert.strictEqual(read.left.found, found, name)
        assert.isUndefined(Inspect.readRegularSync(join(dir, name)), `readRegularSync of ${name}`)
        assert.isUndefined(yield* Inspect.stamp(join(dir, name)), `no stamp for ${name}`)
      }
      // lstat: links are links, whatever they point to.
      assert.strictEqual(yield* Inspect.kind(join(dir, "dangling")), "symlink")
      assert.strictEqual(yield* Inspect.kind(join(dir, "fifo")), "fifo")
      assert.strictEqual(yield* Inspect.kind(join(dir, "folder")), "directory")
      assert.strictEqual(yield* Inspect.kind(join(dir, "missing")), "missing")
      assert.strictEqual(yield* Inspect.kind(join(dir, "folder", "x", "y")), "missing")
    })
  )

  it.live("a stamp changes when a write keeps the size and the mtime", () =>
    Effect.gen(function* () {
      const dir = tempDir("inspect-stamp")
      const file = join(dir, "f")
      writeFileSync(file, "abcd")
      const before = (yield* Inspect.stamp(file))!
      assert.strictEqual(before.bytes, 4)
      yield* Effect.sleep("20 millis")
      writeFileSync(file, "abce")
      utimesSync(file, before.mtimeMs / 1000, before.mtimeMs / 1000)
      const after = (yield* Inspect.stamp(file))!
      assert.strictEqual(after.bytes, before.bytes)
      assert.notStrictEqual(after.ctimeMs, before.ctimeMs, "the ctime moved")
    })
  )
})
