// A running run's progress, for the dashboard: stage, steps done of total, a note (the loss) and an
// estimate of the time left, written to stages/progress.json at most once a second (atomically), and
// removed when the run ends. The run's lock, not this file, says whether it is running.
import { rmSync } from "node:fs";
import { writeJsonAtomic } from "../util/fs.js";
import type { RunProgress } from "./run-progress.js";

export class ProgressFile {
  #stage = "";
  #stageStart = 0;
  #firstDone = 0;
  #written = 0;

  constructor(
    readonly path: string,
    readonly minIntervalMs = 1000,
  ) {}

  update(stage: string, done: number, total: number, note?: string): void {
    const now = Date.now();
    const fresh = stage !== this.#stage;
    if (fresh) [this.#stage, this.#stageStart, this.#firstDone] = [stage, now, done];
    if (!fresh && now - this.#written < this.minIntervalMs && done < total) return;
    this.#written = now;
    const rate = (done - this.#firstDone) / ((now - this.#stageStart) / 1000);
    const etaSeconds = rate > 0 ? (total - done) / rate : null;
    const row: RunProgress = {
      stage,
      done,
      total,
      note: note ?? null,
      etaSeconds,
      updated: new Date(now).toISOString(),
    };
    writeJsonAtomic(this.path, row);
  }

  /** The run has ended (or failed): nothing is in progress. */
  clear(): void {
    rmSync(this.path, { force: true });
  }
}
