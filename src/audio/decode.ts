// Decoding any supported audio file to float channels, with limits checked before decoding.
import { closeSync, openSync, readSync } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import decodeCompressed from "audio-decode";
import { decodeAu, readAuHeader } from "./au.js";
import { AudioFileError, defaultLimits, RATE_RANGE, type DecodeLimits, type DecodedAudio } from "./types.js";
import { decodeWav, readWavHeader, type WavHeader } from "./wav.js";

export const AUDIO_EXTENSIONS = [".wav", ".au", ".snd", ".mp3", ".flac", ".ogg"] as const;
// Compressed files: refuse what would decode to more than maxSeconds at a generous 320 kbit/s.
const COMPRESSED_BYTES_PER_SECOND = 40_000;

/** The WAV header, reading chunk headers past the first 64 KB from the file (one descriptor for all). */
function wavHeaderOf(path: string, head: Uint8Array, size: number): WavHeader {
  let fd: number | undefined;
  try {
    return readWavHeader(
      path,
      (offset, length) => {
        if (offset + length <= head.length) return head.subarray(offset, offset + length);
        const buf = new Uint8Array(length);
        return buf.subarray(0, readSync((fd ??= openSync(path, "r")), buf, 0, length, offset));
      },
      size,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

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
  const why =
    code === "ENOENT"
      ? "no such file"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : err instanceof Error
            ? err.message
            : String(err);
  return new AudioFileError(path, why);
}

/** Checks a declared or decoded size against the limits: frames per channel at `rate`. */
function checkSize(path: string, frames: number, channels: number, rate: number, limits: DecodeLimits): void {
  if (!(rate >= RATE_RANGE[0] && rate <= RATE_RANGE[1])) {
    throw new AudioFileError(
      path,
      `sample rate ${rate} Hz is outside ${RATE_RANGE[0]}–${RATE_RANGE[1]} Hz (damaged header?)`,
    );
  }
  if (frames / rate > limits.maxSeconds) {
    throw new AudioFileError(
      path,
      `${Math.ceil(frames / rate)} s of audio exceeds the limit of ${limits.maxSeconds} s`,
    );
  }
  if (frames * channels > limits.maxSamples) {
    throw new AudioFileError(
      path,
      `${frames * channels} samples (${channels} channels) exceed the limit of ${limits.maxSamples}`,
    );
  }
}

// Compressed streams are fed in small pieces, so a file that decodes to far more than the limit (1 h of
// silence fits in 150 KB of FLAC) is stopped after one piece past it, not decoded whole.
const PIECE = 16 * 1024;
const MAX_SAMPLE = 1e4;

function compressedFormat(head: Uint8Array): "mp3" | "flac" | "opus" | "oga" | null {
  const text = String.fromCharCode(...head.subarray(0, 64));
  if (text.startsWith("fLaC")) return "flac";
  if (text.startsWith("OggS")) return text.includes("OpusHead") ? "opus" : "oga";
  if (text.startsWith("ID3") || (head[0] === 0xff && (head[1]! & 0xe0) === 0xe0)) return "mp3";
  return null;
}

async function decodeCompressedFile(path: string, head: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  const format = compressedFormat(head);
  const ext = extname(path).slice(1).toLowerCase();
  if (!format) throw new AudioFileError(path, `cannot decode ${ext} (not an MP3, FLAC or Ogg stream)`);
  const decoder = await decodeCompressed[format]();
  const pieces: Float32Array[][] = [];
  let frames = 0;
  let rate = 0;
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(PIECE);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, PIECE, null);
      const got = bytesRead > 0 ? await decoder(buf.slice(0, bytesRead)) : await decoder.flush();
      const n = got.channelData[0]?.length ?? 0;
      if (n > 0) {
        rate ||= got.sampleRate;
        pieces.push(got.channelData);
        frames += n;
        checkSize(path, frames, got.channelData.length, rate, limits);
      }
      if (bytesRead === 0) break;
    }
  } catch (err) {
    throw err instanceof AudioFileError
      ? err
      : new AudioFileError(path, `cannot decode ${ext} (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    decoder.free();
    await fh.close();
  }
  const channelCount = Math.max(0, ...pieces.map((p) => p.length));
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  let at = 0;
  for (const p of pieces) {
    // A piece with fewer channels (a decoder's mono/stereo switch) is spread over all of them.
    channels.forEach((ch, c) => ch.set(p[Math.min(c, p.length - 1)]!, at));
    at += p[0]?.length ?? 0;
  }
  return { channels, sampleRate: rate };
}

/** Decodes a .wav, .au, .mp3, .flac or .ogg file; every problem is an AudioFileError naming the file. */
export async function decodeFile(path: string, limits: DecodeLimits = defaultLimits): Promise<DecodedAudio> {
  const ext = extname(path).toLowerCase();
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new AudioFileError(
      path,
      `unsupported file type '${ext || "(none)"}' (supported: ${AUDIO_EXTENSIONS.join(", ")})`,
    );
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
    const h = wavHeaderOf(path, head, size);
    checkSize(path, h.dataBytes / (h.channelCount * (h.bitsPerSample / 8)), h.channelCount, h.sampleRate, limits);
  } else if (ext === ".au" || ext === ".snd") {
    const h = readAuHeader(path, head, size);
    checkSize(path, h.dataBytes / (h.channelCount * h.bytesPerSample), h.channelCount, h.sampleRate, limits);
  } else if (size > limits.maxSeconds * COMPRESSED_BYTES_PER_SECOND) {
    throw new AudioFileError(
      path,
      `file of ${(size / 1e6).toFixed(0)} MB is longer than the limit of ${limits.maxSeconds} s`,
    );
  }
  let audio: DecodedAudio;
  if (ext === ".wav" || ext === ".au" || ext === ".snd") {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw fsProblem(path, err);
    }
    audio = ext === ".wav" ? decodeWav(path, bytes) : decodeAu(path, bytes);
  } else {
    audio = await decodeCompressedFile(path, head, limits);
  }
  const frames = audio.channels[0]?.length ?? 0;
  if (frames === 0) throw new AudioFileError(path, "contains no audio");
  checkSize(path, frames, audio.channels.length, audio.sampleRate, limits);
  for (const ch of audio.channels) {
    for (let i = 0; i < ch.length; i++) {
      // Float files may exceed ±1 a little; 1e30 is damage (its square overflows the mel spectrogram).
      if (!(Math.abs(ch[i]!) <= MAX_SAMPLE))
        throw new AudioFileError(path, `sample ${i} is ${ch[i]} (NaN, Inf or far outside [-1, 1] in the audio)`);
    }
  }
  return audio;
}

/** Averages the channels into one. */
export function mixToMono(audio: DecodedAudio): Float32Array {
  if (audio.channels.length === 1) return audio.channels[0]!;
  const n = audio.channels[0]!.length;
  const out = new Float32Array(n);
  for (const ch of audio.channels) for (let i = 0; i < n; i++) out[i]! += ch[i]!;
  for (let i = 0; i < n; i++) out[i]! /= audio.channels.length;
  return out;
}
