// Per-epoch metrics as JSON lines (metrics.jsonl). The file is rewritten atomically each epoch, so a
// crash never leaves a half line, and a resumed run continues the same file.
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../util/fs.js";

export type EpochMetrics = { epoch: number } & Record<string, number | string | null>;

/** What every training loop takes besides its data and settings: where metrics go, and progress hooks. */
export interface TrainingHooks {
  metricsPath: string;
  resume?: boolean;
  onEpoch?: (row: EpochMetrics) => void;
  /** After each step: the epoch (1-based), the step within it, steps per epoch, the step's loss. */
  onStep?: (epoch: number, step: number, steps: number, loss: number) => void;
}

export class MetricsLog {
  readonly rows: EpochMetrics[];
  constructor(readonly path: string, resume = false) {
    this.rows = resume && existsSync(path)
      ? readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as EpochMetrics)
      : [];
  }
  /**
   * Makes the log end at `epoch`, the resumed checkpoint's: drops rows after it (work a resumed run
   * will redo) and adds its row from the checkpoint when a kill came between the two writes.
   */
  resumeAt(epoch: number, row: EpochMetrics | null): void {
    while (this.rows.length && this.rows[this.rows.length - 1].epoch > epoch) this.rows.pop();
    if (row && row.epoch === epoch && this.rows[this.rows.length - 1]?.epoch !== epoch) this.append(row);
  }
  append(row: EpochMetrics): void {
    this.rows.push(row);
    writeFileAtomic(this.path, `${this.rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  }
}
