/**
 * `pipeline export RUN`: a recorded run's data for Python, R or MATLAB (`Export.ts`), written to
 * `export/` in the run's output folder (or `--to DIR`): `npy` (the default, with `csv`), `npz`,
 * `csv`, `nwb`. Reads the run's entries from the cache (they must still be there: `gc` keeps the
 * recent runs').
 *
 * @module export
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "../../engine/Cache.js"
import { filedAs } from "../../engine/cache/RunRecords.js"
import { ioError, NotCachedError } from "../../engine/Errors.js"
import * as NdArray from "../../engine/NdArray.js"
import type * as Export from "../Export.js"
import { Cli } from "../MainLayer.js"
import { findRun } from "../RunInfo.js"
import { commonOptions, jsonOption } from "../target.js"
import { print } from "./print.js"

/** What a network's tested node is called in the export. */
const networkName = (node: string) =>
  node === "test" ? "trained" : node === "test-initial" ? "initial" : node.replace(/^test-?/, "")

export const exportRun = Command.make(
  "export",
  {
    ...commonOptions,
    run: Args.text({ name: "run" }).pipe(Args.withDescription("A run id, or a pipeline's name (its latest run).")),
    format: Options.choice("format", ["npy", "npz", "csv", "nwb"]).pipe(
      Options.repeated,
      Options.withDescription("What to write (repeatable; default npy and csv).")
    ),
    to: Options.text("to").pipe(Options.optional, Options.withDescription("The folder to write to.")),
    json: jsonOption
  },
  (opts) =>
    Effect.gen(function* () {
      const cli = yield* Cli
      const cache = yield* Cache.Cache
      // Loaded only here: fflate, h5wasm and the writers are no cost to the other commands.
      const Export = yield* Effect.promise(() => import("../Export.js"))
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const record = yield* findRun(opts.run)
      const formats = new Set(opts.format.length === 0 ? ["npy", "csv"] : opts.format)
      const runFolder =
        record.published[0] === undefined
          ? path.join(cli.outDir, filedAs(record), record.id)
          : path.dirname(record.published[0])
      const folder = Option.getOrElse(opts.to, () => path.join(runFolder, "export"))

      const result = (name: string, key: string) =>
        cache.readResult(key).pipe(
          Effect.catchAll(() => Effect.fail(new NotCachedError({ pipeline: filedAs(record), stage: name, key }))),
          Effect.map((r) => r as Record<string, unknown>)
        )
      const networks: Array<readonly [string, Export.Network]> = []
      const recordings: Array<Export.Recording> = []
      const members: Array<Export.MemberMetrics> = []
      const byAngle: Array<Array<string | number | null>> = []
      for (const node of record.nodes) {
        const manifest = yield* cache.readManifestUnverified(node.key)
        if (Option.isNone(manifest)) {
          if (node.name === "test" || node.name === "metrics") {
            return yield* new NotCachedError({ pipeline: filedAs(record), stage: node.name, key: node.key })
          }
          continue
        }
        const stage = manifest.value.stage
        const artifacts = Object.keys(manifest.value.artifacts)
        if (stage === "test" && artifacts.includes("rates.npy")) {
          const r = yield* result(node.name, node.key)
          networks.push([networkName(node.name), r.network as Export.Network])
          const arrays: Record<string, NdArray.NdArray> = {}
          for (const a of artifacts.filter((x) => x.endsWith(".npy"))) {
            arrays[a.replace(/\.npy$/, "")] = NdArray.decodeNpy(yield* cache.readArtifact(node.key, a))
          }
          recordings.push({
            label: networkName(node.name) === "trained" ? "test" : `test-${networkName(node.name)}`,
            dt: r.dt as number,
            recordEvery: r.recordEvery as number,
            samples: r.samples as number,
            trials: r.trials as number,
            arrays
          })
        } else if (stage === "metrics") {
          const r = yield* result(node.name, node.key)
          members.push({
            member: node.name,
            scalars: r.scalars as ReadonlyArray<Export.Scalar>,
            series: r.series as ReadonlyArray<Export.Series>
          })
        } else if (stage === "analyze") {
          const r = yield* result(node.name, node.key)
          byAngle.push(
            ...Export.byAngleRows(node.name === "analyze" ? "trained" : node.name.replace(/^analyze-?/, ""), r)
          )
        }
      }
      const files: Record<string, Uint8Array> = {}
      const npy = Export.npyFiles(networks, recordings)
      if (formats.has("npy")) Object.assign(files, npy)
      if (formats.has("npz")) files["run.npz"] = Export.npz(npy)
      if (formats.has("csv")) {
        Object.assign(files, Export.csvFiles(members))
        if (byAngle.length > 0) files["by-angle.csv"] = Export.byAngleCsv(byAngle)
      }
      const written: Array<string> = []
      for (const [name, bytes] of Object.entries(files)) {
        const target = path.join(folder, name)
        yield* fs
          .makeDirectory(path.dirname(target), { recursive: true })
          .pipe(Effect.zipRight(fs.writeFile(target, bytes)), Effect.mapError(ioError("export", target)))
        written.push(target)
      }
      if (formats.has("nwb")) {
        yield* fs.makeDirectory(folder, { recursive: true }).pipe(Effect.mapError(ioError("export", folder)))
        for (const r of recordings) {
          const target = path.join(folder, `recording-${r.label}.nwb`)
          yield* Effect.tryPromise({
            try: () =>
              Export.writeNwb(target, r, {
                identifier: `${record.id}/${r.label}`,
                description: `pipeline ${filedAs(record)}, run ${record.id}${record.sets.length > 0 ? ` (${record.sets.join(" ")})` : ""}: ${r.label} recording`,
                startedAt: record.startedAt
              }),
            catch: (e) => ioError("export", target)(e)
          })
          written.push(target)
        }
      }
      if (opts.json) return yield* print(JSON.stringify({ run: record.id, folder, files: written }))
      yield* print(
        [`exported run ${record.id} to ${folder}:`, ...written.map((w) => `  ${path.relative(folder, w)}`)].join("\n")
      )
    })
).pipe(Command.withDescription("Export a run's networks, recordings, learning curves and tables."))
