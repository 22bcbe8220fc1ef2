/**
 * The reference's switches as pipeline params (issue #12 part 2): each is a param of both
 * experiments, off by default, validated, and reaches the model parameters every simulating
 * stage (and so every worker task) receives.
 */
import * as Schema from "effect/Schema"
import { assert, describe, it } from "vitest"
import { experimentParams, modelParams } from "../../pipelines/experiment.js"
import { defaultModelParams } from "../../src/model/params.js"
import { Dynamics, Learning, split } from "../../stages/params.js"

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
      assert.deepStrictEqual(defaults, { ...defaultModelParams(task), N: defaults.N })
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
