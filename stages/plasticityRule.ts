/**
 * The plasticity rule as a service tag: the `train` stage requires it, a pipeline (or one node)
 * provides an implementation (stages/rules.ts). This module imports no rule, so a stage's code
 * fingerprint covers only the rule its run was given.
 */
import * as Context from "effect/Context"
import type { PlasticityRule as Rule } from "../src/model/rule.js"

/** The plasticity rule the `train` stage learns with. */
export class PlasticityRule extends Context.Tag("plastic-net/PlasticityRule")<PlasticityRule, Rule>() {}
