/**
 * Converts the paper's pretrained estimation network (`../shared/reference/pretrained-estimation.json`,
 * nested arrays under the reference's names) into this project's network file format, for
 * comparison tests only. Returns undefined where the shared reference folder is absent.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { type NestedNetwork, networkFromNested } from "../../src/model/network.js"
import { toJson } from "../../stages/networkFile.js"

export const referenceDir = resolve(import.meta.dirname, "../../../shared/reference")
export const referencePretrained = join(referenceDir, "pretrained-estimation.json")

/** Writes the converted file to `target` and returns its path, or undefined when the reference is absent. */
export function writeReferenceNetwork(target: string): string | undefined {
  if (!existsSync(referencePretrained)) return undefined
  const ref = JSON.parse(readFileSync(referencePretrained, "utf8")) as NestedNetwork & {
    params: Record<string, unknown>
    source: string
  }
  const file = {
    ...toJson(networkFromNested(ref)),
    params: ref.params,
    provenance: { source: ref.source, convertedBy: "test/helpers/referenceNetwork.ts" }
  }
  writeFileSync(target, JSON.stringify(file))
  return target
}
