// `genrelab train-generator` and `genrelab generate`.
import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import { loadAudio, WORK_RATE } from "../audio/index.js";
import { fileStem, labelIndex, type Song, type SplitName } from "../data/index.js";
import { fromCheckpoint, generateClips } from "../pipeline/clips.js";
import { describeGeneratorEpoch } from "../pipeline/describe.js";
import { loadGenerator, type GeneratorInfo } from "../models/load.js";
import { TokenGenerator } from "../models/token-generator.js";
import { setNumThreads } from "../torch/index.js";
import { generatorCheckpointBase, trainGenerator } from "../train/generator.js";
import { parseGeneratorConfig } from "../train/generator-config.js";
import type { GeneratorPreset } from "../train/generator-presets.js";
import { noteStaleTemps, trainingProgress } from "./progress.js";
import { runPaths as runDir } from "../pipeline/paths.js";
import { loadSplitSongs } from "./songs.js";
import { defined, readConfigFile } from "./config-file.js";
import { lockFolder } from "../util/lock.js";
import { asRank } from "./rank.js";
import type { EpochMetrics } from "../train/metrics-log.js";

export interface TrainGeneratorFlags {
  data: string;
  split: SplitName;
  out: string;
  genre?: string;
  config?: string;
  epochs?: number;
  lr?: number;
  jitter?: number;
  seed?: number;
  threads?: number;
  preset?: GeneratorPreset;
  conditioned?: boolean;
  cell?: "gru" | "lstm";
  unidirectional?: boolean;
  head?: "linear" | "mulaw";
  resume?: boolean;
  quiet?: boolean;
}

export async function trainGeneratorCommand(flags: TrainGeneratorFlags): Promise<void> {
  const { group, lead, f } = asRank(flags);
  const file = readConfigFile(f.config, "generator");
  const model = {
    ...(file.model as object | undefined),
    ...defined({
      conditioned: f.conditioned,
      cell: f.cell,
      head: f.head,
      bidirectional: f.unidirectional ? false : undefined,
      delay: f.head === "mulaw" ? "off" : undefined, // the mu-law head is an output layer: no copy path beside it
    }),
  };
  const config = parseGeneratorConfig(
    {
      ...file,
      ...defined({ preset: f.preset, epochs: f.epochs, lr: f.lr, jitter: f.jitter, seed: f.seed, threads: f.threads }),
      model,
    },
    f.config ?? "generator options",
  );
  const waveformFlags = [f.head && "--head", f.cell && "--cell", f.unidirectional && "--unidirectional"].filter(
    Boolean,
  );
  if (config.model.kind === "tokens" && waveformFlags.length) {
    throw new Error(
      `${waveformFlags.join(", ")}: for the waveform generator; add --preset copy or --preset study (the default, ` +
        "genrelab, is the token model)",
    );
  }
  const run = runDir(f.out);
  if (lead) noteStaleTemps(lockFolder(f.out, "train-generator"), f.out);
  const data = await loadSplitSongs({ data: f.data, split: f.split, seed: config.seed, quiet: f.quiet });
  if (f.genre && f.genre !== "all") labelIndex(data.labels, f.genre, `--genre ${f.genre}: ${data.root}`);
  const genres = f.genre ? [f.genre] : config.model.conditioned ? ["all"] : data.labels;
  for (const genre of genres) {
    const line = (row: EpochMetrics) => `${genre} epoch ${row.epoch}: ${describeGeneratorEpoch(row)}`;
    const shown = trainingProgress(`G ${genre}`, f.quiet, config.epochs, 5, line);
    const r = trainGenerator({
      songs: data.songs.train,
      genre,
      labels: data.labels,
      config,
      checkpointBase: generatorCheckpointBase(run.checkpoints, genre),
      metricsPath: run.metrics(`generator-${fileStem(genre)}`),
      resume: f.resume,
      group,
      ...shown.hooks,
    });
    shown.stop();
    if (lead)
      console.log(
        `${genre}: best epoch ${r.best?.epoch} (valid loss ${fmt(r.best?.validLoss)}) → ${r.path}.safetensors`,
      );
  }
}

const fmt = (x: unknown): string => Number(x ?? NaN).toExponential(3);

export interface GenerateFlags {
  seedFrom: string;
  out: string;
  seconds: number;
  genre?: string;
  count: number;
  temperature?: number;
  tempo?: number;
  beatGuidance?: number;
  seed: number;
  split: SplitName;
  threads: number;
  quiet?: boolean;
}

/**
 * Seeds of `genre` from held-out songs (a data folder's test split) or from one audio file (`file`:
 * its samples, decoded once for all genres).
 */
async function seedSongsOf(
  f: GenerateFlags,
  genre: string,
  meta: GeneratorInfo,
  file: Float32Array | null,
): Promise<Song[]> {
  if (file)
    return [
      {
        track: { id: basename(f.seedFrom), genre, label: meta.genres.indexOf(genre), index: 0, path: f.seedFrom },
        samples: file,
      },
    ];
  const data = await loadSplitSongs({ data: f.seedFrom, split: f.split, seed: meta.train.seed, quiet: true });
  const trained = new Set(meta.trainSongs);
  const songs = data.songs.test.filter((s) => s.track.genre === genre && !trained.has(s.track.id));
  if (!songs.length)
    throw new Error(`${f.seedFrom}: no held-out ${genre} songs in the ${f.split} test split to take seeds from`);
  return songs;
}

export async function generateCommand(checkpoint: string, f: GenerateFlags): Promise<void> {
  // Libtorch would take one thread; the token model's sampling and Griffin-Lim use every core
  // (1.1 → 0.9 s for 10 × 5 s).
  setNumThreads(f.threads);
  const { model: trained, meta } = loadGenerator(checkpoint);
  if (f.beatGuidance !== undefined && !(trained instanceof TokenGenerator && trained.clock))
    throw new Error(`${checkpoint}: --beat-guidance needs a token model trained with the beat clock`);
  const model =
    f.beatGuidance === undefined ? trained : (trained as TokenGenerator).withSampling({ beatGuidance: f.beatGuidance });
  if (f.genre && meta.genre !== "all" && f.genre !== meta.genre) {
    throw new Error(
      `${checkpoint}: this model was trained on ${meta.genre} only; --genre ${f.genre} needs a genre-conditioned model`,
    );
  }
  const genres = meta.genre !== "all" ? [meta.genre] : f.genre ? [f.genre] : meta.genres;
  for (const g of genres) labelIndex(meta.genres, g, checkpoint);
  const file =
    existsSync(f.seedFrom) && statSync(f.seedFrom).isFile() ? (await loadAudio(f.seedFrom, WORK_RATE)).samples : null;
  const seedSongs = new Map(
    await Promise.all(genres.map(async (g) => [g, await seedSongsOf(f, g, meta, file)] as const)),
  );
  const t0 = Date.now();
  const clips = generateClips(
    {
      ...fromCheckpoint(model, meta, checkpoint),
      seedSongs,
      perGenre: f.count,
      seconds: f.seconds,
      temperature: f.temperature,
      tempo: f.tempo,
      seed: f.seed,
    },
    f.out,
  );
  if (!f.quiet)
    console.log(`${clips.length} clip(s) of ${f.seconds} s in ${((Date.now() - t0) / 1000).toFixed(2)} s → ${f.out}`);
}
