// `npm run experiment:rhythm -- <checkpoint>`: does a token model keep the beat, and where does it lose it
// (docs/GENERATOR.md, item 20)? For the test songs of each genre, the pulse clarity of
// - the real audio after the seed (what the music has),
// - frames each drawn given the real past (one step ahead, never the model's own past), rendered,
// - the model's own 10 s continuations, and the judge's genre for their first and second 5 s.
// If one step ahead of the real past has no beat either, the model never learnt when onsets fall: it is not
// the compounding of its own errors, nor a context too short. Generation only; nothing is trained.
// Usage: node dist/experiments/rhythm.js <checkpoint> [--per-genre 20] [--temperature T] [--beat-guidance W]
// [--judge <classifier checkpoint>] (default: the generator experiment's judge)
import { MelSpectrogram, beatMel, pulseClarity } from "../src/audio/index.js";
import { loadSplitSongs } from "../src/cli/songs.js";
import { classifySamples } from "../src/eval/evaluate.js";
import { positionsForSong, slicePositions } from "../src/models/beat-clock.js";
import { generate, defaultTemperature } from "../src/models/generate.js";
import { loadClassifier, loadGenerator } from "../src/models/load.js";
import { sampleCategorical } from "../src/models/sampling.js";
import { TokenGenerator } from "../src/models/token-generator.js";
import { cat, manualSeed, noGrad, setNumThreads, tensor, tidy } from "../src/torch/index.js";
import { median } from "../src/util/stats.js";
import { flag, judgeOf, root } from "./cli.js";
import { join } from "node:path";

const RATE = 10_000;
const SEED = 9000;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const checkpoint = argv[0];
  if (!checkpoint)
    throw new Error("usage: rhythm.js <token model checkpoint> [--per-genre 20] [--temperature T] [--beat-guidance W]");
  const perGenre = Number(flag(argv, "--per-genre") ?? 20);
  const loaded = loadGenerator(checkpoint);
  const { meta } = loaded;
  if (!(loaded.model instanceof TokenGenerator)) throw new Error(`${checkpoint}: not a token model`);
  const beatGuidance = Number(flag(argv, "--beat-guidance") ?? 1);
  const model = loaded.model.withSampling({ beatGuidance });
  const temperature = Number(flag(argv, "--temperature") ?? defaultTemperature(model.config));
  setNumThreads(2);
  model.eval();
  const judge = loadClassifier(flag(argv, "--judge") ?? judgeOf(join(root, "runs", "experiments")));
  judge.model.eval();
  const judgeMel = new MelSpectrogram(judge.meta.mel);
  const mel = beatMel(RATE);
  const data = await loadSplitSongs({ data: "demo", split: "seed", seed: 0, quiet: true });
  const hop = model.config.hopLength;
  console.log(
    `temperature ${temperature}, beat guidance ${beatGuidance}\n` +
      "| genre | pulse: real | one step ahead of the real past | own 10 s " +
      "| heard as its genre: first 5 s / next 5 s |\n" +
      "|---|---|---|---|---|",
  );
  for (const genre of meta.genres) {
    const label = meta.genres.indexOf(genre);
    const songs = data.songs.test.filter((s) => s.track.genre === genre);
    if (!songs.length) continue;
    // Excerpts of a seed and 10 s, as many from each song, spread evenly over it.
    const each = Math.ceil(perGenre / songs.length);
    const length = SEED + 10 * RATE;
    const excerpts = Array.from({ length: perGenre }, (_, i) => {
      const s = songs[i % songs.length]!.samples;
      const room = Math.max(0, s.length - length - RATE);
      const start = RATE / 2 + Math.round((room * Math.floor(i / songs.length)) / Math.max(1, each - 1));
      return s.slice(start, start + length);
    }).filter((x) => x.length === length);
    const real: number[] = [];
    const oneStep: number[] = [];
    manualSeed(0);
    for (const x of excerpts)
      noGrad(() =>
        tidy(() => {
          const part = x.subarray(0, SEED + 5 * RATE);
          const tokens = model.encode(tensor(part, [1, part.length]));
          const frames = tokens.size(1);
          const beats = model.clock ? [positionsForSong(part, frames, hop, RATE).positions] : undefined;
          const [y] = model.forward(
            tokens,
            tensor([label], [1], "int64"),
            undefined,
            beats && slicePositions(beats, 0, frames),
          );
          const drawn = sampleCategorical(model.logits(y).squeeze(0), temperature, 1).view(1, -1, 1);
          const seq = cat([tokens.narrow(1, 0, 1), drawn.narrow(1, 0, frames - 1)], 1);
          const audio = model.decode(seq, part.length).squeeze(0).toTypedArray() as Float32Array;
          real.push(pulseClarity(part.subarray(SEED), RATE, mel));
          oneStep.push(pulseClarity(audio.subarray(SEED), RATE, mel));
        }),
      );
    manualSeed(0);
    const clips = generate(
      model,
      excerpts.map((x) => x.slice(0, SEED)),
      { seconds: 10, sampleRate: RATE, genres: excerpts.map(() => label), temperature },
    );
    const own = clips.map((c) => pulseClarity(c.subarray(0, 5 * RATE), RATE, mel));
    const heard = [0, 1].map(
      (w) =>
        clips.filter(
          (c) =>
            classifySamples(judge.model, judge.meta, judgeMel, c.subarray(w * 5 * RATE, (w + 1) * 5 * RATE)).genre ===
            genre,
        ).length,
    );
    const pct = (n: number) => `${Math.round((100 * n) / clips.length)} %`;
    console.log(
      `| ${genre} | ${median(real).toFixed(2)} | ${median(oneStep).toFixed(2)} | ${median(own).toFixed(2)} | ` +
        `${pct(heard[0]!)} / ${pct(heard[1]!)} |`,
    );
  }
}

await main();
