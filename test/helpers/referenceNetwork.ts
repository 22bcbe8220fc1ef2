/**
 * Converts the paper's pretrained estimation network (`../shared/reference/pretrained-estimation.json`,
 * nested arrays under the reference's names) into this project's network file format, for
 * comparison tests only. Gate the tests that use it with `needsReference([referencePretrained])`.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { type NestedNetwork, networkFromNested } from "../../src/model/network.js"
import { toJson } from "../../stages/networkFile.js"
import { referencePretrained } from "./reference.js"

/** Writes the converted file to `target` and returns its path. */
export function writeReferenceNetwork(target: string): string {
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
