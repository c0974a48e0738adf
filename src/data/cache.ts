// Decoded 10 kHz audio cached on disk, keyed by the file's content hash and the rate, so a second run
// does not decode again. Files are written atomically; an unreadable cache entry is simply redone.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadAudio, type DecodeLimits, defaultLimits } from "../audio/index.js";
import { writeFileAtomic } from "../util/fs.js";

const MAGIC = 0x43414c47; // "GLAC"
const VERSION = 1;
const HEADER = 16;

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
    const head = Buffer.alloc(HEADER);
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
    if (buf.length < HEADER || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== VERSION || buf.readUInt32LE(8) !== this.sampleRate) return undefined;
    const n = buf.readUInt32LE(12);
    if (buf.length !== HEADER + 4 * n) return undefined;
    const out = new Float32Array(n);
    new Uint8Array(out.buffer).set(buf.subarray(HEADER));
    return out;
  }
}
