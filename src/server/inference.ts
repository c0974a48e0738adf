// Classification, mel figures and generation for the dashboard. These run on the inference worker
// thread (./worker.ts), one job at a time, never on the server's event loop.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MelSpectrogram, loadAudio, melDb, uploadLimits, WORK_RATE } from "../audio/index.js";
import { loadSplitSongs, songLength, type SplitName } from "../data/index.js";
import type { Classifier } from "../models/classifier.js";
import type { Generator } from "../models/generator.js";
import type { TokenGenerator } from "../models/token-generator.js";
import { fromCheckpoint, generateClips } from "../pipeline/clips.js";
import { classifySamples } from "../eval/evaluate.js";
import type { ClassifiedFile } from "../eval/classification.js";
import { loadClassifier, loadGenerator, type ClassifierInfo, type GeneratorInfo } from "../models/load.js";
import { heatmapPng } from "../report/images.js";
import { BadRequest } from "./errors.js";

const classifiers = new Map<string, { model: Classifier; meta: ClassifierInfo; mel: MelSpectrogram }>();
const generators = new Map<string, { model: Generator | TokenGenerator; meta: GeneratorInfo }>();

function classifierAt(path: string) {
  let c = classifiers.get(path);
  if (!c) {
    const { model, meta } = loadClassifier(path);
    classifiers.set(path, (c = { model, meta, mel: new MelSpectrogram(meta.mel) }));
  }
  return c;
}

/** Classifies an uploaded file (any supported format; `name` is the user's) with the checkpoint at `path`. */
export async function classifyFile(path: string, file: string, name: string): Promise<ClassifiedFile> {
  let samples: Float32Array;
  try {
    samples = (await loadAudio(file, WORK_RATE, uploadLimits)).samples;
  } catch (err) {
    throw new BadRequest((err instanceof Error ? err.message : String(err)).replace(file, name));
  }
  const { model, meta, mel } = classifierAt(path);
  return { file: name, ...classifySamples(model, meta, mel, samples) };
}

/** A mel spectrogram PNG of a WAV file (default mel settings), for the clip views. */
export async function melPng(wav: string): Promise<Buffer> {
  const m = melDb(new MelSpectrogram(), (await loadAudio(wav, WORK_RATE)).samples);
  return heatmapPng(m.values, m.rows, m.cols, { scaleX: 1, scaleY: 1 });
}

export interface GenerateRequest {
  runDir: string;
  checkpoint: string;
  data: string;
  split: SplitName;
  splitSeed: number;
  genre: string;
  seconds: number;
  temperature?: number;
  seed: number;
  /** The held-out song to take the seed from (its track id); default: one drawn with `seed`. */
  seedSong?: string;
  /** Where the seed starts in it, seconds; default: a random non-silent place. */
  offset?: number;
}

// Clips generated from the dashboard are kept, newest first, up to this many per run.
const SERVED_KEPT = 50;

/** One new clip from a held-out seed of `genre`, written under the run's served/ folder. */
export async function generateServed(r: GenerateRequest) {
  let g = generators.get(r.checkpoint);
  if (!g) generators.set(r.checkpoint, (g = loadGenerator(r.checkpoint)));
  if (g.meta.genre !== "all" && g.meta.genre !== r.genre)
    throw new BadRequest(`this generator was trained on ${g.meta.genre} only`);
  if (!g.meta.genres.includes(r.genre)) throw new BadRequest(`this generator knows no genre '${r.genre}'`);
  const data = await loadSplitSongs(r.data, { split: r.split, seed: r.splitSeed });
  const held = data.songs.test.filter((s) => s.track.genre === r.genre);
  if (!held.length) throw new BadRequest(`no held-out ${r.genre} songs to take a seed from`);
  const songs = r.seedSong === undefined ? held : held.filter((s) => s.track.id === r.seedSong);
  if (!songs.length)
    throw new BadRequest(
      `'${r.seedSong}' is not a held-out ${r.genre} song of this run (GET /api/runs/:name/seeds lists them)`,
    );
  const seedSeconds = g.model.config.inputSamples / g.meta.sampleRate;
  const longest = Math.max(...songs.map((s) => songLength(s))) / g.meta.sampleRate;
  if (r.offset !== undefined && r.offset > longest - seedSeconds) {
    throw new BadRequest(
      `offset ${r.offset} s: the seed (${seedSeconds} s) must start by ` +
        `${Math.max(0, longest - seedSeconds).toFixed(1)} s`,
    );
  }
  const served = join(r.runDir, "served");
  const out = join(served, `${Date.now()}`);
  const [clip] = generateClips(
    {
      ...fromCheckpoint(g.model, g.meta, r.checkpoint),
      seedSongs: new Map([[r.genre, songs]]),
      perGenre: 1,
      seconds: r.seconds,
      temperature: r.temperature,
      seed: r.seed,
      seedOffset: r.offset,
    },
    out,
  );
  const old = readdirSync(served)
    .filter((n) => /^\d+$/.test(n))
    .sort((a, b) => Number(b) - Number(a))
    .slice(SERVED_KEPT);
  for (const name of old) rmSync(join(served, name), { recursive: true, force: true });
  return clip;
}
