// The no-model references of the experiment table: each clip's seed looped, judged like the recipes
// (the same seeds, real continuations and judge). They bound what re-cutting the seed can reach: a copy
// path's clips are made of seed material, so they are compared with the plain loops of it.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { decodeFile, mixToMono, writeWav16, WORK_RATE } from "../src/audio/index.js";
import { demoSongTempo, GENRES } from "../src/data/index.js";
import type { GeneratedClip } from "../src/pipeline/clips.js";

export interface Reference {
  name: string;
  /** Its folder and log name under the experiment folder. */
  slug: string;
  /** The looped stretch, in samples, taken from the seed's end; null skips the clip. */
  loop(clip: GeneratedClip, seedLength: number): number | null;
}

/** The demo song a clip's seed came from, by its file name (`<genre>.000NN.wav`). */
function songOfSeed(clip: GeneratedClip): { genre: number; song: number } | null {
  const m = /^([a-z]+)\.(\d+)\.wav$/.exec(basename(clip.seedFile));
  const genre = m ? (GENRES as readonly string[]).indexOf(m[1]) : -1;
  return m && genre >= 0 ? { genre, song: Number(m[2]) } : null;
}

const lastSeconds = (s: number): Reference => ({
  name: s >= 0.9 ? "seed loop (no model)" : `loop of the seed's last ${s} s`,
  slug: s >= 0.9 ? "seed-loop" : `loop-${Math.round(s * 100)}`,
  loop: (_, n) => Math.min(n, Math.round(s * WORK_RATE)),
});

/** Whole beats of the song's true tempo, as many as fit in the seed: keeps the beat, drops material. */
const beatLoop: Reference = {
  name: "loop of whole beats (true tempo)",
  slug: "beat-loop",
  loop: (clip, n) => {
    const song = songOfSeed(clip);
    if (!song) return null;
    const beat = (60 / demoSongTempo(song.genre, song.song)) * WORK_RATE;
    return Math.round(Math.max(1, Math.floor(n / beat)) * beat);
  },
};

export const REFERENCES: Reference[] = [0.3, 0.45, 0.6, 0.75, 0.9].map(lastSeconds).concat(beatLoop);

/** Writes `ref`'s clips (with the seeds and real continuations beside them) into `dir`; false if there are none. */
export async function writeReferenceClips(ref: Reference, clipsJson: string, dir: string): Promise<boolean> {
  if (!existsSync(clipsJson)) return false;
  mkdirSync(dir, { recursive: true });
  let written = 0;
  for (const clip of JSON.parse(readFileSync(clipsJson, "utf8")) as GeneratedClip[]) {
    if (!clip.realWav) continue;
    const seed = mixToMono(await decodeFile(clip.seedWav));
    const period = ref.loop(clip, seed.length);
    if (period === null) continue;
    const tail = seed.subarray(seed.length - period);
    const length = mixToMono(await decodeFile(clip.wav)).length;
    writeWav16(join(dir, `${clip.name}.wav`), Float32Array.from({ length }, (_, i) => tail[i % period]), WORK_RATE);
    copyFileSync(clip.realWav, join(dir, `${clip.name}.real.wav`));
    copyFileSync(clip.seedWav, join(dir, `${clip.name}.seed.wav`));
    written++;
  }
  return written > 0;
}
