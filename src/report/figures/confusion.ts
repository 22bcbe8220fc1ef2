/** The classifier's confusion matrix after learning ({@link confusion}) and before ({@link confusionInitial}). */
import { figure, sections } from "../spec.js"
import type { ClassificationInputs } from "./types.js"

const render = async (inputs: ClassificationInputs, which: "trained" | "initial") => {
  const { states } = await import("../common.js")
  const { confusionMatrix } = await import("../../figures/confusionMatrix.js")
  const { after, before } = states(inputs)
  const name = which === "trained" ? after : before
  const cm = inputs[which]!.details.classification.confusion
  return {
    caption: `Confusion matrix of the classifier ${name} over all recorded samples (rows: the target class; columns: output > 0.5).`,
    svg: confusionMatrix({ labels: ["class 0", "class 1"], counts: cm.counts }, { title: `Confusion matrix (${name})` })
  }
}

export const confusionInitial = figure<ClassificationInputs>({
  id: "confusion-initial",
  section: sections.behaviour,
  needs: ["initial"],
  module: import.meta.url,
  render: (inputs) => render(inputs, "initial")
})

export const confusion = figure<ClassificationInputs>({
  id: "confusion",
  section: sections.behaviour,
  needs: [],
  module: import.meta.url,
  render: (inputs) => render(inputs, "trained")
})
