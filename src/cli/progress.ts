// Progress bars on stderr (cli-progress) when it is a terminal; silent otherwise or with --quiet.
import cliProgress from "cli-progress";

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

/** One stderr line when taking a folder removed temporary files of a killed run. */
export function noteStaleTemps(removed: number, dir: string): void {
  if (removed)
    process.stderr.write(
      `note: removed ${removed} temporary file${removed > 1 ? "s" : ""} a stopped run left in ${dir}\n`,
    );
}
