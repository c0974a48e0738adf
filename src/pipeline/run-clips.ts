// A run's clips: each generator model's batch from held-out seeds, a real excerpt of every genre to listen
// to, the index (generated/clips.json) naming them, and the clips read back for evaluation.
import { basename, join } from "node:path";
import { loadAudio, writeWav16, WORK_RATE } from "../audio/index.js";
import { fileStem, readPart, songLength, type SplitSongs } from "../data/index.js";
import type { GeneratedAudio } from "../eval/evaluate.js";
import { checkpointFiles } from "../models/checkpoint.js";
import { loadGenerator } from "../models/load.js";
import { generatorCheckpointBase } from "../train/generator.js";
import { writeJsonAtomic } from "../util/fs.js";
import { fromCheckpoint, generateClips, type GeneratedClip } from "./clips.js";
import type { RunConfig } from "./config.js";
import type { RunPaths } from "./paths.js";

/** One conditioned model ("all"), or the study's one model per label. */
export const generatorGenres = (c: RunConfig, labels: readonly string[]): string[] =>
  c.generator.model.conditioned ? ["all"] : [...labels];

/** One batch per generator model; a real test excerpt of every genre is saved for listening and figures. */
export function generateAll(c: RunConfig, p: RunPaths, data: SplitSongs): GeneratedClip[] {
  const byGenre = new Map(data.labels.map((g) => [g, data.songs.test.filter((s) => s.track.genre === g)] as const));
  const clips: GeneratedClip[] = [];
  for (const genre of generatorGenres(c, data.labels)) {
    const ckpt = `${generatorCheckpointBase(p.checkpoints, genre)}.best`;
    const { model, meta } = loadGenerator(ckpt);
    const seedSongs = new Map([...byGenre].filter(([g, songs]) => (genre === "all" || g === genre) && songs.length));
    clips.push(
      ...generateClips(
        {
          ...fromCheckpoint(model, meta, checkpointFiles(ckpt).weights),
          seedSongs,
          perGenre: c.generation.perGenre,
          seconds: c.generation.seconds,
          temperature: c.generation.temperature,
          seed: c.generation.seed,
        },
        p.generated,
      ),
    );
  }
  for (const [genre, songs] of byGenre) {
    const s = songs[0];
    if (!s) continue;
    const start = Math.max(0, Math.floor(songLength(s) / 2) - 2.5 * WORK_RATE);
    writeWav16(join(p.generated, "real", `${fileStem(genre)}.wav`), readPart(s, start, 5 * WORK_RATE), WORK_RATE);
  }
  // Names within generated/, not paths: the run folder may move (RunPaths.clip).
  const named = clips.map((c) => ({
    ...c,
    wav: basename(c.wav),
    seedWav: basename(c.seedWav),
    realWav: c.realWav && basename(c.realWav),
    sidecar: basename(c.sidecar),
  }));
  writeJsonAtomic(p.clipIndex, named);
  return named;
}

export async function loadClips(p: RunPaths, clips: readonly GeneratedClip[]): Promise<GeneratedAudio[]> {
  const read = async (stored: string) => (await loadAudio(p.clip(stored))).samples;
  return Promise.all(
    clips.map(async (clip) => {
      return {
        name: clip.name,
        samples: await read(clip.wav),
        genre: clip.genre,
        real: clip.realWav ? await read(clip.realWav) : null,
        seed: await read(clip.seedWav),
      };
    }),
  );
}
