// `npm run bench:streaming`: classifier training steps per second with the songs in memory (each
// window's mel computed) against streamed from the cache (StoredSong; windows cut from each song's
// stored mel, MelStore), on the demo set, in one process, alternating so that both see the same
// machine; and how much of a step each input pipeline takes, against inputs that were ready.
// Usage: node dist/bench/streaming.js [--steps N] [--rounds R]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveData } from "../src/cli/data.js";
import { MelSpectrogram, WORK_RATE } from "../src/audio/index.js";
import { ClassifierExamples, loadSplitSongs, MelStore } from "../src/data/index.js";
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
      train: d.songs.train,
      valid: d.songs.valid.slice(0, 1),
      labels: d.labels,
      config,
      checkpointDir: mkdtempSync(join(tmpdir(), "genrelab-bench-")),
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
/** Seconds to cut one batch (read its windows and their mels, or compute the mels) without training on it. */
async function inputSeconds(stored: boolean): Promise<number> {
  const d = await loadSplitSongs(data, { split: "seed", seed: 0 });
  const mel = new MelSpectrogram(melSettingsOf(config));
  const store = stored ? new MelStore(mel, Math.round(config.windowSeconds * WORK_RATE)) : undefined;
  const ex = new ClassifierExamples(d.songs.train, mel, {
    sampleRate: WORK_RATE,
    windowSeconds: config.windowSeconds,
    store,
  });
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
const stored = best([await inputSeconds(true), await inputSeconds(true)]);
const computed = best([await inputSeconds(false), await inputSeconds(false)]);
const ready = best(streamed) - stored;
const ms = (s: number) => `${(1000 * s).toFixed(1)} ms`;
console.log(
  `| songs | steps/s |\n|---|---|\n| in memory, each window's mel computed | ${(1 / best(memory)).toFixed(2)} |`,
);
console.log(`| streamed from the cache, mels cut from the store | ${(1 / best(streamed)).toFixed(2)} |`);
console.log(`| inputs ready (a step less its input pipeline) | ${(1 / ready).toFixed(2)} |`);
console.log(
  `streamed / in memory: ${(best(memory) / best(streamed)).toFixed(3)}× (best of ${rounds} rounds of ${steps} steps)`,
);
console.log(
  `input pipeline, mels from the store: ${ms(stored)} of a ${ms(best(streamed))} step; against inputs ready: ` +
    `${(ready / best(streamed)).toFixed(3)}×`,
);
console.log(
  `input pipeline, mels computed: ${ms(computed)}; against inputs ready: ${(ready / (ready + computed)).toFixed(3)}×`,
);
