// `npm run bench:streaming`: classifier training steps per second with the songs in memory against
// streamed from the decoded-audio cache (StoredSong: each window read when its batch is cut), on the
// demo set, in one process, alternating so that both see the same machine; and how much of a step the
// input pipeline (reading windows, their mels) takes, against inputs that were ready.
// Usage: node dist/bench/streaming.js [--steps N] [--rounds R]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveData } from "../src/cli/data.js";
import { MelSpectrogram, WORK_RATE } from "../src/audio/index.js";
import { ClassifierExamples, loadSplitSongs } from "../src/data/index.js";
import { melSettingsOf, trainClassifier } from "../src/train/classifier.js";
import { parseClassifierConfig } from "../src/train/classifier-config.js";

const arg = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const steps = arg("--steps", 30);
const rounds = arg("--rounds", 3);
const data = resolveData("demo", true);
const config = parseClassifierConfig({ epochs: 1, patience: 0 }, "bench");

/** Seconds per step over `steps` steps after 3 warm-up steps (the epoch is stopped there). */
async function secondsPerStep(stream: boolean): Promise<number> {
  const d = await loadSplitSongs(data, { split: "seed", seed: 0, stream });
  const times: number[] = [];
  try {
    trainClassifier({
      train: d.songs.train, valid: d.songs.valid.slice(0, 1), labels: d.labels, config, checkpointDir: mkdtempSync(join(tmpdir(), "genrelab-bench-")),
      metricsPath: join(tmpdir(), `genrelab-bench-${process.pid}.jsonl`),
      onStep: (_e, step) => {
        times.push(performance.now());
        if (step >= steps + 3) throw new Error("enough");
      },
    });
  } catch (err) {
    if ((err as Error).message !== "enough") throw err;
  }
  return (times[times.length - 1]! - times[2]!) / 1000 / (times.length - 3);
}

const memory: number[] = [];
const streamed: number[] = [];
for (let r = 0; r < rounds; r++) {
  memory.push(await secondsPerStep(false));
  streamed.push(await secondsPerStep(true));
}
/** Seconds to cut one batch (read its windows, compute their mels) without training on it. */
async function inputSeconds(): Promise<number> {
  const d = await loadSplitSongs(data, { split: "seed", seed: 0 });
  const ex = new ClassifierExamples(d.songs.train, new MelSpectrogram(melSettingsOf(config)), { sampleRate: WORK_RATE, windowSeconds: config.windowSeconds });
  const it = ex.batches(config.batchSize, { seed: 1, augment: config.augment });
  let t0 = 0;
  let n = 0;
  for (let i = 0; i < steps + 3; i++) {
    if (i === 3) t0 = performance.now();
    const next = it.next();
    if (next.done) break;
    next.value.x.dispose();
    next.value.y.dispose();
    if (i >= 3) n++;
  }
  return (performance.now() - t0) / 1000 / n;
}

const best = (xs: number[]) => Math.min(...xs);
const input = best(await Promise.all([inputSeconds(), inputSeconds()]));
console.log(`| songs | steps/s | \n|---|---|\n| in memory | ${(1 / best(memory)).toFixed(2)} |\n| streamed from the cache | ${(1 / best(streamed)).toFixed(2)} |`);
console.log(`| inputs ready (a step less its input pipeline) | ${(1 / (best(streamed) - input)).toFixed(2)} |`);
console.log(`streamed / in memory: ${(best(memory) / best(streamed)).toFixed(3)}× (best of ${rounds} rounds of ${steps} steps)`);
console.log(`input pipeline (read + mel): ${(1000 * input).toFixed(1)} ms of a ${(1000 * best(streamed)).toFixed(1)} ms step; steps/s with it against inputs ready: ${((best(streamed) - input) / best(streamed)).toFixed(3)}×`);
