// Decoded 10 kHz audio cached on disk, keyed by the file's content hash and the rate, so a second run
// does not decode again. Files are written atomically; an unreadable cache entry is simply redone.
// Samples are stored as 16-bit integers with a scale (half the disk and reads of float32: FMA large is
// ~64 GB so): 1/32768, the sources' own step, unless resampling overshot full scale, when the peak sets
// it. The rounding error (≤ half a step, −98 dB) is far below anything the models hear; a fresh decode
// returns the stored values, so the first run and every later one see the same samples.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadAudio, type DecodeLimits, defaultLimits } from "../audio/index.js";
import { writeFileAtomic } from "../util/fs.js";

const MAGIC = 0x43414c47; // "GLAC"
const VERSION = 2;
/** Bytes before the samples in an entry: magic, version, rate, sample count, scale (float32). */
export const ENTRY_HEADER = 20;

/** Where an entry is, how many samples it holds and the value of one integer step. */
export interface CacheEntry {
  file: string;
  length: number;
  scale: number;
}

/** Samples as 16-bit integers and the scale that turns them back (see above). */
export function quantize(samples: Float32Array): { q: Int16Array; scale: number } {
  let peak = 0;
  for (const x of samples) peak = Math.max(peak, Math.abs(x));
  const scale = Math.fround(peak > 32767 / 32768 ? peak / 32767 : 1 / 32768);
  const q = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) q[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! / scale)));
  return { q, scale };
}

/** Integer samples times their scale, as float32. */
export function dequantize(q: Int16Array, scale: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * scale;
  return out;
}

export class AudioCache {
  hits = 0;
  misses = 0;
  constructor(
    readonly dir: string,
    readonly sampleRate: number,
    readonly limits: DecodeLimits = defaultLimits,
  ) {}

  /** Mono float samples of `path` at this cache's rate (as stored). */
  async load(path: string): Promise<Float32Array> {
    return (await this.loadEntry(path)).samples;
  }

  /** The samples and the file's content hash (the entry's key: equal hashes, equal files). */
  async loadEntry(path: string): Promise<{ samples: Float32Array; hash: string }> {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      await loadAudio(path, this.sampleRate, this.limits); // decode reports the problem
      throw new Error(`${path}: cannot be read`);
    }
    const hash = createHash("sha1").update(bytes).digest("hex");
    const cached = this.read(hash);
    if (cached) {
      this.hits++;
      return { samples: cached, hash };
    }
    const { q, scale } = quantize((await loadAudio(path, this.sampleRate, this.limits)).samples);
    const head = Buffer.alloc(ENTRY_HEADER);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(VERSION, 4);
    head.writeUInt32LE(this.sampleRate, 8);
    head.writeUInt32LE(q.length, 12);
    head.writeFloatLE(scale, 16);
    writeFileAtomic(this.#file(hash), [head, new Uint8Array(q.buffer, q.byteOffset, q.byteLength)]);
    // The same song's entry in the float32 format of earlier versions (twice the size) is dead weight now.
    rmSync(this.#file(hash).replace(/\.i16$/, ".f32"), { force: true });
    this.misses++;
    return { samples: dequantize(q, scale), hash };
  }

  /** The entry of a content hash, if cached and intact. */
  read(hash: string): Float32Array | undefined {
    return this.#read(this.#file(hash));
  }

  /** Where a content hash's entry is, how many samples it holds and their scale, reading only its header. */
  entry(hash: string): CacheEntry | undefined {
    const file = this.#file(hash);
    let fd: number | undefined;
    try {
      fd = openSync(file, "r");
      const head = Buffer.alloc(ENTRY_HEADER);
      if (readSync(fd, head, 0, ENTRY_HEADER, 0) !== ENTRY_HEADER || !this.#headerOk(head)) return undefined;
      const length = head.readUInt32LE(12);
      return fstatSync(fd).size === ENTRY_HEADER + 2 * length
        ? { file, length, scale: head.readFloatLE(16) }
        : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  #headerOk(buf: Buffer): boolean {
    return (
      buf.length >= ENTRY_HEADER &&
      buf.readUInt32LE(0) === MAGIC &&
      buf.readUInt32LE(4) === VERSION &&
      buf.readUInt32LE(8) === this.sampleRate &&
      buf.readFloatLE(16) > 0 &&
      Number.isFinite(buf.readFloatLE(16))
    );
  }

  #file(hash: string): string {
    return join(this.dir, hash.slice(0, 2), `${hash}-${this.sampleRate}.i16`);
  }

  #read(file: string): Float32Array | undefined {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch {
      return undefined;
    }
    if (!this.#headerOk(buf)) return undefined;
    const n = buf.readUInt32LE(12);
    if (buf.length !== ENTRY_HEADER + 2 * n) return undefined;
    const q = new Int16Array(n);
    new Uint8Array(q.buffer).set(buf.subarray(ENTRY_HEADER));
    return dequantize(q, buf.readFloatLE(16));
  }
}
