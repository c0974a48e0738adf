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
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return (await loadAudio(path, this.sampleRate, this.limits)).samples; // decode reports the problem
    }
    const key = createHash("sha1").update(bytes).digest("hex");
    const file = join(this.dir, key.slice(0, 2), `${key}-${this.sampleRate}.f32`);
    const cached = this.#read(file);
    if (cached) {
      this.hits++;
      return cached;
    }
    const { samples } = await loadAudio(path, this.sampleRate, this.limits);
    const head = Buffer.alloc(HEADER);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(VERSION, 4);
    head.writeUInt32LE(this.sampleRate, 8);
    head.writeUInt32LE(samples.length, 12);
    writeFileAtomic(file, [head, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)]);
    this.misses++;
    return samples;
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
