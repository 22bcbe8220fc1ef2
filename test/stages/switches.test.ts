/**
 * The reference's switches as pipeline params (issue #12 part 2): each is a param of both
 * experiments, off by default, validated, and reaches the model parameters every simulating
 * stage (and so every worker task) receives.
 */

import { it as effectIt } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { assert, describe, it } from "vitest"
import { experimentParams, modelParams, switchesOf } from "../../pipelines/experiment.js"
import { estimation } from "../../pipelines/experiments.js"
import { defaultParams } from "../../src/model/tasks/index.js"
import { Dynamics, Learning, split } from "../../stages/params.js"
import { switchesLine } from "../../stages/report.js"
import { plan, tempDir } from "../engine/helpers.js"

describe("the switches as experiment params", () => {
  for (const task of ["estimation", "classification"] as const) {
    it(`${task}: default off, and each one reaches the model parameters`, () => {
      const decode = Schema.decodeUnknownSync(experimentParams(task))
      const defaults = modelParams(task, decode({}))
      assert.deepInclude(defaults, {
        annealed: false,
        inputNoise: 0,
        normalizeOutput: false,
        decoderFixed: false,
        nonlinearity: "softplus"
      })
      // With the switches off, the model parameters are the task's reference defaults.
      assert.deepStrictEqual(defaults, { ...defaultParams(task), N: defaults.N })
      const on = modelParams(
        task,
        decode({ annealed: true, inputNoise: 0.25, normalizeOutput: true, decoderFixed: true, nonlinearity: "linear" })
      )
      assert.deepInclude(on, {
        annealed: true,
        inputNoise: 0.25,
        normalizeOutput: true,
        decoderFixed: true,
        nonlinearity: "linear"
      })
      // …and they reach the stages that read them, through their params Schemas: the dynamics
      // (train and test) carry the switches of every trial, the learning (train only) the others.
      const { dynamics, learning } = split(on)
      assert.deepInclude(Schema.decodeUnknownSync(Dynamics)(Schema.encodeSync(Dynamics)(dynamics)), {
        inputNoise: 0.25,
        normalizeOutput: true,
        nonlinearity: "linear"
      })
      assert.deepInclude(Schema.decodeUnknownSync(Learning)(Schema.encodeSync(Learning)(learning)), {
        annealed: true,
        decoderFixed: true
      })
    })
  }

  it("rejects a negative input noise and an unknown nonlinearity, naming the param", () => {
    const decode = Schema.decodeUnknownEither(experimentParams("estimation"))
    const bad = decode({ inputNoise: -0.1 })
    assert.isTrue(bad._tag === "Left" && /inputNoise/.test(String(bad.left)))
    const pair = decode({ nonlinearity: "tanh" })
    assert.isTrue(pair._tag === "Left" && /nonlinearity/.test(String(pair.left)))
  })
})

describe("the report states the switches", () => {
  it("in its header: the reference's settings, or the switches that are on", () => {
    assert.match(
      switchesLine(switchesOf(Schema.decodeUnknownSync(experimentParams("estimation"))({}))),
      /reference's settings/
    )
    const on = switchesOf(
      Schema.decodeUnknownSync(experimentParams("classification"))({ annealed: true, nonlinearity: "linear" })
    )
    assert.strictEqual(switchesLine(on), "switches: annealed, nonlinearity = linear")
  })

  effectIt.effect("through the report stage's params, so its key moves with them", () =>
    Effect.gen(function* () {
      const cache = tempDir("switch-report")
      const sets = ["trainTrials=2", "testTrials=2", "trialSeconds=5"]
      const off = yield* plan(estimation, sets, cache)
      const on = yield* plan(estimation, [...sets, "inputNoise=0.1"], cache)
      const report = (p: typeof off) => p.nodes.find((n) => n.name === "report")!
      assert.deepInclude(report(on).params as object, {
        switches: {
          ...switchesOf({
            annealed: false,
            inputNoise: 0.1,
            normalizeOutput: false,
            decoderFixed: false,
            nonlinearity: "softplus"
          })
        }
      })
      assert.notStrictEqual(report(on).key, report(off).key)
    })
  )
})
