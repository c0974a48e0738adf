// Progress bars on stderr (cli-progress) when it is a terminal; silent otherwise or with --quiet.
import cliProgress from "cli-progress";
import type { EpochMetrics, TrainingHooks } from "../train/metrics-log.js";

export interface Progress {
  update(done: number, total: number, note?: string): void;
  stop(): void;
}

export function progress(label: string, quiet = false): Progress {
  if (quiet || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(12)} {bar} {percentage}% | {value}/{total} | ETA {eta_formatted} {note}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, note = "") {
      if (!started) {
        bar.start(total, 0, { note });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { note });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** A training step hook moving `bar` through all the steps of `epochs` epochs, with the epoch and loss. */
export const stepProgress =
  (bar: Progress, epochs: number, digits: number) => (epoch: number, step: number, steps: number, loss: number) =>
    bar.update((epoch - 1) * steps + step, epochs * steps, `epoch ${epoch}/${epochs} loss ${loss.toFixed(digits)}`);

/**
 * A training's progress: a bar through its steps (loss to `digits` decimals) and an epoch's `line` after
 * each epoch (none with --quiet); `hooks` go to the trainer, `stop` ends the bar after it.
 */
export function trainingProgress(
  label: string,
  quiet: boolean | undefined,
  epochs: number,
  digits: number,
  line: (row: EpochMetrics) => string,
): { hooks: Pick<TrainingHooks, "onStep" | "onEpoch">; stop(): void } {
  const bar = progress(label, quiet);
  const onEpoch = (row: EpochMetrics) => {
    if (quiet) return;
    bar.stop();
    console.log(line(row));
  };
  return { hooks: { onStep: stepProgress(bar, epochs, digits), onEpoch }, stop: () => bar.stop() };
}

/** One stderr line when taking a folder removed temporary files of a killed run. */
export function noteStaleTemps(removed: number, dir: string): void {
  if (removed)
    process.stderr.write(
      `note: removed ${removed} temporary file${removed > 1 ? "s" : ""} a stopped run left in ${dir}\n`,
    );
}
