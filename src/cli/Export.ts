/**
 * A run's data for other tools (`pipeline export`): the networks as `.npy` (W, C, b, D; float64),
 * the test recordings with their time axis and units (`.npy` with `units.json`, or one NWB file
 * each), the learning curves and per-angle tables as tidy CSV, and everything in one `.npz`.
 * Pure functions from what the cache holds to named files (bytes); `commands/export.ts` reads the
 * entries and writes them.
 *
 * NWB (Neurodata Without Borders 2.x, an HDF5 layout) is written with `h5wasm`: the file's root
 * holds the NWBFile attributes and required datasets, `acquisition/` the rates, outputs and
 * objective as TimeSeries, `stimulus/presentation/` the stimulus angle and the target, each with
 * `data` (time first), its `unit`, and `timestamps` in seconds.
 *
 * @module Export
 */
import { randomUUID } from "node:crypto"
import { zipSync } from "fflate"
import * as NdArray from "../engine/NdArray.js"
import { toCsv } from "./Csv.js"

/** A network as a stage result holds it (row-major nested arrays). */
export interface Network {
  readonly N: number
  readonly inputDim: number
  readonly targetDim: number
  readonly weights: ReadonlyArray<ReadonlyArray<number>>
  readonly inputWeights: ReadonlyArray<ReadonlyArray<number>>
  readonly biases: ReadonlyArray<number>
  readonly decoder: ReadonlyArray<ReadonlyArray<number>>
}

/** A test recording: its arrays (trials first) and its sampling. */
export interface Recording {
  readonly label: string
  readonly dt: number
  readonly recordEvery: number
  readonly samples: number
  readonly trials: number
  /** name → array; `rates` (trials × N × samples), `outputs`/`targets` (trials × dims × samples), `angles`/`objective` (trials × samples). */
  readonly arrays: Readonly<Record<string, NdArray.NdArray>>
}

/** What each recorded array is, and its unit. */
export const units: Readonly<Record<string, { readonly unit: string; readonly meaning: string }>> = {
  rates: { unit: "a.u. (model rate units)", meaning: "firing rate r of each neuron" },
  outputs: { unit: "a.u.", meaning: "network output o = D·r" },
  targets: { unit: "a.u.", meaning: "task target y" },
  angles: { unit: "rad", meaning: "stimulus angle θ" },
  objective: { unit: "a.u.", meaning: "objective recorded at each sample" },
  time: { unit: "s", meaning: "time since the start of the trial of each sample" }
}

const matrix = (rows: ReadonlyArray<ReadonlyArray<number>>) =>
  NdArray.make("f8", [rows.length, rows[0]?.length ?? 0], Float64Array.from(rows.flat()))

/** A network's arrays: W (N×N), C (N×inputDim), b (N), D (targetDim×N). */
export const networkArrays = (n: Network): Readonly<Record<string, NdArray.NdArray>> => ({
  W: matrix(n.weights),
  C: matrix(n.inputWeights),
  b: NdArray.make("f8", [n.biases.length], Float64Array.from(n.biases)),
  D: matrix(n.decoder)
})

/** The time of each sample within a trial, seconds. */
export const trialTime = (r: Recording): NdArray.NdArray =>
  NdArray.make(
    "f8",
    [r.samples],
    Float64Array.from({ length: r.samples }, (_, s) => s * r.recordEvery * r.dt)
  )

/** Files of the npy export: `network-<name>/{W,C,b,D}.npy`, `recording-<label>/<array>.npy` with `time.npy` and `units.json`. */
export const npyFiles = (
  networks: ReadonlyArray<readonly [string, Network]>,
  recordings: ReadonlyArray<Recording>
): Record<string, Uint8Array> => {
  const files: Record<string, Uint8Array> = {}
  for (const [name, n] of networks) {
    for (const [k, a] of Object.entries(networkArrays(n))) files[`network-${name}/${k}.npy`] = NdArray.encodeNpy(a)
  }
  for (const r of recordings) {
    for (const [k, a] of Object.entries(r.arrays)) files[`recording-${r.label}/${k}.npy`] = NdArray.encodeNpy(a)
    files[`recording-${r.label}/time.npy`] = NdArray.encodeNpy(trialTime(r))
    const described = Object.fromEntries(
      [...Object.keys(r.arrays), "time"].map((k) => [
        k,
        { ...(units[k] ?? { unit: "", meaning: "" }), shape: k === "time" ? [r.samples] : r.arrays[k]!.shape }
      ])
    )
    files[`recording-${r.label}/units.json`] = new TextEncoder().encode(
      `${JSON.stringify({ dt: r.dt, recordEvery: r.recordEvery, sampleSeconds: r.dt * r.recordEvery, arrays: described }, null, 2)}\n`
    )
  }
  return files
}

/** The npy files in one `.npz` (numpy's zip of `.npy` members, names with `/` → `_`). */
export const npz = (files: Readonly<Record<string, Uint8Array>>): Uint8Array =>
  zipSync(
    Object.fromEntries(
      Object.entries(files)
        .filter(([k]) => k.endsWith(".npy"))
        .map(([k, v]) => [k.replace(/\.npy$/, "").replace(/[/-]/g, "_") + ".npy", [v, { level: 0 }] as const])
    )
  )

/** A series of a run's metrics (learning curve, error by angle). */
export interface Series {
  readonly name: string
  readonly xLabel: string
  readonly yLabel: string
  readonly x: ReadonlyArray<number>
  readonly y: ReadonlyArray<number>
}

/** A scalar metric. */
export interface Scalar {
  readonly name: string
  readonly label: string
  readonly value: number | null
}

/** One metrics result, of a run or of a sweep's member. */
export interface MemberMetrics {
  readonly member: string
  readonly scalars: ReadonlyArray<Scalar>
  readonly series: ReadonlyArray<Series>
}

/** `curves.csv` (member, series, x, y and their labels: one row per point) and `metrics.csv` (one row per scalar). */
export const csvFiles = (members: ReadonlyArray<MemberMetrics>): Record<string, Uint8Array> => {
  const encode = (s: string) => new TextEncoder().encode(s)
  return {
    "curves.csv": encode(
      toCsv({
        columns: ["member", "series", "x", "y", "x_label", "y_label"],
        rows: members.flatMap((m) =>
          m.series.flatMap((s) => s.x.map((x, i) => [m.member, s.name, x, s.y[i] ?? null, s.xLabel, s.yLabel]))
        )
      })
    ),
    "metrics.csv": encode(
      toCsv({
        columns: ["member", "metric", "value", "label"],
        rows: members.flatMap((m) => m.scalars.map((s) => [m.member, s.name, s.value, s.label]))
      })
    )
  }
}

/** A per-angle table of an analysis (`mseByAngle`, `accuracyByAngle`…: rows with an `angle`) as tidy rows. */
export const byAngleRows = (network: string, analysis: Readonly<Record<string, unknown>>) => {
  const rows: Array<Array<string | number | null>> = []
  for (const [table, value] of Object.entries(analysis)) {
    if (!table.endsWith("ByAngle") || !Array.isArray(value)) continue
    for (const row of value as ReadonlyArray<Record<string, unknown>>) {
      if (typeof row?.angle !== "number") continue
      for (const [k, v] of Object.entries(row)) {
        if (k !== "angle" && typeof v === "number") rows.push([network, table, row.angle, k, v])
      }
    }
  }
  return rows
}

/** `by-angle.csv`: network, table, angle (rad), quantity, value. */
export const byAngleCsv = (rows: ReadonlyArray<ReadonlyArray<string | number | null>>) =>
  new TextEncoder().encode(toCsv({ columns: ["network", "table", "angle_rad", "quantity", "value"], rows }))

/** Writes a recording as an NWB 2.x file at `path` (h5wasm writes it itself). */
export const writeNwb = async (
  path: string,
  r: Recording,
  about: { readonly identifier: string; readonly description: string; readonly startedAt: string }
) => {
  const { default: h5wasm } = await import("h5wasm/node")
  await h5wasm.ready
  const file = new h5wasm.File(path, "w")
  try {
    const text = (g: { create_attribute: (n: string, v: string) => void }, attrs: Record<string, string>) => {
      for (const [k, v] of Object.entries(attrs)) g.create_attribute(k, v)
    }
    text(file, { namespace: "core", neurodata_type: "NWBFile", nwb_version: "2.7.0", object_id: randomUUID() })
    file.create_dataset({ name: "identifier", data: about.identifier })
    file.create_dataset({ name: "session_description", data: about.description })
    file.create_dataset({ name: "session_start_time", data: about.startedAt })
    file.create_dataset({ name: "timestamps_reference_time", data: about.startedAt })
    file.create_dataset({ name: "file_create_date", data: [new Date().toISOString()] })
    for (const g of ["acquisition", "analysis", "processing", "stimulus", "general", "specifications"]) {
      file.create_group(g)
    }
    const stimulus = file.get("stimulus") as unknown as { create_group: (n: string) => unknown }
    stimulus.create_group("presentation")
    stimulus.create_group("templates")
    const T = r.trials * r.samples
    const sampleSeconds = r.dt * r.recordEvery
    const timestamps = Float64Array.from({ length: T }, (_, i) => {
      const trial = Math.floor(i / r.samples)
      return (trial * r.samples + (i % r.samples)) * sampleSeconds
    })
    /** trials × channels × samples (or trials × samples) → time × channels. */
    const timeFirst = (a: NdArray.NdArray) => {
      const channels = a.shape.length === 3 ? a.shape[1]! : 1
      const out = new Float32Array(T * channels)
      for (let trial = 0; trial < r.trials; trial++) {
        for (let c = 0; c < channels; c++) {
          for (let s = 0; s < r.samples; s++) {
            out[(trial * r.samples + s) * channels + c] = Number(a.data[(trial * channels + c) * r.samples + s])
          }
        }
      }
      return { data: out, shape: channels === 1 && a.shape.length === 2 ? [T] : [T, channels] }
    }
    const series = (group: string, name: string, array: NdArray.NdArray | undefined) => {
      if (array === undefined) return
      const parent = file.get(group) as unknown as {
        create_group: (n: string) => {
          create_attribute: (n: string, v: string) => void
          create_dataset: (a: {
            name: string
            data: Float32Array | Float64Array
            shape: Array<number>
            dtype: string
          }) => { create_attribute: (n: string, v: string | number, s?: null, d?: string) => void }
        }
      }
      const g = parent.create_group(name)
      text(g, {
        namespace: "core",
        neurodata_type: "TimeSeries",
        object_id: randomUUID(),
        description: units[name]?.meaning ?? name,
        comments: `from pipeline ${about.identifier}`
      })
      const { data, shape } = timeFirst(array)
      const d = g.create_dataset({ name: "data", data, shape, dtype: "<f" })
      d.create_attribute("unit", units[name]?.unit ?? "a.u.")
      d.create_attribute("conversion", 1, null, "<d")
      d.create_attribute("offset", 0, null, "<d")
      d.create_attribute("resolution", -1, null, "<d")
      const t = g.create_dataset({ name: "timestamps", data: timestamps, shape: [T], dtype: "<d" })
      t.create_attribute("interval", 1, null, "<i")
      t.create_attribute("unit", "seconds")
    }
    series("acquisition", "rates", r.arrays.rates)
    series("acquisition", "outputs", r.arrays.outputs)
    series("acquisition", "objective", r.arrays.objective)
    series("stimulus/presentation", "angles", r.arrays.angles)
    series("stimulus/presentation", "targets", r.arrays.targets)
  } finally {
    file.close()
  }
}
