/** How the intrinsic manifold moved with learning: principal angles between the manifolds before and after. */
import { figure, sections } from "../spec.js"

import type { BciInputs } from "./bciTrace.js"

export const manifoldAngles = figure<BciInputs>({
  id: "manifold-angles",
  section: sections.manifold,
  needs: ["initial"],
  module: import.meta.url,
  render: async (inputs) => {
    const { barChart } = await import("../../figures/barChart.js")
    const { formatNumber } = await import("../../figures/format.js")
    const { principalAngles, varianceShare } = await import("../../analysis/closedLoop.js")
    const before = inputs.initial!.details
    const after = inputs.trained.details
    const k = Math.max(1, inputs.initial!.summary.manifold.dimension)
    const angles = principalAngles(before.axes.slice(0, k), after.axes.slice(0, k))
    const degrees = angles.map((a) => (a * 180) / Math.PI)
    const N = after.mean.length
    const kept = varianceShare(Float64Array.from(after.covariance), before.axes.slice(0, k), N)
    return {
      caption: `Principal angles between the untrained network's intrinsic manifold (its first ${k} principal axes, 90% of its variance) and the trained network's first ${k} axes: 0° means the axis is shared, 90° that learning turned it away. The untrained manifold holds ${kept === null ? "—" : `${formatNumber(100 * kept)}%`} of the trained network's variance.`,
      svg: barChart(
        { bars: degrees.map((d, j) => ({ name: `θ${j + 1}`, value: d })) },
        { title: "How the manifold moved", yLabel: "principal angle (degrees)", xLabel: "principal angle (rank)" }
      )
    }
  }
})
