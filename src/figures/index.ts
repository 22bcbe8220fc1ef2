/**
 * Figures: pure functions from plain data to an SVG document string (d3 on a fresh jsdom document
 * per call), and the HTML report that assembles them.
 *
 * @module
 */
export {
  type AngleCurvesData,
  type AngleCurvesOptions,
  type AnglePanel,
  type AngleSeries,
  angleCurves
} from "./angleCurves.js"
export { type BarChartData, type BarChartOptions, barChart } from "./barChart.js"
export { type ConfusionMatrixData, type ConfusionMatrixOptions, confusionMatrix } from "./confusionMatrix.js"
export { type CorrelationMatrixData, type CorrelationMatrixOptions, correlationMatrix } from "./correlationMatrix.js"
export { type DprimeData, type DprimeOptions, type DprimeSeries, dprime } from "./dprime.js"
export {
  type ErrorByAngleData,
  type ErrorByAngleOptions,
  type ErrorSeries,
  errorByAngle,
  type PriorDensity
} from "./errorByAngle.js"
export { type FiCurveData, type FiCurveOptions, fiCurve } from "./fiCurve.js"
export {
  type HistogramPanel,
  type HistogramPanelsData,
  type HistogramPanelsOptions,
  type HistogramSeries,
  histogramPanels
} from "./histogramPanels.js"
export { type InputDistributionData, type InputDistributionOptions, inputDistribution } from "./inputDistribution.js"
export {
  type MatrixAxis,
  type MatrixPanel,
  type MatrixPanelsData,
  type MatrixPanelsOptions,
  matrixPanels
} from "./matrixPanels.js"
export {
  movingAverage,
  type ObjectiveCurveData,
  type ObjectiveCurveOptions,
  type ObjectiveSeries,
  objectiveCurve
} from "./objectiveCurve.js"
export {
  type CloudPanel,
  ellipsePoints,
  type OutputCloudsData,
  type OutputCloudsOptions,
  outputClouds
} from "./outputClouds.js"
export { type OutputTraceData, type OutputTraceOptions, outputTrace } from "./outputTrace.js"
export {
  angleHistogram,
  type PreferredAnglesData,
  type PreferredAnglesOptions,
  preferredAngles
} from "./preferredAngles.js"
export { type RadialBiasData, type RadialBiasOptions, type RadialBiasSeries, radialBias } from "./radialBias.js"
export {
  escapeHtml,
  formatNumber,
  formatParams,
  type KeyNumber,
  type ProvenanceEntry,
  type ReportData,
  type ReportFigure,
  type ReportSection,
  type ReportTable,
  renderReport
} from "./report.js"
export {
  type WindowFigureOptions,
  type WindowHistogramData,
  type WindowSeries,
  type WindowTraceData,
  windowHistogram,
  windowTrace
} from "./rewardWindow.js"
export { linearFit, type SignalNoiseData, type SignalNoiseOptions, signalNoise } from "./signalNoise.js"
export {
  type NeuronTuning,
  selectNeurons,
  type TuningCurvesData,
  type TuningCurvesOptions,
  tuningCurves
} from "./tuningCurves.js"
export { type VarianceExplainedData, type VarianceExplainedOptions, varianceExplained } from "./varianceExplained.js"
