// genrelab's default generator recipe against the study's on a tiny set: after 2 s of free-running
// generation the default's clips are as loud as the real continuation of their seeds (within 6 dB),
// the study's have faded into a quiet hum.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENRES, demoSong, pickSeeds, type Song } from "../../src/data/index.js";
import { loudnessBySecond } from "../../src/eval/audio-stats.js";
import { generate } from "../../src/models/generate.js";
import { loadGenerator } from "../../src/models/load.js";
import { trainGenerator } from "../../src/train/generator.js";
import { parseGeneratorConfig } from "../../src/train/generator-config.js";
import { median } from "../../src/util/stats.js";

const rate = 10_000;
const song = (label: number, index: number): Song => ({
  track: { id: `${GENRES[label]}.${String(index).padStart(5, "0")}`, genre: GENRES[label]!, label, index, path: "" },
  samples: demoSong(label, index, { seconds: 30, sampleRate: rate, seed: 6 }),
});
const genres = [4, 7]; // hiphop, pop
const train = genres.flatMap((g) => [0, 1, 2].map((k) => song(g, k)));
const heldOut = genres.map((g) => song(g, 9));

/** Median over clips of |generated − real continuation| in dB, for each of seconds 3 and 4. */
function loudnessGap(preset: "genrelab" | "study"): number[] {
  const dir = mkdtempSync(join(tmpdir(), `genrelab-recipe-${preset}-`));
  // Small models: the default's token model, the study's waveform model.
  const small =
    preset === "genrelab"
      ? { epochs: 8, tokens: { codebook: 128, hiddenSize: 64, sequence: 100, batch: 16, kmeansFrames: 10_000 } }
      : { epochs: 4, model: { convChannels: 16, hiddenSize: 32 } };
  const config = parseGeneratorConfig({ preset, ...small });
  const genre = config.model.conditioned ? "all" : "hiphop";
  const r = trainGenerator({
    songs: genre === "all" ? train : train.slice(0, 3),
    genre,
    labels: GENRES,
    config,
    checkpointBase: join(dir, "g"),
    metricsPath: join(dir, "m.jsonl"),
  });
  const { model } = loadGenerator(r.path);
  const seeds = heldOut.flatMap((s) => (genre === "all" || s.track.genre === genre ? pickSeeds([s], 3, 9000, 1) : []));
  const clips = generate(
    model,
    seeds.map((s) => s.samples),
    { seconds: 4, sampleRate: rate, genres: model.config.genres ? seeds.map((s) => s.song.track.label) : undefined },
  );
  const gaps = clips.map((clip, i) => {
    const start = seeds[i]!.offset + 9000;
    const real = seeds[i]!.song.samples.subarray(start, start + clip.length);
    const g = loudnessBySecond(clip, rate);
    const rl = loudnessBySecond(real, rate);
    return [2, 3].map((s) => Math.abs(g[s]! - rl[s]!));
  });
  return [0, 1].map((k) => median(gaps.map((g) => g[k]!)));
}

test("after 2 s the default recipe's clips are within 6 dB of the real continuation; the study's are not", () => {
  const ours = loudnessGap("genrelab");
  const study = loudnessGap("study");
  assert.ok(
    ours.every((g) => g <= 6),
    `default recipe: median gaps ${ours.map((g) => g.toFixed(1))} dB in seconds 3-4`,
  );
  assert.ok(
    study.every((g) => g > 6),
    `study preset: median gaps ${study.map((g) => g.toFixed(1))} dB in seconds 3-4`,
  );
});
