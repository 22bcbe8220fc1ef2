/**
 * The README's worked example of a new plasticity rule (`src/model/rules/recurrentOnly.ts`): after
 * registration it is a valid `--set rule=` value, it leaves C and b bit-identical, and its W and
 * D updates are the three-factor rule's.
 */
import { assert, describe, it } from "vitest"
import { sampleTrainingAngles } from "../../src/model/inputs.js"
import { cloneNetwork, initNetwork } from "../../src/model/network.js"
import type { ModelParams } from "../../src/model/params.js"
import { stream } from "../../src/model/random.js"
import { getRule, ruleIds } from "../../src/model/rules/index.js"
import { step } from "../../src/model/step.js"
import { defaultParams, getTask } from "../../src/model/tasks/index.js"
import { streamNoise, Workspace } from "../../src/model/workspace.js"

const p: ModelParams = { ...defaultParams("estimation"), trialSeconds: 2, transientSeconds: 0.5 }
const rng = stream(3, "init/weights")
const network = initNetwork(p, () => rng.uniformDouble())
const angles = sampleTrainingAngles(p, 3, 0)

const run = (ruleId: string) => {
  const ws = new Workspace(p, cloneNetwork(network), getRule(ruleId), getTask(p.task))
  ws.startTrial(angles, streamNoise(stream(3, "train/trial/0/noise"), p.dt), true, 0)
  for (let t = 1; t < 200; t++) step(ws, t)
  return ws
}

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, k) => Math.max(m, Math.abs(x - b[k]!)), 0)

describe("recurrent-only (worked example)", () => {
  it("is registered", () => {
    assert.include(ruleIds, "recurrent-only")
  })

  it("freezes C and b, and learns W and D", () => {
    const ws = run("recurrent-only")
    assert.deepStrictEqual(Array.from(ws.inputWeights), Array.from(network.inputWeights))
    assert.deepStrictEqual(Array.from(ws.biases), Array.from(network.biases))
    assert.isAbove(maxDiff(ws.weights, network.weights), 0)
    assert.isAbove(maxDiff(ws.decoder, network.decoder), 0)
  })

  it("updates W like the three-factor rule on the first learning step", () => {
    // Up to the first learning step (t = 51 for a 0.5 s transient) both rules see the same states.
    const first = Math.floor(p.transientSeconds / p.dt) + 1
    const mine = new Workspace(p, cloneNetwork(network), getRule("recurrent-only"), getTask(p.task))
    const paper = new Workspace(p, cloneNetwork(network), getRule("three-factor"), getTask(p.task))
    for (const ws of [mine, paper]) {
      ws.startTrial(angles, streamNoise(stream(3, "train/trial/0/noise"), p.dt), true, 0)
      for (let t = 1; t <= first; t++) step(ws, t)
    }
    assert.isBelow(maxDiff(mine.weights, paper.weights), 1e-15)
    assert.isBelow(maxDiff(mine.decoder, paper.decoder), 1e-15)
    assert.isAbove(maxDiff(mine.weights, network.weights), 0)
    assert.isAbove(maxDiff(paper.inputWeights, network.inputWeights), 0)
  })
})

describe("loading a rule from its own module (what a worker does)", () => {
  it("finds the rule by id in its module, and names the module when the id is absent", async () => {
    const { loadRule } = await import("../../src/model/trialWorker.js")
    const rule = getRule("recurrent-only")
    assert.strictEqual(await loadRule(rule.module, "recurrent-only"), rule)
    let message = ""
    await loadRule(rule.module, "three-factor").catch((e: Error) => (message = e.message))
    assert.match(message, /recurrentOnly\.(ts|js) exports no plasticity rule with id "three-factor"/)
  })
})
