// `genrelab train-generator` and `genrelab generate`.
import { existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { loadAudio, writeWav16, WORK_RATE } from "../audio/index.js";
import { GENRES, genreIndex, pickSeeds, type Song, type SplitName } from "../data/index.js";
import { generate } from "../models/generate.js";
import { generatorCheckpointBase, loadGenerator, trainGenerator, type GeneratorMeta } from "../train/generator.js";
import { parseGeneratorConfig } from "../train/generator-config.js";
import { writeFileAtomic } from "../util/fs.js";
import { progress } from "./progress.js";
import { runDir } from "./run-dir.js";
import { loadSplitSongs } from "./songs.js";
import { defined, readConfigFile } from "./config-file.js";

export interface TrainGeneratorFlags {
  data: string;
  split: SplitName;
  out: string;
  genre?: string;
  config?: string;
  epochs?: number;
  lr?: number;
  seed?: number;
  threads?: number;
  conditioned?: boolean;
  cell?: "gru" | "lstm";
  unidirectional?: boolean;
  head?: "linear" | "mulaw";
  resume?: boolean;
  quiet?: boolean;
}

export async function trainGeneratorCommand(f: TrainGeneratorFlags): Promise<void> {
  const file = readConfigFile(f.config, "generator");
  const model = { ...(file.model as object | undefined), ...defined({ conditioned: f.conditioned, cell: f.cell, head: f.head, bidirectional: f.unidirectional ? false : undefined }) };
  const config = parseGeneratorConfig({ ...file, ...defined({ epochs: f.epochs, lr: f.lr, seed: f.seed, threads: f.threads }), model }, f.config ?? "generator options");
  if (f.genre && f.genre !== "all") genreIndex(f.genre);
  const genres = f.genre ? [f.genre] : config.model.conditioned ? ["all"] : [...GENRES];
  const run = runDir(f.out);
  const data = await loadSplitSongs({ data: f.data, split: f.split, seed: config.seed, quiet: f.quiet });
  for (const genre of genres) {
    const bar = progress(`G ${genre}`, f.quiet);
    let epoch = 0;
    const r = trainGenerator({
      songs: data.songs.train, genre, config, checkpointBase: generatorCheckpointBase(run.checkpoints, genre),
      metricsPath: run.metrics(`generator-${genre}`), resume: f.resume,
      onStep: (step, steps, loss) => bar.update(epoch * steps + step, config.epochs * steps, `epoch ${epoch + 1}/${config.epochs} loss ${loss.toFixed(5)}`),
      onEpoch: (row) => {
        epoch = row.epoch;
        if (f.quiet) return;
        bar.stop();
        console.log(`${genre} epoch ${row.epoch}: train ${fmt(row.trainLoss)}, valid ${fmt(row.validLoss)} (MSE ${fmt(row.validMse)}; silence ${fmt(row.silenceMse)}, repeat ${fmt(row.repeatMse)}) ${(row.seconds as number).toFixed(1)} s`);
      },
    });
    bar.stop();
    console.log(`${genre}: best epoch ${r.best?.epoch} (valid loss ${fmt(r.best?.validLoss)}) → ${r.path}.safetensors`);
  }
}

const fmt = (x: unknown): string => Number(x ?? NaN).toExponential(3);

export interface GenerateFlags {
  seedFrom: string;
  out: string;
  seconds: number;
  genre?: string;
  count: number;
  temperature: number;
  seed: number;
  split: SplitName;
  quiet?: boolean;
}

/** Seeds of `genre` from held-out songs (a data folder's test split) or from one audio file. */
async function seedSongs(f: GenerateFlags, genre: string, meta: GeneratorMeta): Promise<Song[]> {
  if (existsSync(f.seedFrom) && statSync(f.seedFrom).isFile()) {
    const { samples } = await loadAudio(f.seedFrom, WORK_RATE);
    return [{ track: { id: basename(f.seedFrom), genre: GENRES[genreIndex(genre)], label: genreIndex(genre), index: 0, path: f.seedFrom }, samples }];
  }
  const data = await loadSplitSongs({ data: f.seedFrom, split: f.split, seed: meta.train.seed, quiet: true });
  const trained = new Set(meta.trainSongs);
  const songs = data.songs.test.filter((s) => s.track.genre === genre && !trained.has(s.track.id));
  if (!songs.length) throw new Error(`${f.seedFrom}: no held-out ${genre} songs in the ${f.split} test split to take seeds from`);
  return songs;
}

export async function generateCommand(checkpoint: string, f: GenerateFlags): Promise<void> {
  const { model, meta } = loadGenerator(checkpoint);
  const genres = meta.genre !== "all" ? [meta.genre] : f.genre ? [f.genre] : [...GENRES];
  if (f.genre && meta.genre !== "all" && f.genre !== meta.genre) {
    throw new Error(`${checkpoint}: this model was trained on ${meta.genre} only; --genre ${f.genre} needs a genre-conditioned model`);
  }
  genres.forEach(genreIndex);
  const seeds = (await Promise.all(genres.map(async (g) => pickSeeds(await seedSongs(f, g, meta), f.count, model.config.inputSamples, f.seed)
    .map((s) => ({ ...s, genre: g }))))).flat();
  const t0 = Date.now();
  const clips = generate(model, seeds.map((s) => s.samples), {
    seconds: f.seconds, sampleRate: meta.sampleRate, temperature: f.temperature, genres: seeds.map((s) => genreIndex(s.genre)),
  });
  const counters = new Map<string, number>();
  seeds.forEach((s, i) => {
    const k = counters.get(s.genre) ?? 0;
    counters.set(s.genre, k + 1);
    const base = join(f.out, `${s.genre}.${k}`);
    writeWav16(`${base}.wav`, clips[i], meta.sampleRate);
    writeWav16(`${base}.seed.wav`, s.samples, meta.sampleRate);
    writeFileAtomic(`${base}.json`, JSON.stringify({
      genre: s.genre, seedFile: s.song.track.path, seedOffsetSeconds: s.offset / meta.sampleRate, seedSeconds: s.samples.length / meta.sampleRate,
      seconds: f.seconds, sampleRate: meta.sampleRate, temperature: f.temperature, checkpoint, modelGenre: meta.genre, epoch: meta.epoch,
    }, null, 2) + "\n");
  });
  if (!f.quiet) console.log(`${clips.length} clip(s) of ${f.seconds} s in ${((Date.now() - t0) / 1000).toFixed(2)} s → ${f.out}`);
}
