// Decoding any supported audio file to float channels, with limits checked before decoding.
import { open, readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import decodeCompressed from "audio-decode";
import { decodeAu, readAuHeader } from "./au.js";
import { AudioFileError, defaultLimits, type DecodeLimits, type DecodedAudio } from "./types.js";
import { decodeWav, readWavHeader } from "./wav.js";

export const AUDIO_EXTENSIONS = [".wav", ".au", ".snd", ".mp3", ".flac", ".ogg"] as const;
// Compressed files: refuse what would decode to more than maxSeconds at a generous 320 kbit/s.
const COMPRESSED_BYTES_PER_SECOND = 40_000;

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function fsProblem(path: string, err: unknown): AudioFileError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory"
    : err instanceof Error ? err.message : String(err);
  return new AudioFileError(path, why);
}

function checkSeconds(path: string, seconds: number, limits: DecodeLimits): void {
  if (seconds > limits.maxSeconds) {
    throw new AudioFileError(path, `${Math.round(seconds)} s of audio exceeds the limit of ${limits.maxSeconds} s`);
  }
}

/** Decodes a .wav, .au, .mp3, .flac or .ogg file; every problem is an AudioFileError naming the file. */
export async function decodeFile(path: string, limits: DecodeLimits = defaultLimits): Promise<DecodedAudio> {
  const ext = extname(path).toLowerCase();
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new AudioFileError(path, `unsupported file type '${ext || "(none)"}' (supported: ${AUDIO_EXTENSIONS.join(", ")})`);
  }
  let size: number;
  let head: Uint8Array;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
    size = st.size;
    if (size === 0) throw new AudioFileError(path, "empty file (0 bytes)");
    head = await readHead(path, 64 * 1024);
  } catch (err) {
    throw err instanceof AudioFileError ? err : fsProblem(path, err);
  }
  if (ext === ".wav") {
    const h = readWavHeader(path, head, size);
    checkSeconds(path, h.dataBytes / (h.channelCount * (h.bitsPerSample / 8)) / h.sampleRate, limits);
  } else if (ext === ".au" || ext === ".snd") {
    const h = readAuHeader(path, head, size);
    checkSeconds(path, h.dataBytes / (h.channelCount * h.bytesPerSample) / h.sampleRate, limits);
  } else if (size > limits.maxSeconds * COMPRESSED_BYTES_PER_SECOND) {
    throw new AudioFileError(path, `file of ${(size / 1e6).toFixed(0)} MB is longer than the limit of ${limits.maxSeconds} s`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw fsProblem(path, err);
  }
  let audio: DecodedAudio;
  if (ext === ".wav") audio = decodeWav(path, bytes);
  else if (ext === ".au" || ext === ".snd") audio = decodeAu(path, bytes);
  else {
    try {
      const d = await decodeCompressed(bytes);
      audio = { channels: d.channelData, sampleRate: d.sampleRate };
    } catch (err) {
      throw new AudioFileError(path, `cannot decode ${ext.slice(1)} (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  const frames = audio.channels[0]?.length ?? 0;
  if (frames === 0) throw new AudioFileError(path, "contains no audio");
  checkSeconds(path, frames / audio.sampleRate, limits);
  for (const ch of audio.channels) {
    for (let i = 0; i < ch.length; i++) {
      if (!Number.isFinite(ch[i])) throw new AudioFileError(path, `sample ${i} is ${ch[i]} (NaN or Inf in the audio)`);
    }
  }
  return audio;
}

/** Averages the channels into one. */
export function mixToMono(audio: DecodedAudio): Float32Array {
  if (audio.channels.length === 1) return audio.channels[0];
  const n = audio.channels[0].length;
  const out = new Float32Array(n);
  for (const ch of audio.channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  for (let i = 0; i < n; i++) out[i] /= audio.channels.length;
  return out;
}
