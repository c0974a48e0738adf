// Seeds for generation: 0.9 s excerpts of held-out songs, at deterministic offsets that avoid
// near-silent passages.
import type { Song } from "./dataset.js";
import { Random } from "./random.js";
import { songLength } from "./stored-song.js";

export interface Seed {
  song: Song;
  /** Start of the excerpt in samples. */
  offset: number;
  samples: Float32Array;
}

const rms = (x: Float32Array): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / Math.max(1, x.length));

/**
 * `count` seeds of `length` samples, cycling through `songs`; each at a random offset whose RMS is at
 * least 10 % of the song's, or at sample `at` when given (as far as the song allows).
 */
export function pickSeeds(songs: readonly Song[], count: number, length: number, seed: number, at?: number): Seed[] {
  const usable = songs.filter((s) => songLength(s) >= length);
  if (!usable.length) throw new Error(`no song is long enough for a ${length}-sample seed`);
  const rng = new Random(seed);
  const order = rng.shuffle(usable);
  return Array.from({ length: count }, (_, k) => {
    const song = order[k % order.length]!;
    const all = song.samples; // once: a stored song reads itself on each access
    const floor = 0.1 * rms(all);
    let offset = 0;
    if (at !== undefined) offset = Math.max(0, Math.min(at, all.length - length));
    else
      for (let attempt = 0; attempt < 20; attempt++) {
        offset = rng.int(0, all.length - length);
        if (rms(all.subarray(offset, offset + length)) >= floor) break;
      }
    return { song, offset, samples: all.slice(offset, offset + length) };
  });
}
