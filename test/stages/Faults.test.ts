/**
 * The input half of issue #13's fault campaign, through the real `pipeline` command: every row of
 * the table of what a new user tried, and a list of hostile network files, each refused
 * with exit code 1 and a message naming what is wrong and where, promptly (a child that hangs is
 * killed and fails its case), and with nothing written to the cache: no entry, no run record (a
 * run refused by the resource check, after planning, leaves only the fingerprints' parse memo).
 */
import { once } from "node:events"
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { LIMITS } from "../../pipelines/experiment.js"
import { checkNetworkFile, maxNetworkFileBytes, NETWORK_FILE_LIMITS } from "../../stages/networkFile.js"
import { type CliRun, cliEnv, pipeline, repoRoot, tempDir } from "../helpers/cli.js"

const dir = tempDir("faults-input")
const pretrained = JSON.parse(readFileSync(join(repoRoot, "pretrained", "estimation.json"), "utf8")) as Record<
  string,
  unknown
> & {
  N: number
  weights: Array<Array<number>>
  biases: Array<number>
  provenance: Record<string, unknown>
}
const sizes = { N: 40, inputDim: 12, targetDim: 2 }

/** Writes a network file (an object, or raw text) and returns its path. */
const netFile = (name: string, content: unknown) => {
  const file = join(dir, `${name}.json`)
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content))
  return file
}

/** A case: the arguments and environment of a run that must be refused, and what its message must say. */
interface Case {
  readonly name: string
  readonly args: ReadonlyArray<string>
  readonly env?: Record<string, string>
  readonly says: ReadonlyArray<string | RegExp>
  /** The exit code (default 2: the command line asked for something invalid; 1: the run was refused). */
  readonly exit?: 1 | 2
}

// A run small enough that nothing here would take long even if it were wrongly accepted.
const small = ["--set", "testTrials=1", "--set", "trialSeconds=20", "--set", "trainTrials=1"]
const withNet = (file: string, ...more: Array<string>) => [
  "run",
  "estimation",
  ...small,
  "--set",
  `pretrainedPath=${file}`,
  ...more
]

/** The 200 MB network file (valid JSON, streamed to disk; deleted after the tests). */
const bigFile = join(dir, "big.json")
const BIG_BYTES = 200 * 1e6

beforeAll(async () => {
  const out = createWriteStream(bigFile)
  const head = `${JSON.stringify({ ...pretrained, provenance: undefined }).slice(0, -1)},"provenance":{"padding":"`
  out.write(head)
  const chunk = "x".repeat(1 << 20)
  let written = head.length
  while (written + chunk.length < BIG_BYTES) {
    if (!out.write(chunk)) await once(out, "drain")
    written += chunk.length
  }
  out.end(`${"x".repeat(BIG_BYTES - written - 3)}"}}`)
  await once(out, "finish")
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the cases a few at a time (each is a short process: the startup costs more than the check). */
const runAll = async (cases: ReadonlyArray<Case>) => {
  const results: Array<{ c: Case; cache: string; r: CliRun }> = []
  const queue = [...cases]
  const worker = async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      const cache = join(tempDir("faults-cache"), "cache")
      const r = await pipeline(c.args, cliEnv(cache, c.env ?? {}), { timeoutMs: 60_000 })
      results.push({ c, cache, r })
    }
  }
  await Promise.all([worker(), worker(), worker()])
  return results
}

/** Each refused: exit 2 (or its `exit`) within the timeout, the message says what and where, nothing written. */
const assertRefused = (results: Awaited<ReturnType<typeof runAll>>) => {
  for (const { c, cache, r } of results) {
    const context = `${c.name}: exit ${r.status} in ${r.ms.toFixed(0)} ms\n${r.stderr}`
    assert.isFalse(r.timedOut, `${c.name} hung (killed after 60 s)`)
    assert.strictEqual(r.status, c.exit ?? 2, context)
    for (const s of c.says) {
      if (typeof s === "string") assert.include(r.stderr, s, context)
      else assert.match(r.stderr, s, context)
    }
    assert.notMatch(r.stderr, /^\s+at /m, `${context}\n(no stack trace)`)
    // Nothing in the cache: no entry, no run record (a run refused after planning has written the
    // parse memo of the code fingerprints, which is no result of it).
    const written = existsSync(cache) ? readdirSync(cache).filter((n) => n !== ".fingerprints.json") : []
    assert.deepStrictEqual(written, [], `${c.name}: nothing was written to the cache`)
  }
}

describe("the issue's table, re-checked through the pipeline command", () => {
  it("every row is refused with a message naming what and where, and nothing is written", async () => {
    const n25 = netFile("n25-arrays-40", { ...pretrained, N: 25 })
    const bias = netFile("bias-1e308", {
      ...pretrained,
      biases: pretrained.biases.map((b, i) => (i === 3 ? 1e308 : b))
    })
    const cases: Array<Case> = [
      {
        name: "PIPELINE_WORKERS=abc",
        args: ["run", "estimation", ...small],
        env: { PIPELINE_WORKERS: "abc" },
        says: ["PIPELINE_WORKERS", "abc"]
      },
      {
        name: "PIPELINE_CHECKPOINT_SECONDS=abc",
        args: ["run", "estimation", ...small],
        env: { PIPELINE_CHECKPOINT_SECONDS: "abc" },
        says: ["PIPELINE_CHECKPOINT_SECONDS", "abc"]
      },
      {
        name: "--set __proto__.polluted=1",
        args: ["run", "estimation", ...small, "--set", "__proto__.polluted=1"],
        says: ["__proto__.polluted: Not a param name; valid params: trainTrials"]
      },
      {
        name: "a network file whose N says 25 while its arrays are 40 × 40",
        args: withNet(n25),
        says: [n25, "weights: expected 25 rows (N), got 40"]
      },
      {
        name: "the same file for a run of N = 25",
        args: withNet(n25, "--set", "N=25"),
        says: [n25, "weights: expected 25 rows (N), got 40"]
      },
      {
        name: "a network file with a bias of 1e308",
        args: withNet(bias),
        says: [bias, `biases.3: expected a finite number within ±${NETWORK_FILE_LIMITS.maxAbs}`, "actual 1e+308"]
      },
      {
        name: "--set trainTrials=1000000000",
        args: ["run", "estimation", "--set", "trainTrials=1000000000"],
        says: [`trainTrials: Expected a number between 0 and ${LIMITS.trials}, actual 1000000000`]
      },
      {
        name: "--set N=100000",
        args: ["run", "estimation", "--set", "N=100000"],
        says: [`N: Expected a number between 1 and ${LIMITS.N}, actual 100000`]
      },
      {
        // Within every param's bound, but not within this machine: the plan's resource check.
        name: "--set trainTrials=100000 --set trialSeconds=1000000",
        args: ["run", "estimation", "--set", "trainTrials=100000", "--set", "trialSeconds=1000000"],
        exit: 1,
        says: [
          'The run of pipeline "estimation" was refused; nothing was run',
          /its \d+ new entries need about [\d.]+ GB of disk/,
          /stage "train" needs about [\d.]+ GB of memory/,
          "--force"
        ]
      },
      {
        name: "--set switchSeconds=2000 with 1000 s trials",
        args: ["run", "estimation", "--set", "switchSeconds=2000"],
        says: ["switchSeconds: must not exceed trialSeconds (1000 s), actual 2000"]
      }
    ]
    assertRefused(await runAll(cases))
  })
})

describe("hostile network files", () => {
  it("the 200 MB file is refused by its size, before a byte of it is read", () => {
    const rchar = () => {
      if (!existsSync("/proc/self/io")) return undefined
      return Number(/rchar: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))![1])
    }
    const before = rchar()
    const t0 = performance.now()
    const checked = checkNetworkFile(bigFile, sizes)
    const ms = performance.now() - t0
    const read = before === undefined ? undefined : rchar()! - before
    console.log(
      `200 MB network file: refused in ${ms.toFixed(2)} ms, ${read ?? "(unknown)"} bytes read by this process meanwhile`
    )
    assert.isFalse(checked.ok)
    if (!checked.ok) {
      assert.include(checked.problem, "is 200 MB")
      assert.include(checked.problem, `takes at most ${(maxNetworkFileBytes(sizes) / 1e6).toFixed(2)} MB`)
      assert.include(checked.problem, "so it was not read")
    }
    // Reading the file would count its 200 MB (rchar counts every byte read(2) returns).
    if (read !== undefined) assert.isBelow(read, 1e6)
  })

  it("each is refused before any stage runs, naming the file and the field", async () => {
    const row = (n: number, v = 0.01) => Array.from({ length: n }, () => v)
    const files = {
      rows: netFile("rows-39", { ...pretrained, weights: pretrained.weights.slice(1) }),
      rowLength: netFile("row-3-short", {
        ...pretrained,
        weights: pretrained.weights.map((r, i) => (i === 3 ? r.slice(1) : r))
      }),
      inputDim: netFile("input-dim-10", {
        ...pretrained,
        inputDim: 10,
        inputWeights: Array.from({ length: 40 }, () => row(10))
      }),
      nan: netFile("nan-string", {
        ...pretrained,
        weights: pretrained.weights.map((r, i) => (i === 2 ? r.map((x, j) => (j === 5 ? "NaN" : x)) : r))
      }),
      infinity: netFile("infinity", JSON.stringify(pretrained).replace('"biases":[', '"biases":[1e999,')),
      protoTop: netFile("proto-top", JSON.stringify(pretrained).replace(/^\{/, '{"__proto__":{"polluted":1},')),
      protoNested: netFile(
        "proto-nested",
        JSON.stringify(pretrained).replace('"provenance":{', '"provenance":{"note2":{"__proto__":{"polluted":1}},')
      ),
      extra: netFile("extra-field", { ...pretrained, bogus: 1 }),
      truncated: netFile("truncated", JSON.stringify(pretrained).slice(0, 5000))
    }
    const cases: Array<Case> = [
      { name: "a row missing", args: withNet(files.rows), says: [files.rows, "weights: expected 40 rows (N), got 39"] },
      {
        name: "a short row",
        args: withNet(files.rowLength),
        says: [files.rowLength, "weights.3: expected 40 entries (N), got 39"]
      },
      {
        name: "inputDim not the task's",
        args: withNet(files.inputDim),
        says: [files.inputDim, "inputDim is 10, the task's is 12"]
      },
      { name: '"NaN"', args: withNet(files.nan), says: [files.nan, 'weights.2.5: Expected number, actual "NaN"'] },
      {
        name: "1e999 (Infinity)",
        args: withNet(files.infinity),
        says: [files.infinity, "biases.0: expected a finite number", "actual Infinity"]
      },
      {
        name: "__proto__ at the top",
        args: withNet(files.protoTop),
        says: [files.protoTop, "__proto__: is not an allowed field"]
      },
      {
        name: "__proto__ nested",
        args: withNet(files.protoNested),
        says: [files.protoNested, "provenance.note2.__proto__: is not an allowed field"]
      },
      {
        name: "a field the format does not have",
        args: withNet(files.extra),
        says: [files.extra, "bogus: is not a field of a network file"]
      },
      { name: "truncated JSON", args: withNet(files.truncated), says: [files.truncated, "is not valid UTF-8 JSON"] },
      {
        name: "200 MB of JSON",
        args: withNet(bigFile),
        says: [bigFile, /is 200 MB; a network of N = 40, inputDim = 12, targetDim = 2 takes at most 1\.19 MB/]
      },
      {
        name: "a missing file",
        args: [
          "run",
          "estimation",
          ...small,
          "--set",
          "pretrained=true",
          "--set",
          "pretrainedPath=/nonexistent/net.json"
        ],
        says: ["pretrainedPath: network file /nonexistent/net.json cannot be read (ENOENT)"]
      }
    ]
    const results = await runAll(cases)
    assertRefused(results)
    const big = results.find((x) => x.c.name === "200 MB of JSON")!
    console.log(
      `200 MB network file through the pipeline command: refused in ${big.r.ms.toFixed(0)} ms (process included)`
    )
  })

  it("the model's own files pass the checks", () => {
    for (const task of ["estimation", "classification"] as const) {
      const json = JSON.parse(readFileSync(join(repoRoot, "pretrained", `${task}.json`), "utf8"))
      const checked = checkNetworkFile(join(repoRoot, "pretrained", `${task}.json`), {
        N: json.N,
        inputDim: json.inputDim,
        targetDim: json.targetDim
      })
      assert.isTrue(checked.ok, checked.ok ? "" : checked.problem)
    }
  })
})
