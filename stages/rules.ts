/**
 * The plasticity rule as a service: the `train` stage requires {@link PlasticityRule}, a pipeline
 * provides one implementation. Each implementation's fingerprint is its own module under
 * `src/model/rules/`, so swapping rules re-hits earlier runs' cache entries and editing one rule
 * invalidates only the runs that used it.
 *
 * To add a rule: write `src/model/rules/myRule.ts` (see README "Write your own plasticity rule")
 * and register it in `src/model/rules/index.ts`; it appears here and in `--set rule=…`.
 */
import * as Layer from "effect/Layer"
import * as Service from "../src/engine/Service.js"
import { type RuleId, ruleIds, rules } from "../src/model/rules/index.js"
import { PlasticityRule } from "./plasticityRule.js"

/** One provided implementation per registered rule. */
export const ruleImpls = Object.fromEntries(
  ruleIds.map((id) => [
    id,
    Service.impl(PlasticityRule, id, Layer.succeed(PlasticityRule, rules[id]), rules[id].module)
  ])
) as Record<RuleId, Service.Impl>

export { PlasticityRule, type RuleId, ruleIds }
