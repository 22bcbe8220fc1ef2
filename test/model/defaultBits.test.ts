/**
 * Default params give the same bits as before the reference's switches existed (issue #12 part 2):
 * the digests below were recorded from the unmodified model (main at c8b468f), before the
 * switches (annealed, inputNoise, normalizeOutput, decoderFixed, nonlinearity) were added. Each
 * case runs two short training trials through the worker task (chained, as the train stage does)
 * and one test trial of the trained network, for every rule and both tasks, and hashes the
 * network and the records. A change of any bit of a default run fails here.
 */
import { createHash } from "node:crypto"
import { assert, describe, it } from "vitest"
import { sampleTestSchedule, sampleTrainingAngles } from "../../src/model/inputs.js"
import { cloneNetwork, initNetwork, type Network } from "../../src/model/network.js"
import type { ModelParams } from "../../src/model/params.js"
import { paths, stream } from "../../src/model/random.js"
import { rules } from "../../src/model/rules/index.js"
import { threeFactor } from "../../src/model/rules/threeFactor.js"
import { defaultParams, getTask, type TaskId } from "../../src/model/tasks/index.js"
import { runTrainTrial } from "../../src/model/trial.js"
import { testTrial, trainTrial } from "../../src/model/trialWorker.js"
import { streamNoise, Workspace } from "../../src/model/workspace.js"

const shortParams = (task: TaskId): ModelParams => ({
  ...defaultParams(task),
  trialSeconds: 3,
  transientSeconds: 1,
  switchSeconds: 1
})

const digest = (arrays: ReadonlyArray<Float64Array | Float32Array>): string => {
  const hash = createHash("sha256")
  for (const a of arrays) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
  return hash.digest("hex").slice(0, 24)
}
const networkArrays = (n: Network) => [n.weights, n.inputWeights, n.biases, n.decoder]

/** Two training trials (k = 0, 1) and one test trial, through the worker tasks. */
function run(task: TaskId, ruleId: keyof typeof rules): string {
  const p = shortParams(task)
  const seed = 11
  const initRng = stream(seed, paths.initWeights)
  let network = initNetwork(p, () => initRng.uniformDouble())
  const records: Array<Float32Array> = []
  let previousObjective = 0
  for (let k = 0; k < 2; k++) {
    const out = trainTrial(
      { network, params: p, ruleId, seed, trial: k, angles: sampleTrainingAngles(p, seed, k), previousObjective },
      rules[ruleId],
      getTask(task)
    )
    network = out.network
    previousObjective = out.lastObjective
    records.push(out.objective, out.outputs)
  }
  const test = testTrial(
    { network, params: p, seed, trial: 0, schedule: sampleTestSchedule(p, seed, 1) },
    getTask(task)
  )
  return digest([...networkArrays(network), ...records, test.rates, test.outputs, test.objective])
}

/** Recorded from main at c8b468f (before the switches), `${task} ${rule}` → digest. */
const expected: Record<string, string> = {
  "estimation three-factor": "fc77b5d834f738e9cb303627",
  "estimation decoder-only": "65fe8dffb3d0eee28d52faf0",
  "estimation no-baseline": "9f11498a8310a77c3eddd95f",
  "estimation reward-baseline": "deecff875e1184206d645712",
  "estimation node-perturbation": "2fd02ae2eaee75640c2dfc10",
  "estimation recurrent-only": "2f86e5566bf54f346ec04fc8",
  "classification three-factor": "fe430a9fdb308445d400558b",
  "classification decoder-only": "5f80d9e2b148582736cf2526",
  "classification no-baseline": "309b7db75a9b097936ded7f6",
  "classification reward-baseline": "f28aaf18309fbd0be65b2b87",
  "classification node-perturbation": "d23c5a8467aedcdf5f0d6e36",
  "classification recurrent-only": "4b2265f86910cd8e7217b201",
  "estimation three-factor js": "147f3694494572c0132d4b76",
  "classification three-factor js": "69e566932acc7bf07a6c4a12"
}

describe("default params: the same bits as before the switches", () => {
  for (const task of ["estimation", "classification"] as const) {
    for (const ruleId of Object.keys(rules) as Array<keyof typeof rules>) {
      it(`${task}, ${ruleId}: two training trials and a test trial`, () => {
        assert.strictEqual(run(task, ruleId), expected[`${task} ${ruleId}`])
      })
    }
    it(`${task}, three-factor on the TypeScript kernels`, () => {
      const p = shortParams(task)
      const initRng = stream(11, paths.initWeights)
      const network = initNetwork(p, () => initRng.uniformDouble())
      const ws = new Workspace(p, cloneNetwork(network), threeFactor, getTask(p.task), undefined, "js")
      runTrainTrial(ws, p, {
        angles: sampleTrainingAngles(p, 11, 0),
        noise: streamNoise(stream(11, paths.trainNoise(0)), p.dt)
      })
      assert.strictEqual(digest(networkArrays(ws.network())), expected[`${task} three-factor js`])
    })
  }
})
