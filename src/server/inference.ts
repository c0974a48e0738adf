// Classification and generation for the dashboard. Jobs run one at a time (each synchronous part is
// bounded: one file or one clip set), so requests queue instead of piling work on the event loop.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { AUDIO_EXTENSIONS, MelSpectrogram, loadAudio, uploadLimits, WORK_RATE } from "../audio/index.js";
import { loadSplitSongs, type SplitName } from "../data/index.js";
import type { Classifier } from "../models/classifier.js";
import type { Generator } from "../models/generator.js";
import { generateClips } from "../pipeline/clips.js";
import { classifySamples, type Classification } from "../pipeline/evaluate.js";
import { loadClassifier, type ClassifierMeta } from "../train/classifier.js";
import { loadGenerator, type GeneratorMeta } from "../train/generator.js";
import { heatmapPng } from "../report/images.js";
import { tensor, tidy } from "../torch/index.js";
import { processAlive } from "../util/fs.js";

/** A client-side mistake: answered with HTTP 400 and this one-line message. */
export class BadRequest extends Error {
  readonly statusCode = 400;
}

let chain: Promise<unknown> = Promise.resolve();
/** Runs jobs one after another. */
export function enqueue<T>(job: () => Promise<T> | T): Promise<T> {
  const next = chain.then(job);
  chain = next.catch(() => undefined);
  return next;
}

const classifiers = new Map<string, { model: Classifier; meta: ClassifierMeta; mel: MelSpectrogram }>();
const generators = new Map<string, { model: Generator; meta: GeneratorMeta }>();

function classifierAt(path: string) {
  let c = classifiers.get(path);
  if (!c) {
    const { model, meta } = loadClassifier(path);
    classifiers.set(path, (c = { model, meta, mel: new MelSpectrogram(meta.mel) }));
  }
  return c;
}

const UPLOAD_PREFIX = "genrelab-upload-";

/** Removes upload folders that a killed server left in the temporary folder. */
export function removeStaleUploads(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = name.startsWith(UPLOAD_PREFIX) ? Number.parseInt(name.slice(UPLOAD_PREFIX.length), 10) : NaN;
    if (Number.isInteger(pid) && !processAlive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** Classifies uploaded bytes (any supported format) with the checkpoint at `path`. */
export async function classifyUpload(path: string, bytes: Buffer, filename: string): Promise<Classification> {
  const ext = extname(filename).toLowerCase();
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(ext)) throw new BadRequest(`${filename}: not a supported audio file (${AUDIO_EXTENSIONS.join(", ")})`);
  const dir = mkdtempSync(join(tmpdir(), `${UPLOAD_PREFIX}${process.pid}-`));
  const file = join(dir, `upload${ext}`);
  try {
    writeFileSync(file, bytes);
    let samples: Float32Array;
    try {
      samples = (await loadAudio(file, WORK_RATE, uploadLimits)).samples;
    } catch (err) {
      throw new BadRequest((err instanceof Error ? err.message : String(err)).replace(file, filename));
    }
    return await enqueue(() => {
      const { model, meta, mel } = classifierAt(path);
      return classifySamples(model, meta, mel, samples, filename);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A mel spectrogram PNG of a WAV file (default mel settings), for the clip views. */
export function melPng(wav: string): Promise<Buffer> {
  return enqueue(async () => {
    const samples = (await loadAudio(wav, WORK_RATE)).samples;
    return tidy(() => {
      const m = new MelSpectrogram().forward(tensor(samples));
      return heatmapPng(m.contiguous().toTypedArray() as Float32Array, m.shape[0], m.shape[1], { scaleX: 1, scaleY: 1 });
    });
  });
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
}

/** One new clip from a held-out seed of `genre`, written under the run's served/ folder. */
export function generateServed(r: GenerateRequest) {
  return enqueue(async () => {
    let g = generators.get(r.checkpoint);
    if (!g) generators.set(r.checkpoint, (g = loadGenerator(r.checkpoint)));
    if (g.meta.genre !== "all" && g.meta.genre !== r.genre) throw new BadRequest(`this generator was trained on ${g.meta.genre} only`);
    const data = await loadSplitSongs(r.data, { split: r.split, seed: r.splitSeed });
    const songs = data.songs.test.filter((s) => s.track.genre === r.genre);
    if (!songs.length) throw new BadRequest(`no held-out ${r.genre} songs to take a seed from`);
    const out = join(r.runDir, "served", `${Date.now()}`);
    const [clip] = generateClips({
      model: g.model, checkpoint: r.checkpoint, modelGenre: g.meta.genre, epoch: g.meta.epoch, sampleRate: g.meta.sampleRate,
      seedSongs: new Map([[r.genre, songs]]), perGenre: 1, seconds: r.seconds, temperature: r.temperature, seed: r.seed,
    }, out);
    return clip;
  });
}
