/**
 * `decoder-only`: the paper's control. W, C and b stay frozen at their initial values; only the
 * decoder learns, with the same rule as the paper's (§4.3). No running averages are needed.
 */
import type { PlasticityRule } from "../rule.js"
import { clampedObjective, computeCurrents, decoderRule } from "../step.js"
import type { Workspace } from "../workspace.js"

function update(ws: Workspace, learn: boolean): void {
  if (learn) {
    // §4.2 D·r of the clamped rate (and E, unused here), then §4.3.
    clampedObjective(ws)
    decoderRule(ws)
  }
  computeCurrents(ws)
}

export const decoderOnly: PlasticityRule = {
  id: "decoder-only",
  module: import.meta.url,
  description: "Control: W, C and b frozen; only the decoder learns (delta rule / log-likelihood rule of §4.3).",
  needsDecoderRule: true,
  update
}
