// Decoded 10 kHz audio cached on disk, keyed by the file's content hash and the rate, so a second run
// does not decode again. Files are written atomically; an unreadable cache entry is simply redone.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { loadAudio, type DecodeLimits, defaultLimits } from "../audio/index.js";
import { writeFileAtomic } from "../util/fs.js";

const MAGIC = 0x43414c47; // "GLAC"
const VERSION = 1;
/** Bytes before the samples in an entry: magic, version, rate, sample count. */
export const ENTRY_HEADER = 16;

export class AudioCache {
  hits = 0;
  misses = 0;
  constructor(readonly dir: string, readonly sampleRate: number, readonly limits: DecodeLimits = defaultLimits) {}

  /** Mono float samples of `path` at this cache's rate. */
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
    const { samples } = await loadAudio(path, this.sampleRate, this.limits);
    const head = Buffer.alloc(ENTRY_HEADER);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(VERSION, 4);
    head.writeUInt32LE(this.sampleRate, 8);
    head.writeUInt32LE(samples.length, 12);
    writeFileAtomic(this.#file(hash), [head, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)]);
    this.misses++;
    return { samples, hash };
  }

  /** The entry of a content hash, if cached and intact. */
  read(hash: string): Float32Array | undefined {
    return this.#read(this.#file(hash));
  }

  /** Where a content hash's entry is and how many samples it holds, reading only its header. */
  entry(hash: string): { file: string; length: number } | undefined {
    const file = this.#file(hash);
    let fd: number | undefined;
    try {
      fd = openSync(file, "r");
      const head = Buffer.alloc(ENTRY_HEADER);
      if (readSync(fd, head, 0, ENTRY_HEADER, 0) !== ENTRY_HEADER || !this.#headerOk(head)) return undefined;
      const length = head.readUInt32LE(12);
      return fstatSync(fd).size === ENTRY_HEADER + 4 * length ? { file, length } : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  #headerOk(buf: Buffer): boolean {
    return buf.length >= ENTRY_HEADER && buf.readUInt32LE(0) === MAGIC && buf.readUInt32LE(4) === VERSION && buf.readUInt32LE(8) === this.sampleRate;
  }

  #file(hash: string): string {
    return join(this.dir, hash.slice(0, 2), `${hash}-${this.sampleRate}.f32`);
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
    if (buf.length !== ENTRY_HEADER + 4 * n) return undefined;
    const out = new Float32Array(n);
    new Uint8Array(out.buffer).set(buf.subarray(ENTRY_HEADER));
    return out;
  }
}
