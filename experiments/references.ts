// The no-model references of the experiment table, judged like the recipes (the same seeds, real
// continuations and judge). Loops of each clip's seed bound what re-cutting the seed can reach: a copy
// path's clips are made of seed material. The real continuation rendered through a token model's
// tokens and Griffin-Lim bounds what that representation can reach: its model samples those tokens.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { decodeFile, mixToMono, writeWav16, WORK_RATE } from "../src/audio/index.js";
import { demoSongTempo, GENRES } from "../src/data/index.js";
import { TokenGenerator } from "../src/models/token-generator.js";
import type { GeneratedClip } from "../src/pipeline/clips.js";
import { manualSeed, tensor, tidy } from "../src/torch/index.js";
import { loadGenerator } from "../src/models/load.js";

export interface Reference {
  name: string;
  /** Its folder and log name under the experiment folder. */
  slug: string;
  /** The clip's stand-in, `length` samples, from its seed and real continuation; null skips the clip. */
  render(clip: GeneratedClip, seed: Float32Array, real: Float32Array, length: number): Float32Array | null;
}

/** A reference that repeats the last `period(clip, seed length)` samples of the seed. */
const loop = (name: string, slug: string, period: (clip: GeneratedClip, n: number) => number | null): Reference => ({
  name,
  slug,
  render: (clip, seed, _real, length) => {
    const p = period(clip, seed.length);
    if (p === null) return null;
    const tail = seed.subarray(seed.length - p);
    return Float32Array.from({ length }, (_, i) => tail[i % p]!);
  },
});

/** The demo song a clip's seed came from, by its file name (`<genre>.000NN.wav`). */
function songOfSeed(clip: GeneratedClip): { genre: number; song: number } | null {
  const m = /^([a-z]+)\.(\d+)\.wav$/.exec(basename(clip.seedFile));
  const genre = m ? (GENRES as readonly string[]).indexOf(m[1]!) : -1;
  return m && genre >= 0 ? { genre, song: Number(m[2]) } : null;
}

const lastSeconds = (s: number): Reference =>
  loop(
    s >= 0.9 ? "seed loop (no model)" : `loop of the seed's last ${s} s`,
    s >= 0.9 ? "seed-loop" : `loop-${Math.round(s * 100)}`,
    (_, n) => Math.min(n, Math.round(s * WORK_RATE)),
  );

/** Whole beats of the song's true tempo, as many as fit in the seed: keeps the beat, drops material. */
const beatLoop = loop("loop of whole beats (true tempo)", "beat-loop", (clip, n) => {
  const song = songOfSeed(clip);
  if (!song) return null;
  const beat = (60 / demoSongTempo(song.genre, song.song)) * WORK_RATE;
  return Math.round(Math.max(1, Math.floor(n / beat)) * beat);
});

export const REFERENCES: Reference[] = [0.3, 0.45, 0.6, 0.75, 0.9].map(lastSeconds).concat(beatLoop);

/** The real continuation as the token model at `checkpoint` hears it: its tokens, rendered by Griffin-Lim. */
export function tokenizedReal(checkpoint: string): Reference | null {
  if (!existsSync(`${checkpoint}.json`)) return null;
  const { model } = loadGenerator(checkpoint);
  if (!(model instanceof TokenGenerator)) return null;
  manualSeed(0);
  return {
    name: "real continuation through the default's tokens",
    slug: "real-tokens",
    render: (_clip, _seed, real, length) =>
      real.length < length
        ? null
        : tidy(() => {
            const x = tensor(real.subarray(0, length)).unsqueeze(0);
            return model.decode(model.encode(x), length).toTypedArray() as Float32Array;
          }),
  };
}

/** Writes `ref`'s clips (with the seeds and real continuations beside them) into `dir`; false if there are none. */
export async function writeReferenceClips(ref: Reference, clipsJson: string, dir: string): Promise<boolean> {
  if (!existsSync(clipsJson)) return false;
  mkdirSync(dir, { recursive: true });
  let written = 0;
  for (const clip of JSON.parse(readFileSync(clipsJson, "utf8")) as GeneratedClip[]) {
    if (!clip.realWav) continue;
    const seed = mixToMono(await decodeFile(clip.seedWav));
    const real = mixToMono(await decodeFile(clip.realWav));
    const length = mixToMono(await decodeFile(clip.wav)).length;
    const audio = ref.render(clip, seed, real, length);
    if (!audio) continue;
    writeWav16(join(dir, `${clip.name}.wav`), audio, WORK_RATE);
    copyFileSync(clip.realWav, join(dir, `${clip.name}.real.wav`));
    copyFileSync(clip.seedWav, join(dir, `${clip.name}.seed.wav`));
    written++;
  }
  return written > 0;
}
