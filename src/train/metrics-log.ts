// Per-epoch metrics as JSON lines (metrics.jsonl), and each step's training loss beside them
// (steps/<name>.jsonl, for curves finer than an epoch). Both are rewritten atomically at each epoch's
// end, so a crash never leaves a half line, and a resumed run continues the same files.
import type { StepRow } from "../util/step-row.js";
import { mkdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../util/fs.js";
import { readJsonLines } from "../util/json.js";

export type EpochMetrics = { epoch: number } & Record<string, number | string | null>;

/** What every training loop takes besides its data and settings: where metrics go, and progress hooks. */
export interface TrainingHooks {
  metricsPath: string;
  resume?: boolean;
  onEpoch?: (row: EpochMetrics) => void;
  /** After each step: the epoch (1-based), the step within it, steps per epoch, the step's loss. */
  onStep?: (epoch: number, step: number, steps: number, loss: number) => void;
}

/** One training step's loss; `step` counts from 1 over the whole run. */

/** The folder of step logs in a metrics folder: a subfolder, so readers of metrics/*.jsonl see epochs only. */
export const stepsDirOf = (metricsDir: string): string => join(metricsDir, "steps");

/** Where the step losses of the metrics file `path` go. */
export const stepsPathOf = (path: string): string => join(stepsDirOf(dirname(path)), basename(path));

export class MetricsLog {
  readonly rows: EpochMetrics[];
  readonly steps: StepRow[];
  readonly stepsPath: string;
  constructor(
    readonly path: string,
    resume = false,
  ) {
    this.stepsPath = stepsPathOf(path);
    this.rows = resume ? readJsonLines<EpochMetrics>(path) : [];
    this.steps = resume ? readJsonLines<StepRow>(this.stepsPath) : [];
  }
  /**
   * Makes the log end at `epoch`, the resumed checkpoint's: drops rows after it (work a resumed run
   * will redo) and adds its row from the checkpoint when a kill came between the two writes.
   */
  resumeAt(epoch: number, row: EpochMetrics | null): void {
    while (this.rows.length && this.rows[this.rows.length - 1]!.epoch > epoch) this.rows.pop();
    while (this.steps.length && this.steps[this.steps.length - 1]!.epoch > epoch) this.steps.pop();
    if (row && row.epoch === epoch && this.rows[this.rows.length - 1]?.epoch !== epoch) this.append(row);
  }
  /** A step's loss, kept until `writeSteps`. */
  step(epoch: number, loss: number): void {
    this.steps.push({ epoch, step: (this.steps.at(-1)?.step ?? 0) + 1, loss });
  }
  /**
   * Writes the step log: at an epoch's end, before its checkpoint. A checkpoint can restore its epoch's
   * row (resumeAt) but not its steps, so they must be on disk first; a kill in between leaves steps of
   * an epoch that will be trained again, which resumeAt drops.
   */
  writeSteps(): void {
    if (!this.steps.length) return;
    mkdirSync(dirname(this.stepsPath), { recursive: true });
    writeFileAtomic(this.stepsPath, lines(this.steps));
  }
  append(row: EpochMetrics): void {
    this.rows.push(row);
    writeFileAtomic(this.path, lines(this.rows));
  }
}

const lines = (rows: readonly object[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
