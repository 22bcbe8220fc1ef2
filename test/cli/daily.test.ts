/**
 * The researcher's daily loop (issue #20), through the real `pipeline` command: two small runs
 * keep their own folders (`latest` pointing at the newer), `runs` lists them with what differs,
 * `diff` compares them, `export` writes their data and Python reads it, a mistyped name exits 2,
 * piped output has no colour, and help and `list` load none of the heavy packages.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, readlinkSync } from "node:fs"
import { join } from "node:path"
import { assert, beforeAll, describe, it } from "vitest"
import { bin, cliEnv, pipeline, repoRoot, tempDir } from "../helpers/cli.js"

const small = ["trainTrials=2", "testTrials=1", "trialSeconds=10", "transientSeconds=1", "switchSeconds=5"].flatMap(
  (s) => ["--set", s]
)
const env = cliEnv(join(tempDir("daily"), "cache"))
const out = env.PIPELINE_OUT!
const ids: Array<string> = []

/** A Python with numpy (and h5py, for NWB), if this machine has one. */
const python = (modules: string) =>
  ["/usr/bin/python3", "python3"].find(
    (exe) => spawnSync(exe, ["-c", `import ${modules}`], { stdio: "ignore" }).status === 0
  )

beforeAll(async () => {
  for (const extra of [[], ["--set", "sigma=0.3"]]) {
    const r = await pipeline(["run", "estimation", ...small, ...extra], env)
    assert.strictEqual(r.status, 0, r.stderr)
    const published = /(\S+)\/report\.html/.exec(r.stdout)
    assert.isNotNull(published, r.stdout)
    ids.push(published![1]!.split("/").pop()!)
  }
}, 600_000)

describe("runs keep their results", () => {
  it("each run publishes to its own folder; latest points at the newest", () => {
    assert.notStrictEqual(ids[0], ids[1])
    for (const id of ids) assert.isTrue(existsSync(join(out, "estimation", id, "report.html")), id)
    assert.strictEqual(readlinkSync(join(out, "estimation", "latest")), ids[1])
    const [a, b] = ids.map((id) => readFileSync(join(out, "estimation", id!, "report.html"), "utf8"))
    assert.notStrictEqual(a, b, "the first run's report was not overwritten by the second's")
  })

  it("runs lists both with the param that differs and the key metrics; --csv, --json and --where", async () => {
    const r = await pipeline(["runs", "estimation"], env)
    assert.strictEqual(r.status, 0, r.stderr)
    const [title, head, ...rows] = r.stdout.trim().split("\n")
    assert.strictEqual(title, "estimation: 2 runs")
    assert.match(head!, /^ {2}run +started +status +time +sigma +testMse +priorWeightedMse +finalObjective +folder$/)
    assert.match(rows[0]!, new RegExp(`^  ${ids[1]} .* done .* 0\\.3 `))
    assert.match(rows[1]!, new RegExp(`^  ${ids[0]} .* done .* 0\\.2 `))

    const csv = (await pipeline(["runs", "--csv"], env)).stdout.trim().split("\n")
    const columns = csv[0]!.split(",")
    assert.lengthOf(csv, 3)
    for (const c of ["run", "sigma", "trainTrials", "testMse", "initialTestMse"]) assert.include(columns, c)
    assert.strictEqual(csv[1]!.split(",")[columns.indexOf("sigma")], "0.3")

    const where = JSON.parse((await pipeline(["runs", "--where", "sigma=0.3", "--json"], env)).stdout)
    assert.deepEqual(
      where.runs.map((x: { id: string }) => x.id),
      [ids[1]]
    )
    const testMse = where.runs[0].metrics.find((m: { name: string }) => m.name === "testMse").value
    assert.isTrue(Number.isFinite(testMse) && testMse > 0)
  })

  it("a mistyped name exits 2 with the closest", async () => {
    const r = await pipeline(["runs", "estimaton"], env)
    assert.strictEqual(r.status, 2)
    assert.include(r.stderr, 'There is no pipeline or sweep named "estimaton". Did you mean "estimation"?')
  })

  it("diff --last 2: the param, the stages it changed and why, the metrics side by side", async () => {
    const r = await pipeline(["diff", "--last", "2", "--json"], env)
    assert.strictEqual(r.status, 0, r.stderr)
    const d = JSON.parse(r.stdout)
    assert.deepEqual(d.params, [{ key: "sigma", a: "0.2", b: "0.3" }])
    const stage = (name: string) => d.stages.find((s: { name: string }) => s.name === name)
    assert.isTrue(stage("init").same, "σ does not reach the initial network")
    assert.isTrue(stage("sample-inputs").same, "nor the stimuli")
    assert.include(stage("train").reasons, "param dynamics.sigma changed from 0.2 to 0.3")
    const mse = d.metrics.find((m: { name: string }) => m.name === "testMse")
    assert.closeTo(mse.change, mse.b - mse.a, 1e-12)
    const text = (await pipeline(["diff", ids[0]!, ids[1]!.slice(0, 30)], env)).stdout
    assert.include(text, "params that differ:")
    assert.match(text, /^ {2}sigma +0\.2 +0\.3$/m)
  })

  it("show summarizes long arrays (--full prints them)", async () => {
    const shown = await pipeline(["show", "estimation", "train", ...small], env)
    assert.strictEqual(shown.status, 0, shown.stderr)
    assert.isBelow(shown.stdout.split("\n").length, 100)
    assert.match(shown.stdout, /"weights": "40×40 numbers in \[/)
    const full = await pipeline(["show", "estimation", "train", ...small, "--full"], env)
    assert.isAbove(full.stdout.split("\n").length, 1600)
  })
})

describe("data out", () => {
  it("export writes the networks, recordings with time and units, tidy CSV, .npz and NWB; Python reads them", async () => {
    const r = await pipeline(
      ["export", "estimation", "--format", "npy", "--format", "npz", "--format", "csv", "--format", "nwb", "--json"],
      env
    )
    assert.strictEqual(r.status, 0, r.stderr)
    const { folder, run } = JSON.parse(r.stdout) as { folder: string; run: string }
    assert.strictEqual(run, ids[1])
    assert.strictEqual(folder, join(out, "estimation", ids[1]!, "export"))
    const units = JSON.parse(readFileSync(join(folder, "recording-test", "units.json"), "utf8"))
    assert.strictEqual(units.arrays.angles.unit, "rad")
    assert.strictEqual(units.arrays.time.unit, "s")
    assert.deepEqual(units.arrays.rates.shape, [1, 40, 50])
    const curves = readFileSync(join(folder, "curves.csv"), "utf8").split("\n")
    assert.strictEqual(curves[0], "member,series,x,y,x_label,y_label")
    assert.isTrue(curves.some((l) => l.startsWith("metrics,learningCurve,1,")))

    // The trained network as `show` prints it (JSON), against the exported .npy.
    const shown = JSON.parse(
      (await pipeline(["show", "estimation", "test", ...small, "--set", "sigma=0.3", "--json"], env)).stdout
    )
    const W = shown.result.network.weights as Array<Array<number>>
    const exe = python("numpy")
    if (exe === undefined) {
      process.stderr.write("daily.test: no Python with numpy; the export is not read in Python\n")
      return
    }
    const npy = spawnSync(
      exe,
      [
        "-c",
        `import numpy as np, json, sys
W = np.load(sys.argv[1] + "/network-trained/W.npy")
z = np.load(sys.argv[1] + "/run.npz")
t = np.load(sys.argv[1] + "/recording-test/time.npy")
print(json.dumps({"shape": W.shape, "w01": W[0, 1], "npz": bool((z["network_trained_W"] == W).all()), "dt": float(t[1] - t[0]), "rates": z["recording_test_rates"].shape}))`,
        folder
      ],
      { encoding: "utf8" }
    )
    assert.strictEqual(npy.status, 0, npy.stderr)
    const read = JSON.parse(npy.stdout)
    assert.deepEqual(read.shape, [40, 40])
    assert.strictEqual(read.w01, W[0]![1], "row-major: W[0][1] is the weight from neuron 1 onto neuron 0")
    assert.isTrue(read.npz)
    assert.closeTo(read.dt, 0.2, 1e-12, "a sample every recordEvery·dt = 20 × 0.01 s")
    assert.deepEqual(read.rates, [1, 40, 50])

    const h5 = python("numpy, h5py")
    // CI installs Debian's python3-h5py (.ci/run): there its absence is a failure, not a skip.
    assert.isTrue(h5 !== undefined || process.env.CI !== "true", "CI has no h5py to open the NWB file")
    if (h5 === undefined) {
      process.stderr.write("daily.test: h5py is not installed (Debian: python3-h5py); the NWB file is not opened\n")
      return
    }
    const nwb = spawnSync(
      h5,
      [
        "-c",
        `import numpy as np, h5py, json, sys
f = h5py.File(sys.argv[1] + "/recording-test.nwb", "r")
rates = f["acquisition/rates"]
npy = np.load(sys.argv[1] + "/recording-test/rates.npy")
print(json.dumps({"type": f.attrs["neurodata_type"], "version": f.attrs["nwb_version"], "unit": rates["data"].attrs["unit"],
  "shape": rates["data"].shape, "same": bool((rates["data"][:, :] == npy[0].T).all()),
  "t": [float(x) for x in rates["timestamps"][:2]], "tunit": rates["timestamps"].attrs["unit"],
  "angle": f["stimulus/presentation/angles/data"].attrs["unit"], "start": f["session_start_time"][()].decode()}))`,
        folder
      ],
      { encoding: "utf8" }
    )
    assert.strictEqual(nwb.status, 0, nwb.stderr)
    const file = JSON.parse(nwb.stdout)
    assert.deepInclude(file, { type: "NWBFile", version: "2.7.0", shape: [50, 40], same: true, tunit: "seconds" })
    assert.deepEqual(file.t, [0, 0.2])
    assert.strictEqual(file.angle, "rad")
    assert.match(file.start, /^\d{4}-\d\d-\d\dT/)
  })
})

describe("a CLI that helps", () => {
  it("piped output has no ANSI colour, even from @effect/cli's own messages", async () => {
    const r = await pipeline(["run", "estimation", "--executor", "fast"], env)
    assert.strictEqual(r.status, 2)
    assert.notInclude(r.stdout + r.stderr, "\u001b[")
    assert.include(r.stdout + r.stderr, "local, bullmq")
  })

  it("help, the version and a stored list load no Effect, d3, jsdom, mathjs, ts-morph, bullmq or ioredis", async () => {
    assert.strictEqual((await pipeline(["list"], env)).status, 0) // stores the catalog
    const hook = `data:text/javascript,${encodeURIComponent(
      `import { register } from "node:module"; register("data:text/javascript," + encodeURIComponent("export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('LOADED ' + r.url + '\\\\n'); return r }"))`
    )}`
    for (const args of [["--help"], ["run", "--help"], ["--version"], ["list"], ["rn"]]) {
      const r = spawnSync(process.execPath, ["--import", hook, bin, ...args], { env, encoding: "utf8", cwd: repoRoot })
      const loaded = r.stderr.split("\n").filter((l) => l.startsWith("LOADED "))
      assert.isAbove(loaded.length, 3, `the hook saw the modules of ${args.join(" ")}`)
      const heavy = loaded.filter((l) =>
        /node_modules\/(d3|jsdom|mathjs|ts-morph|bullmq|ioredis|effect|@effect)\//.test(l)
      )
      assert.deepEqual(heavy, [], `pipeline ${args.join(" ")}`)
    }
  })
})
