// The bad-input corpus: files a hostile or unlucky user may hand genrelab, each with what must happen.
// `node dist/test/corpus/hostile.js <dir>` writes them; test/corpus/corpus.test.ts runs the commands
// and the HTTP API over them and regenerates the table in docs/RELIABILITY.md.
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import wavefile from "wavefile";
import { encodeWav16 } from "../../src/audio/index.js";
import { encodeAu16 } from "../helpers.js";

export interface Case {
  name: string;
  /** What the file is. */
  what: string;
  /** null: must be classified; else the one-line error it must give (after the file's name). */
  error: RegExp | null;
}

const tone = (rate: number, seconds: number): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));
const fixture = (name: string): Buffer =>
  readFileSync(fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url)));

function wav(channels: number, rate: number, depth: string, samples: ArrayLike<number>[]): Buffer {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, rate, depth, samples as never);
  return Buffer.from(w.toBuffer());
}

/** A 16-bit mono WAV of `seconds` with one header field changed. */
function patched(seconds: number, patch: (b: Buffer) => void): Buffer {
  const b = Buffer.from(encodeWav16(tone(8000, seconds), 8000));
  patch(b);
  return b;
}

/** Writes the corpus into `dir`; returns its cases in a fixed order. */
export function writeCorpus(dir: string): Case[] {
  mkdirSync(dir, { recursive: true });
  const cases: Case[] = [];
  const add = (name: string, what: string, error: RegExp | null, bytes?: Buffer | string) => {
    if (bytes !== undefined) writeFileSync(join(dir, name), bytes);
    cases.push({ name, what, error });
  };
  const s16 = (x: Float32Array) => Array.from(x, (v) => Math.round(v * 32767));
  // Sound files that must work.
  add("ok-16bit.wav", "16-bit mono, 8 kHz", null, Buffer.from(encodeWav16(tone(8000, 6), 8000)));
  add(
    "ok-stereo-44k.wav",
    "16-bit stereo, 44.1 kHz",
    null,
    wav(2, 44100, "16", [s16(tone(44100, 6)), s16(tone(44100, 6))]),
  );
  add(
    "ok-8bit.wav",
    "8-bit unsigned",
    null,
    wav(1, 11025, "8", [Array.from(tone(11025, 6), (v) => Math.round(v * 127 + 128))]),
  );
  add(
    "ok-24bit.wav",
    "24-bit",
    null,
    wav(1, 22050, "24", [Array.from(tone(22050, 6), (v) => Math.round(v * 8388607))]),
  );
  add("ok-float32.wav", "32-bit float", null, wav(1, 16000, "32f", [Array.from(tone(16000, 6))]));
  add("ok-float64.wav", "64-bit float", null, wav(1, 16000, "64", [Array.from(tone(16000, 6))]));
  add("ok-odd-rate.wav", "20011 Hz (no small resampling ratio)", null, wav(1, 20011, "16", [s16(tone(20011, 6))]));
  add("ok-short.wav", "0.3 s (shorter than a window)", null, Buffer.from(encodeWav16(tone(8000, 0.3), 8000)));
  add("ok-silence.wav", "6 s of digital silence", null, Buffer.from(encodeWav16(new Float32Array(48000), 8000)));
  const junk = Buffer.alloc(8 + 100_000);
  junk.write("junk", 0);
  junk.writeUInt32LE(100_000, 4);
  const good = Buffer.from(encodeWav16(tone(8000, 6), 8000));
  const padded = Buffer.concat([good.subarray(0, 36), junk, good.subarray(36)]);
  padded.writeUInt32LE(padded.length - 8, 4);
  add("ok-big-chunk.wav", "a 100 KB chunk before the audio", null, padded);
  add(
    "ok-streamed.wav",
    "streamed: data size 0xFFFFFFFF",
    null,
    patched(6, (b) => {
      b.writeUInt32LE(0xffffffff, 4);
      b.writeUInt32LE(0xffffffff, 40);
    }),
  );
  add("ok-16bit.au", ".au 16-bit PCM (GTZAN's format)", null, Buffer.from(encodeAu16(tone(22050, 6), 22050)));
  add("ok-tone.mp3", "MP3", null, fixture("tone440.mp3"));
  add("ok-tone.flac", "FLAC", null, fixture("tone440.flac"));
  add("ok-tone.ogg", "Ogg Vorbis", null, fixture("tone440.ogg"));
  // Damaged or hostile files: one line each.
  add("empty.wav", "0 bytes", /empty file \(0 bytes\)/, "");
  add("text.wav", "a text file named .wav", /not a WAV file \(no RIFF\/WAVE header\)/, "this is not audio\n");
  add("riff-only.wav", "RIFF header, nothing else", /not a WAV file/, Buffer.from("RIFF\x04\x00\x00\x00WAV", "latin1"));
  add("no-data.wav", "fmt chunk but no data chunk", /no WAV data chunk found/, good.subarray(0, 36));
  add(
    "truncated.wav",
    "half of its data missing",
    /truncated: the header declares 96000 bytes of audio, the file holds 48000/,
    good.subarray(0, 44 + 48000),
  );
  add(
    "liar.wav",
    "declares 1 GB of data",
    /truncated: the header declares 1000000000 bytes/,
    patched(1, (b) => b.writeUInt32LE(1e9, 40)),
  );
  add(
    "data-before-fmt.wav",
    "data chunk before fmt",
    /data chunk comes before its fmt chunk/,
    Buffer.concat([good.subarray(0, 12), good.subarray(36, 44), good.subarray(44, 100)]),
  );
  add(
    "zero-channels.wav",
    "0 channels",
    /bad WAV format \(channels 0/,
    patched(1, (b) => b.writeUInt16LE(0, 22)),
  );
  add(
    "rate-0.wav",
    "sample rate 0",
    /bad WAV format \(channels 1, rate 0/,
    patched(1, (b) => b.writeUInt32LE(0, 24)),
  );
  add(
    "rate-4hz.wav",
    "sample rate 4 Hz",
    /sample rate 4 Hz is outside 1000–768000 Hz/,
    patched(1, (b) => b.writeUInt32LE(4, 24)),
  );
  add(
    "rate-4ghz.wav",
    "sample rate 4,000,000,000 Hz",
    /sample rate 4000000000 Hz is outside/,
    patched(1, (b) => b.writeUInt32LE(4e9, 24)),
  );
  add(
    "bits-7.wav",
    "7 bits per sample",
    /bad WAV format|unsupported WAV sample format|cannot decode WAV/,
    patched(1, (b) => b.writeUInt16LE(7, 34)),
  );
  add("nan.wav", "float samples with NaN", /sample 2 is NaN/, wav(1, 8000, "32f", [[0, 0.5, NaN, 0]]));
  add("inf.wav", "float samples with Inf", /sample 1 is Infinity/, wav(1, 8000, "32f", [[0, Infinity, 0]]));
  add(
    "huge-values.wav",
    "float samples of 1e30",
    /sample 1 is 1\.0000000150474662e\+30/,
    wav(1, 8000, "32f", [[0, 1e30, 0]]),
  );
  const chunks = Buffer.alloc(12 + 8 * 20_000);
  chunks.write("RIFF", 0);
  chunks.write("WAVE", 8);
  for (let i = 0; i < 20_000; i++) chunks.write("pad ", 12 + 8 * i);
  add("many-chunks.wav", "20,000 empty chunks", /over 10,000 chunks before the audio/, chunks);
  add(
    "huge-chunk.wav",
    "a chunk claiming 4 GB before the data",
    /no WAV data chunk found/,
    Buffer.concat([good.subarray(0, 12), Buffer.from("pad \xf0\xff\xff\xff", "latin1"), good.subarray(12)]),
  );
  const long = Buffer.from(encodeWav16(new Float32Array(1), 22050).subarray(0, 44));
  long.writeUInt32LE(2 * 3600 * 22050 * 2, 40);
  add(
    "two-hours.wav",
    "declares 2 h (sparse file, nothing read)",
    /7200 s of audio exceeds the limit of (1200|600) s/,
    long,
  );
  truncateSync(join(dir, "two-hours.wav"), 44 + 2 * 3600 * 22050 * 2);
  add(
    "stereo-wide.wav",
    "65535 channels (less than one frame of data)",
    /contains no audio/,
    patched(1, (b) => {
      b.writeUInt16LE(65535, 22);
      b.writeUInt16LE(65534, 32);
    }),
  );
  const au = Buffer.from(encodeAu16(tone(8000, 1), 8000));
  add(
    "bad-magic.au",
    ".au without its magic",
    /not an \.au file/,
    Buffer.concat([Buffer.from("xxxx"), au.subarray(4)]),
  );
  const alaw = Buffer.from(au);
  alaw.writeUInt32BE(27, 12);
  add("alaw.au", ".au encoding 27", /unsupported \.au encoding 27/, alaw);
  add("short-header.au", ".au shorter than its header", /too short for an \.au header/, au.subarray(0, 10));
  add(
    "garbage.mp3",
    "2 KB of 0x07 named .mp3",
    /cannot decode mp3 \(not an MP3, FLAC or Ogg stream\)/,
    Buffer.alloc(2000, 7),
  );
  add(
    "cut.flac",
    "the first 100 bytes of a FLAC",
    /contains no audio|cannot decode flac/,
    fixture("tone440.flac").subarray(0, 100),
  );
  add(
    "garbage.ogg",
    "Ogg magic, then noise",
    /contains no audio|cannot decode ogg/,
    Buffer.concat([Buffer.from("OggS"), Buffer.alloc(3000, 0x5a)]),
  );
  const mp3 = fixture("tone440.mp3");
  add(
    "long.mp3",
    "1500 copies of a 1 s MP3 (6.4 MB, ~27 min)",
    /s of audio exceeds the limit of (1200|600) s/,
    Buffer.concat(Array.from({ length: 1500 }, () => mp3)),
  );
  add("notes.txt", "not an audio file type", /unsupported file type '\.txt'|not a supported audio file/, "hello\n");
  mkdirSync(join(dir, "folder.wav"), { recursive: true });
  add("folder.wav", "a directory", /is a directory|not a supported|empty file/);
  symlinkSync("/dev/zero", join(dir, "zero.wav"));
  add("zero.wav", "a link to /dev/zero", /empty file \(0 bytes\)|not a WAV file/);
  return cases;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node dist/test/corpus/hostile.js <dir>");
  console.log(`${writeCorpus(dir).length} files in ${dir}`);
}
