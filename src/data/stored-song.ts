// A song that stays on disk: its decoded samples live in the cache entry and are read when asked for,
// a window at a time where the caller can say which (`read`). Training streams from these, so memory
// does not grow with the number of songs. `samples` reads the whole song each time and keeps nothing:
// fine for a pass over a song, wasteful in a loop (take it once).
import { closeSync, openSync, readSync } from "node:fs";
import { dequantize, ENTRY_HEADER, type CacheEntry } from "./cache.js";
import type { Track } from "./track.js";

export class StoredSong {
  constructor(
    readonly track: Track,
    readonly entry: CacheEntry,
  ) {}

  get file(): string {
    return this.entry.file;
  }

  /** Its length in samples. */
  get length(): number {
    return this.entry.length;
  }

  get id(): string {
    return this.track.id;
  }

  /** The whole song (read now, not kept). */
  get samples(): Float32Array {
    return this.read(0, this.length);
  }

  /** `n` samples from `offset` (fewer at the end of the song). */
  read(offset: number, n: number): Float32Array {
    const count = Math.max(0, Math.min(n, this.length - offset));
    const q = new Int16Array(count);
    if (!count) return new Float32Array(0);
    const fd = openSync(this.file, "r");
    try {
      const bytes = new Uint8Array(q.buffer);
      let done = 0;
      while (done < bytes.length) {
        const got = readSync(fd, bytes, done, bytes.length - done, ENTRY_HEADER + 2 * offset + done);
        if (!got) throw new Error(`${this.file}: cache entry of ${this.track.path} ends early (changed on disk?)`);
        done += got;
      }
    } finally {
      closeSync(fd);
    }
    return dequantize(q, this.entry.scale);
  }

  /** The same song under another label index (a checkpoint's order). */
  relabelled(label: number): StoredSong {
    return new StoredSong({ ...this.track, label }, this.entry);
  }
}

/** A song's length in samples without reading it. */
export const songLength = (s: { samples: Float32Array } | StoredSong): number =>
  s instanceof StoredSong ? s.length : s.samples.length;

/** Up to `n` samples of a song from `offset`; reads only those from a stored song. */
export const readPart = (s: { samples: Float32Array } | StoredSong, offset: number, n: number): Float32Array =>
  s instanceof StoredSong ? s.read(offset, n) : s.samples.subarray(offset, offset + n);

/** `n` samples of a song from `offset`, zero-padded past its end. */
export function readWindow(s: { samples: Float32Array } | StoredSong, offset: number, n: number): Float32Array {
  const part = readPart(s, offset, n);
  if (part.length === n) return part;
  const out = new Float32Array(n);
  out.set(part);
  return out;
}
