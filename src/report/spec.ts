/**
 * The report as data (DESIGN §15, issue #18): a report is a list of figure specs, each with its
 * file, its section, what runs it needs, and a pure `render` from the run's report inputs to the
 * figure's SVG and caption. Every spec is one module of its own (`figures/<name>.ts`): the
 * pipeline runs each spec as its own cached node (`figure-<name>`), whose key covers the spec's
 * module, so editing one caption or one figure reruns that figure and the report, nothing else.
 * Each task contributes its list of specs (the common ones and its own).
 *
 * Spec modules import nothing heavy at load time (d3 and jsdom load inside `render`), so a
 * pipeline can list its figures without loading them.
 */
import type { Analyzed, AngleHistogram, ReportInputs, TrainingInputs } from "./inputs.js"

/** The report's sections, in the order they appear: the paper's story (learning, behaviour, code). */
export const sections = {
  learning: "Learning",
  behaviour: "Behaviour",
  tuning: "Code: tuning",
  classes: "Code: class separation",
  manifold: "Code: intrinsic manifold",
  noise: "Code: noise",
  energy: "Code: energy",
  currents: "Code: currents",
  model: "Model"
} as const
export type Section = (typeof sections)[keyof typeof sections]
export const sectionOrder: ReadonlyArray<Section> = Object.values(sections)

/** What a figure needs of a run beyond the trained network's analysis. */
export type Need =
  /** The training (learning curve, last trials): absent when a network file is tested. */
  | "training"
  /** The untrained network's analysis: absent when a network file is tested. */
  | "initial"
  /** The training stimuli's histogram (a stimulus task's `sample-inputs`). */
  | "stimuli"

/** One figure: where it goes, what it needs, and how it is drawn from a run's inputs `I`. */
export interface FigureSpec<I> {
  /** Unique within a report: the node is `figure-<id>`, the file `<id>.svg` unless `file` says otherwise. */
  readonly id: string
  readonly file: string
  readonly section: Section
  readonly needs: ReadonlyArray<Need>
  /** `import.meta.url` of the spec's module: the root of its node's code fingerprint. */
  readonly module: string
  /** The SVG and its one-paragraph caption. Pure; may load the drawing code lazily. */
  readonly render: (inputs: I) => Promise<{ readonly svg: string; readonly caption: string }>
}

/** A figure of any report (its inputs' type erased: the figure stage hands it the run's parsed inputs). */
// biome-ignore lint/suspicious/noExplicitAny: a spec of any inputs
export type AnyFigureSpec = FigureSpec<any>

/** Defines a figure spec; `file` defaults to `<id>.svg`. */
export const figure = <I>(spec: Omit<FigureSpec<I>, "file"> & { readonly file?: string }): FigureSpec<I> => ({
  ...spec,
  file: spec.file ?? `${spec.id}.svg`
})

/** The report's header numbers and per-angle table. */
export interface ReportContent {
  readonly title: string
  readonly subtitle: string
  readonly keyNumbers: ReadonlyArray<{ readonly label: string; readonly value: number | string }>
  readonly tables: ReadonlyArray<{
    readonly caption: string
    readonly columns: ReadonlyArray<string>
    readonly rows: ReadonlyArray<ReadonlyArray<string | number>>
  }>
}

/** How a task's report opens: its title, key numbers and tables, from a run's inputs `I` (its own module). */
export interface ContentSpec<I> {
  readonly id: string
  readonly module: string
  readonly content: (inputs: I) => Promise<ReportContent>
}

// biome-ignore lint/suspicious/noExplicitAny: a content spec of any inputs
export type AnyContentSpec = ContentSpec<any>

/** The figures of a list that a run has what they need for. */
export const applicable = <S extends { readonly needs: ReadonlyArray<Need> }>(
  specs: ReadonlyArray<S>,
  has: ReadonlyArray<Need>
): Array<S> => specs.filter((s) => s.needs.every((n) => has.includes(n)))

export type { Analyzed, AngleHistogram, ReportInputs, TrainingInputs }
