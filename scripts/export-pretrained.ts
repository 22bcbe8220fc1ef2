/**
 * Writes pretrained/<task>.json from the cached results of a full default `pipeline run <task>`:
 * the trained network in the documented network file format, the model parameters it was trained
 * with, and its provenance (pipeline params, seed, stage keys, date, test error before and after).
 *
 *   npx tsx scripts/export-pretrained.ts estimation [--set key=value ...]
 *
 * The pipeline must have run with the same --set values (the script reads the cache, it trains
 * nothing); it fails naming the stage that is missing.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Schema from "effect/Schema"
import { experimentParams, modelParams } from "../pipelines/experiment.js"
import { fromJson, type NetworkJson } from "../stages/networkFile.js"
import { projectRoot } from "../stages/root.js"

const [task, ...sets] = process.argv.slice(2)
if (task !== "estimation" && task !== "classification") {
  process.stderr.write("usage: tsx scripts/export-pretrained.ts estimation|classification [--set key=value ...]\n")
  process.exit(2)
}

const show = (stage: string) => {
  const r = spawnSync(
    process.execPath,
    [join(projectRoot, "bin", "pipeline.mjs"), "show", task, stage, ...sets, "--json"],
    {
      encoding: "utf8"
    }
  )
  if (r.status !== 0) {
    process.stderr.write(`export-pretrained: ${r.stderr || r.stdout}`)
    process.exit(1)
  }
  return JSON.parse(r.stdout) as {
    manifest: { key: string; finishedAt: string; seed: number; params: unknown }
    result: Record<string, unknown>
  }
}

const given: Record<string, unknown> = {}
for (let k = 0; k < sets.length; k++) {
  if (sets[k] === "--set") {
    const [key, value] = sets[++k]!.split("=")
    given[key!] = Number.isNaN(Number(value)) ? value : Number(value)
  }
}
const params = Schema.decodeUnknownSync(experimentParams(task))(given)
const train = show("train")
const analyze = show("analyze")
const analyzeInitial = show("analyze-initial")
const trained = train.result as unknown as { network: NetworkJson; rule: string }
const network = fromJson(trained.network)
const errorOf = (r: Record<string, unknown>) =>
  task === "estimation" ? { testMse: r["testMse"] } : { accuracy: r["accuracy"], logLikelihood: r["logLikelihood"] }

const file = {
  ...trained.network,
  params: modelParams(task, params),
  provenance: {
    project: "plastic-net",
    pipeline: task,
    pipelineParams: params,
    seed: params.seed,
    rule: trained.rule,
    trainStageKey: train.manifest.key,
    trainedAt: train.manifest.finishedAt,
    testError: errorOf(analyze.result),
    testErrorInitial: errorOf(analyzeInitial.result),
    analyzeStageKey: analyze.manifest.key,
    note: "Trained by this project's own pipeline (`pipeline run " + task + "` at full default settings)."
  }
}
if (network.N !== params.N) throw new Error("the trained network does not match the params")
mkdirSync(join(projectRoot, "pretrained"), { recursive: true })
const target = join(projectRoot, "pretrained", `${task}.json`)
writeFileSync(target, `${JSON.stringify(file, null, 1)}\n`)
process.stdout.write(`wrote ${target}\n`)
