/**
 * Issue #5: rules are swappable services with their own code fingerprints. Planning (no
 * simulation) checks the keys: a training's key covers its rule's file and no other rule's;
 * swapping A → B → A gives back A's key; a sweep over rules (the comparison) shares one init and
 * one sample-inputs; its three-factor training is the same cache entry as the estimation pipeline's
 * `train`.
 */
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { assert, describe } from "vitest"
import { estimation } from "../../pipelines/experiments.js"
import { registry } from "../../pipelines/index.js"
import { plan, planSweep, tempDir } from "../engine/helpers.js"

const small = ["trainTrials=2", "testTrials=2", "trialSeconds=20", "switchSeconds=5"]
const keyOf = (p: { nodes: ReadonlyArray<{ name: string; key: string }> }, name: string) =>
  p.nodes.find((n) => n.name === name)!.key

describe("plasticity rules as services", () => {
  const cache = tempDir("rules")

  it.effect("a training's code covers its own rule only", () =>
    Effect.gen(function* () {
      const p = yield* plan(estimation, [...small, "rule=decoder-only"], cache)
      const train = p.nodes.find((n) => n.name === "train")!
      const ruleFiles = (files: ReadonlyArray<{ path: string }>) =>
        files.map((f) => f.path).filter((f) => f.includes("src/model/rules/"))
      assert.deepStrictEqual(ruleFiles(train.fingerprint.files), [])
      // Its services: the rule, and the task (its own module, like the rule's).
      const rule = train.services.filter((s) => s.tag === "plastic-net/PlasticityRule")
      assert.strictEqual(rule.length, 1)
      assert.strictEqual(rule[0]!.id, "decoder-only")
      assert.match(rule[0]!.module, /rules\/decoderOnly\.ts$/)
      const task = train.services.filter((s) => s.tag === "plastic-net/TaskModel")
      assert.deepStrictEqual(
        task.map((s) => s.id),
        ["estimation"]
      )
      assert.match(task[0]!.module, /model\/tasks\/estimation\.ts$/)
      // No other task's model reaches the training's key.
      assert.deepStrictEqual(
        train.fingerprint.files.map((f) => f.path).filter((f) => f.includes("src/model/tasks/")),
        ["src/model/tasks/objectives.ts"].filter((f) => train.fingerprint.files.some((x) => x.path === f))
      )
    })
  )

  it.effect("swapping the rule A → B → A gives back A's key, and only training and its descendants change", () =>
    Effect.gen(function* () {
      const a = yield* plan(estimation, [...small, "rule=three-factor"], cache)
      const b = yield* plan(estimation, [...small, "rule=no-baseline"], cache)
      const again = yield* plan(estimation, [...small, "rule=three-factor"], cache)
      for (const n of a.nodes) assert.strictEqual(keyOf(again, n.name), n.key, n.name)
      const changed = a.nodes.filter((n) => keyOf(b, n.name) !== n.key).map((n) => n.name)
      const figures = a.nodes.filter((n) => n.name.startsWith("figure-")).map((n) => n.name)
      assert.isAtLeast(figures.length, 20)
      assert.deepStrictEqual(
        changed.sort(),
        ["analyze", "metrics", "plot", "report", "test", "train", ...figures].sort()
      )
    })
  )

  it.effect("a sweep over rules shares its upstream stages and reuses the estimation pipeline's training", () =>
    Effect.gen(function* () {
      const single = yield* plan(estimation, small, cache)
      const compare = yield* planSweep(registry, estimation, small, ["rule=three-factor,decoder-only"], cache)
      assert.strictEqual(compare.nodes.filter((n) => n.stage.name === "init").length, 1)
      assert.strictEqual(compare.nodes.filter((n) => n.stage.name === "sample-inputs").length, 1)
      assert.strictEqual(keyOf(compare, "init"), keyOf(single, "init"))
      assert.strictEqual(keyOf(compare, "train[rule=three-factor]"), keyOf(single, "train"))
      assert.strictEqual(keyOf(compare, "test[rule=three-factor]"), keyOf(single, "test"))
      assert.notStrictEqual(keyOf(compare, "train[rule=decoder-only]"), keyOf(single, "train"))
    })
  )

  it.effect("a σ × rule sweep has one training per member, and its σ = 0.2 three-factor one is estimation's", () =>
    Effect.gen(function* () {
      const sweep = yield* planSweep(
        registry,
        estimation,
        small,
        ["sigma=0.1,0.2", "rule=three-factor,decoder-only"],
        cache
      )
      const trains = sweep.nodes.filter((n) => n.stage.name === "train").map((n) => n.name)
      assert.deepStrictEqual(trains.sort(), [
        "train[sigma=0.1,rule=decoder-only]",
        "train[sigma=0.1,rule=three-factor]",
        "train[sigma=0.2,rule=decoder-only]",
        "train[sigma=0.2,rule=three-factor]"
      ])
      // The stimuli do not read σ or the rule: one sample-inputs for all four.
      assert.deepStrictEqual(
        sweep.nodes.filter((n) => n.stage.name === "sample-inputs").map((n) => n.name),
        ["sample-inputs"]
      )
      const single = yield* plan(estimation, small, cache)
      assert.strictEqual(keyOf(sweep, "train[sigma=0.2,rule=three-factor]"), keyOf(single, "train"))
    })
  )
})

describe("stages that load their libraries lazily", () => {
  it.effect("still cover them in their code fingerprint", () =>
    Effect.gen(function* () {
      const p = yield* plan(estimation, small, tempDir("lazy"))
      const files = (name: string) => p.nodes.find((n) => n.name === name)!.fingerprint.files.map((f) => f.path)
      // The analysis worker, named by URL (Stage.code), and what it imports.
      assert.include(files("analyze"), "src/analysis/tasks/estimation.ts")
      assert.include(files("analyze"), "src/analysis/pca.ts")
      assert.notInclude(files("analyze"), "src/analysis/tasks/classification.ts")
      // A figure's spec (its service) and the drawing code it imports lazily.
      const clouds = p.nodes.find((n) => n.name === "figure-output-clouds")!
      assert.match(
        clouds.services.find((s) => s.tag === "plastic-net/FigureSpec")!.module,
        /report\/figures\/outputClouds\.ts$/
      )
      assert.notInclude(files("test"), "src/analysis/pca.ts")
    })
  )

  it.effect("a figure's style reaches nothing upstream of the figures", () =>
    Effect.gen(function* () {
      const p = yield* plan(estimation, small, tempDir("style"))
      const style = ["src/figures/palette.ts", "src/figures/axes.ts", "src/figures/frame.ts"]
      for (const node of p.nodes) {
        // A node's code: its stage's fingerprint and the modules of the services it is given.
        const files = node.fingerprint.files.map((f) => f.path)
        const reached = style.filter((f) => files.includes(f))
        // The figures draw through their specs (services: test/stages/report.test.ts checks their reach).
        if (!node.name.startsWith("figure-") && node.name !== "report") assert.deepStrictEqual(reached, [], node.name)
      }
    })
  )
})
