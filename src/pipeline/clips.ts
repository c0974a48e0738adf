// Generating clips from held-out seeds and writing them: <genre>.<k>.wav (the new audio), .seed.wav
// (the 0.9 s seed), .real.wav (what really followed the seed, when the song has it) and a .json sidecar.
import { join } from "node:path";
import { writeWav16 } from "../audio/index.js";
import { fileStem, labelIndex, pickSeeds, readPart, type Song } from "../data/index.js";
import { defaultTemperature, generate } from "../models/generate.js";
import type { Generator } from "../models/generator.js";
import type { GeneratorInfo } from "../models/load.js";
import type { TokenGenerator } from "../models/token-generator.js";
import { manualSeed } from "../torch/index.js";
import { writeJsonAtomic } from "../util/fs.js";

export interface ClipRequest {
  model: Generator | TokenGenerator;
  /** Checkpoint path and its training genre ("all" for a conditioned model), recorded in sidecars. */
  checkpoint: string;
  modelGenre: string;
  /** The model's label list (its checkpoint's `genres`): a conditioned model's genre index is into it. */
  labels: readonly string[];
  epoch: number;
  sampleRate: number;
  /** Seed songs by genre to generate for. */
  seedSongs: ReadonlyMap<string, readonly Song[]>;
  perGenre: number;
  seconds: number;
  /** Default: the model's own (defaultTemperature). */
  temperature?: number;
  /** Beats a minute (a model with a beat clock; default: each genre's usual tempo). */
  tempo?: number;
  /** Where in its song each seed starts (seconds); default: a random non-silent place. */
  seedOffset?: number;
  seed: number;
}

/** What a loaded generator checkpoint gives a request: the model, its path, genre, label list, epoch and rate. */
export const fromCheckpoint = (model: Generator | TokenGenerator, meta: GeneratorInfo, checkpoint: string) => ({
  model,
  checkpoint,
  modelGenre: meta.genre,
  labels: meta.genres,
  epoch: meta.epoch,
  sampleRate: meta.sampleRate,
});

/** A written clip's files: paths as written (a run's clips.json keeps their names, RunPaths.clip). */
export interface GeneratedClip {
  genre: string;
  name: string;
  wav: string;
  seedWav: string;
  realWav: string | null;
  sidecar: string;
  seedFile: string;
  seedOffsetSeconds: number;
}

/** Generates every requested clip in one batch and writes them under `outDir`; returns what was written. */
export function generateClips(r: ClipRequest, outDir: string): GeneratedClip[] {
  const inputSamples = r.model.config.inputSamples;
  const seeds = [...r.seedSongs].flatMap(([genre, songs]) =>
    pickSeeds(
      songs,
      r.perGenre,
      inputSamples,
      r.seed,
      r.seedOffset === undefined ? undefined : Math.round(r.seedOffset * r.sampleRate),
    ).map((s) => ({ ...s, genre })),
  );
  manualSeed(r.seed); // the random draws of a mu-law head or a noise input: same request, same clips
  const temperature = r.temperature ?? defaultTemperature(r.model.config);
  const beatGuidance = "beatGuidance" in r.model.config ? (r.model.config.beatGuidance ?? 1) : 1;
  const audio = generate(
    r.model,
    seeds.map((s) => s.samples),
    {
      seconds: r.seconds,
      sampleRate: r.sampleRate,
      temperature,
      tempo: r.tempo,
      genres: r.model.config.genres > 0 ? seeds.map((s) => labelIndex(r.labels, s.genre, r.checkpoint)) : undefined,
    },
  );
  const counters = new Map<string, number>();
  return seeds.map((s, i) => {
    const k = counters.get(s.genre) ?? 0;
    counters.set(s.genre, k + 1);
    const name = `${fileStem(s.genre)}.${k}`;
    const base = join(outDir, name);
    const start = s.offset + inputSamples;
    const real = readPart(s.song, start, audio[i]!.length);
    writeWav16(`${base}.wav`, audio[i]!, r.sampleRate);
    writeWav16(`${base}.seed.wav`, s.samples, r.sampleRate);
    const realWav = real.length === audio[i]!.length ? `${base}.real.wav` : null;
    if (realWav) writeWav16(realWav, real, r.sampleRate);
    const clip: GeneratedClip = {
      genre: s.genre,
      name,
      wav: `${base}.wav`,
      seedWav: `${base}.seed.wav`,
      realWav,
      sidecar: `${base}.json`,
      seedFile: s.song.track.path,
      seedOffsetSeconds: s.offset / r.sampleRate,
    };
    writeJsonAtomic(clip.sidecar, {
      genre: s.genre,
      seedFile: clip.seedFile,
      seedOffsetSeconds: clip.seedOffsetSeconds,
      seedSeconds: inputSamples / r.sampleRate,
      seconds: r.seconds,
      sampleRate: r.sampleRate,
      temperature,
      ...(r.tempo ? { tempo: r.tempo } : {}),
      ...(beatGuidance !== 1 ? { beatGuidance } : {}),
      checkpoint: r.checkpoint,
      modelGenre: r.modelGenre,
      epoch: r.epoch,
    });
    return clip;
  });
}
