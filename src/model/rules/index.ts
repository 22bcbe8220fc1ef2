/**
 * The registry of plasticity rules, by id. To add a rule: write `rules/<name>.ts` exporting a
 * `PlasticityRule` (see `rule.ts`), and add one line to `rules` below.
 */
import type { PlasticityRule } from "../rule.js"
import { decoderOnly } from "./decoderOnly.js"
import { noBaseline } from "./noBaseline.js"
import { nodePerturbation } from "./nodePerturbation.js"
import { recurrentOnly } from "./recurrentOnly.js"
import { rewardBaseline } from "./rewardBaseline.js"
import { threeFactor } from "./threeFactor.js"

export const rules = {
  "three-factor": threeFactor,
  "decoder-only": decoderOnly,
  "no-baseline": noBaseline,
  "reward-baseline": rewardBaseline,
  "node-perturbation": nodePerturbation,
  "recurrent-only": recurrentOnly
} as const satisfies Record<string, PlasticityRule>

export type RuleId = keyof typeof rules
export const ruleIds = Object.keys(rules) as ReadonlyArray<RuleId>
export const defaultRuleId: RuleId = "three-factor"

/** The rule of an id; throws an Error listing the valid ids for an unknown one. */
export function getRule(id: string): PlasticityRule {
  const rule = (rules as Record<string, PlasticityRule>)[id]
  if (rule === undefined) throw new Error(`unknown plasticity rule "${id}"; valid rules: ${ruleIds.join(", ")}`)
  return rule
}

export { decoderOnly, noBaseline, nodePerturbation, recurrentOnly, rewardBaseline, threeFactor }
