/**
 * The plasticity-rule interface (DESIGN §8, issue #5): what a training step needs from a rule.
 *
 * After the clamp of every training step (§4.1(g)) the step calls `rule.update(ws, learn)` once.
 * The rule owns §4.1(h)–(i) for itself:
 * - it maintains the running averages it uses (`updateAverages`, `updateObjectiveAverage` in
 *   step.ts), on every step, learning or not (the reference averages from step 1 on);
 * - when `learn` is true (t·dt > transient) it updates ws.weights, ws.inputWeights, ws.biases and
 *   ws.decoder in place from the workspace's rates, input, target, noise and averages;
 * - it leaves ws.recurrent = W·r_t and ws.inputCurrent = C·s_t (with the updated W, C) for the
 *   next step: `computeCurrents(ws)` does that, or the rule fuses it into its own loops.
 *
 * The update is a plain synchronous function of the workspace: no Effect, no allocation.
 * `module` is the rule file's `import.meta.url`, so the engine can fingerprint the code of the
 * rule a run used. Rules are registered by id in `rules/index.ts`.
 */
import type { Workspace } from "./workspace.js"

export interface PlasticityRule {
  /** Registry id, e.g. `three-factor` (what `--set rule=…` takes). */
  readonly id: string
  /** `import.meta.url` of the module defining the rule (for code fingerprints). */
  readonly module: string
  /** One sentence: what the rule does, with its formula. */
  readonly description: string
  /**
   * True for a rule that learns nothing but the decoder (`decoder-only`): a task without a decoder
   * rule (the BCI's fixed decoder) refuses it by name.
   */
  readonly needsDecoderRule?: boolean
  /** Optional: resets the rule's per-trial state at the start of each training trial. */
  readonly startTrial?: (ws: Workspace) => void
  /** One training step's averaging and (when `learn`) learning, then the next step's currents. */
  readonly update: (ws: Workspace, learn: boolean) => void
}
