import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "vitest"
import * as NdArray from "../../src/engine/NdArray.js"
import { tempDir } from "./helpers.js"

describe("NdArray .npy", () => {
  it("writes the NumPy 1.0 header byte for byte", () => {
    const bytes = NdArray.encodeNpy(NdArray.make("f8", [3], new Float64Array([1, 2, 3])))
    // magic \x93NUMPY, version 1.0, header length (little-endian u16)
    assert.deepStrictEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])
    const headerLength = bytes[8]! + 256 * bytes[9]!
    assert.strictEqual((10 + headerLength) % 64, 0)
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))
    assert.strictEqual(header.trimEnd(), "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }")
    assert.strictEqual(header.at(-1), "\n")
    assert.strictEqual(headerLength, 118)
    // data: 1.0 as little-endian IEEE 754 = 00 00 00 00 00 00 f0 3f
    assert.deepStrictEqual([...bytes.subarray(128, 136)], [0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
    assert.strictEqual(bytes.length, 128 + 24)
  })

  it("spells 2-d shapes and byte-sized dtypes as NumPy does", () => {
    const bytes = NdArray.encodeNpy(NdArray.make("u1", [2, 3], new Uint8Array(6)))
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + bytes[8]!))
    assert.include(header, "'descr': '|u1'")
    assert.include(header, "'shape': (2, 3)")
  })

  it("round-trips every dtype exactly", () => {
    const arrays = [
      NdArray.make("f8", [2, 2], new Float64Array([0.1, -0, Number.MAX_VALUE, 5e-324])),
      NdArray.make("f4", [3], new Float32Array([1.5, -2.25, 3])),
      NdArray.make("i4", [2], new Int32Array([-7, 2 ** 31 - 1])),
      NdArray.make("u1", [0], new Uint8Array(0))
    ]
    for (const a of arrays) {
      const back = NdArray.decodeNpy(NdArray.encodeNpy(a))
      assert.strictEqual(back.dtype, a.dtype)
      assert.deepStrictEqual([...back.shape], [...a.shape])
      assert.deepStrictEqual([...back.data].map(String), [...a.data].map(String))
    }
  })

  it("reads from a Node Buffer that is a view into a larger pool", () => {
    const npy = NdArray.encodeNpy(NdArray.make("f8", [2], new Float64Array([3.25, -1])))
    const pool = Buffer.alloc(npy.length + 13, 7)
    pool.set(npy, 5)
    const back = NdArray.decodeNpy(pool.subarray(5, 5 + npy.length))
    assert.deepStrictEqual([...back.data], [3.25, -1])
  })

  it("rejects truncated data and a wrong shape", () => {
    const bytes = NdArray.encodeNpy(NdArray.make("f8", [4], new Float64Array(4)))
    assert.throws(() => NdArray.decodeNpy(bytes.subarray(0, bytes.length - 1)), /header promises/)
    assert.throws(() => NdArray.make("f8", [2, 3], new Float64Array(5)), /holds 6 elements/)
  })

  const hasNumpy = (() => {
    try {
      execFileSync("python3", ["-c", "import numpy"], { stdio: "ignore" })
      return true
    } catch {
      return false
    }
  })()
  it.skipIf(!hasNumpy)("opens in numpy as it is", () => {
    const file = join(tempDir("npy"), "a.npy")
    writeFileSync(file, NdArray.encodeNpy(NdArray.make("f8", [2, 3], new Float64Array([1, 2, 3, 4, 5, 6.5]))))
    const out = execFileSync("python3", [
      "-c",
      `import numpy; a = numpy.load(${JSON.stringify(file)}); print(a.dtype, a.shape, a[1, 2])`
    ])
    assert.strictEqual(String(out).trim(), "float64 (2, 3) 6.5")
  })
})
