// Each stored song's log-mel spectrogram, computed once and kept beside its audio in the cache, so that
// training cuts a window's mel out of it instead of computing the window's STFT every epoch (the STFT
// was 15 % of a classifier step). A window starts on a frame (a hop, 25.6 ms by default): its inner
// frames equal the window's own mel; its two first and last frames see the song around it where a
// window alone is padded by reflection. Values are dB without a floor (the floor is per window), as
// 16-bit integers with a scale, frames first, so a window is one read.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { dirname } from "node:path";
import { amplitudeToDb, MelSpectrogram } from "../audio/index.js";
import { noGrad, tensor, tidy, type Tensor } from "../torch/index.js";
import { quantize } from "./cache.js";
import type { StoredSong } from "./stored-song.js";
import { canWrite, writeFileAtomic } from "../util/fs.js";

const MAGIC = 0x534d4c47; // "GLMS"
const VERSION = 1;
/** Bytes before the values: magic, version, mel bands, frames, scale (float32). */
const HEADER = 20;
/** Frames computed at a time (~100 s at the default hop), so a long song's STFT stays small. */
const CHUNK_FRAMES = 4096;

interface Entry {
  file: string;
  frames: number;
  scale: number;
}

/** A short key naming the settings that shape a mel: entries of other settings never mix. */
function settingsKey(mel: MelSpectrogram, minSamples: number): string {
  const text = JSON.stringify({ ...mel.settings, minSamples });
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

export class MelStore {
  readonly #entries = new Map<string, Entry>();
  readonly #uncentred: MelSpectrogram;
  readonly #key: string;

  /** Songs shorter than `minSamples` (a window) are stored zero-padded to it, as a window of them is cut. */
  constructor(
    readonly mel: MelSpectrogram,
    readonly minSamples: number,
  ) {
    this.#uncentred = new MelSpectrogram({ ...mel.settings, center: false });
    this.#key = settingsKey(mel, minSamples);
  }

  /**
   * Whether the songs' cache folders take entries (a read-only cache does not: its songs' windows then
   * have their mels computed, as songs in memory do); `onWarning` hears which folder refused.
   */
  static canStore(songs: readonly StoredSong[], onWarning: (line: string) => void): boolean {
    for (const dir of new Set(songs.map((s) => dirname(s.file)))) {
      if (canWrite(dir)) continue;
      onWarning(`warning: the cache ${dir} is read-only: each training window's mel is computed (slower)`);
      return false;
    }
    return true;
  }

  /** How many frames a song's mel has. */
  frames(song: StoredSong): number {
    return this.mel.frames(Math.max(song.length, this.minSamples));
  }

  /** dB frames `first`..`first + n` of a song's mel, [nMels, n] (computed and stored on first use). */
  window(song: StoredSong, first: number, n: number): Tensor {
    const e = this.#entry(song);
    const mels = this.mel.settings.nMels;
    if (first < 0 || first + n > e.frames)
      throw new RangeError(`mel store: frames ${first}..${first + n} of ${e.frames} (${song.track.path})`);
    const q = new Int16Array(n * mels);
    const bytes = new Uint8Array(q.buffer);
    const fd = openSync(e.file, "r");
    try {
      let done = 0;
      while (done < bytes.length) {
        const got = readSync(fd, bytes, done, bytes.length - done, HEADER + 2 * first * mels + done);
        if (!got) throw new Error(`${e.file}: mel entry of ${song.track.path} ends early (changed on disk?)`);
        done += got;
      }
    } finally {
      closeSync(fd);
    }
    return tidy(() => tensor(q, [n, mels]).to("float32").mul(e.scale).transpose(0, 1));
  }

  #entry(song: StoredSong): Entry {
    const file = song.file.replace(/\.i16$/, `.mel-${this.#key}.i16`);
    let e = this.#entries.get(file);
    if (!e) {
      e = this.#read(file) ?? this.#write(song, file);
      this.#entries.set(file, e);
    }
    return e;
  }

  /** An intact entry's header, or undefined. */
  #read(file: string): Entry | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(file, "r");
      const head = Buffer.alloc(HEADER);
      if (readSync(fd, head, 0, HEADER, 0) !== HEADER) return undefined;
      const [magic, version, mels, frames] = [0, 4, 8, 12].map((o) => head.readUInt32LE(o));
      const scale = head.readFloatLE(16);
      const ok =
        magic === MAGIC &&
        version === VERSION &&
        mels === this.mel.settings.nMels &&
        scale > 0 &&
        Number.isFinite(scale);
      return ok && fstatSync(fd).size === HEADER + 2 * frames! * mels! ? { file, frames: frames!, scale } : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  #write(song: StoredSong, file: string): Entry {
    const frames = this.frames(song);
    const mels = this.mel.settings.nMels;
    const db = new Float32Array(frames * mels);
    for (let a = 0; a < frames; a += CHUNK_FRAMES) {
      const b = Math.min(frames, a + CHUNK_FRAMES);
      const part = noGrad(() =>
        tidy(() => {
          const seg = tensor(this.#segment(song, a, b));
          return amplitudeToDb(this.#uncentred.power(seg), null)
            .transpose(0, 1)
            .contiguous()
            .toTypedArray() as Float32Array;
        }),
      );
      db.set(part, a * mels);
    }
    const { q, scale } = quantize(db);
    const head = Buffer.alloc(HEADER);
    [MAGIC, VERSION, mels, frames].forEach((v, i) => head.writeUInt32LE(v, 4 * i));
    head.writeFloatLE(scale, 16);
    writeFileAtomic(file, [head, new Uint8Array(q.buffer, q.byteOffset, q.byteLength)]);
    return { file, frames, scale };
  }

  /**
   * The samples under frames a..b of the song as the centred STFT sees them: the song (zero-padded to
   * minSamples) padded by nFft/2 on each side, by reflection or zeros as the settings say.
   */
  #segment(song: StoredSong, a: number, b: number): Float32Array {
    const s = this.mel.settings;
    const pad = s.center ? Math.floor(s.nFft / 2) : 0;
    const length = Math.max(song.length, this.minSamples);
    const start = a * s.hopLength - pad;
    const out = new Float32Array((b - a - 1) * s.hopLength + s.nFft);
    const at = (j: number): number => (j < 0 ? -j : j >= length ? 2 * (length - 1) - j : j);
    const reflect = s.padMode === "reflect";
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < out.length; i++) {
      const j = at(start + i);
      if (j < lo) lo = j;
      if (j > hi) hi = j;
    }
    const raw = song.read(lo, hi + 1 - lo); // past the song's end: zeros (minSamples padding)
    for (let i = 0; i < out.length; i++) {
      const j = start + i;
      if (!reflect && (j < 0 || j >= length)) continue;
      const k = at(j) - lo;
      out[i] = k < raw.length ? raw[k]! : 0;
    }
    return out;
  }
}
