// Decoding every supported format, and a clear one-line error for each kind of bad file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import wavefile from "wavefile";
import { decodeFile, defaultLimits, encodeWav16, loadAudio, mixToMono, writeWav16 } from "../../src/audio/index.js";
import { encodeAu16, fixturePath, get, loadFixture } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "genrelab-decode-"));
const tone = (rate: number, seconds: number, freq = 440, amp = 0.5): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate));
const peak = (x: Float32Array): number => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function writeWav(
  name: string,
  channels: number,
  rate: number,
  bitDepth: string,
  samples: ArrayLike<number>[],
): string {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, rate, bitDepth, samples as never);
  const p = join(dir, name);
  writeFileSync(p, w.toBuffer());
  return p;
}

test("WAV of every sample format decodes to floats in [-1, 1]", async () => {
  const t = tone(8000, 0.25);
  const scaled = (max: number): number[] => Array.from(t, (v) => Math.round(v * max));
  const cases: [string, string, number[]][] = [
    ["u8.wav", "8", Array.from(t, (v) => Math.round(v * 127 + 128))],
    ["s16.wav", "16", scaled(32767)],
    ["s24.wav", "24", scaled(8388607)],
    ["s32.wav", "32", scaled(2147483647)],
    ["f32.wav", "32f", Array.from(t)],
  ];
  for (const [name, depth, data] of cases) {
    const audio = await decodeFile(writeWav(name, 1, 8000, depth, [data]));
    assert.equal(audio.sampleRate, 8000, name);
    assert.equal(audio.channels[0]!.length, t.length, name);
    assert.ok(Math.abs(peak(audio.channels[0]!) - 0.5) < 0.01, `${name}: peak ${peak(audio.channels[0]!)}`);
  }
});

test("stereo is mixed to mono and any rate is resampled to 10 kHz", async () => {
  const left = Array.from(tone(44100, 1), (v) => Math.round(v * 32767));
  const right = left.map(() => 0);
  const p = writeWav("stereo.wav", 2, 44100, "16", [left, right]);
  const audio = await decodeFile(p);
  assert.equal(audio.channels.length, 2);
  assert.ok(Math.abs(peak(mixToMono(audio)) - 0.25) < 0.01);
  const loaded = await loadAudio(p);
  assert.equal(loaded.sampleRate, 10000);
  assert.equal(loaded.samples.length, 10000);
  assert.equal(loaded.sourceRate, 44100);
});

test(".au (GTZAN's original format) decodes, 16-bit PCM and mu-law", async () => {
  const p = join(dir, "blues.00000.au");
  writeFileSync(p, encodeAu16(tone(22050, 1), 22050));
  const audio = await decodeFile(p);
  assert.equal(audio.sampleRate, 22050);
  assert.equal(audio.channels[0]!.length, 22050);
  assert.ok(Math.abs(peak(audio.channels[0]!) - 0.5) < 0.001);
  const mu = Buffer.alloc(24 + 100);
  mu.writeUInt32BE(0x2e736e64, 0);
  mu.writeUInt32BE(24, 4);
  mu.writeUInt32BE(100, 8);
  mu.writeUInt32BE(1, 12);
  mu.writeUInt32BE(8000, 16);
  mu.writeUInt32BE(1, 20);
  mu.fill(0xff, 24); // mu-law silence
  writeFileSync(join(dir, "mu.au"), mu);
  assert.equal(peak((await decodeFile(join(dir, "mu.au"))).channels[0]!), 0);
});

test(
  ".au written by another tool (Python's sunau: a 32-byte header, 16-bit PCM and mu-law) decodes to the samples " +
    "it holds",
  async () => {
    const fx = loadFixture("au.safetensors");
    for (const [name, key, rate] of [
      ["sunau-pcm16.au", "au.pcm16", 22050],
      ["sunau-ulaw.au", "au.ulaw", 8000],
    ] as const) {
      const audio = await decodeFile(fixturePath(name));
      assert.equal(audio.sampleRate, rate, name);
      const want = get(fx, key).toTypedArray() as Float32Array;
      assert.equal(audio.channels[0]!.length, want.length, name);
      const worst = want.reduce((m, v, i) => Math.max(m, Math.abs(v - audio.channels[0]![i]!)), 0);
      assert.ok(worst < 1e-6 && peak(want) > 0.5, `${name}: worst difference ${worst}`);
    }
  },
);

test(
  "IMA ADPCM .wav written by SoX (mono, stereo) decodes " + "to SoX's own decoding of it, sample for sample",
  async () => {
    for (const [name, channels] of [
      ["sox-ima-adpcm", 1],
      ["sox-ima-adpcm-stereo", 2],
    ] as const) {
      const audio = await decodeFile(fixturePath(`${name}.wav`));
      const sox = await decodeFile(fixturePath(`${name}.decoded.wav`));
      assert.deepEqual([audio.sampleRate, audio.channels.length], [22050, channels], name);
      audio.channels.forEach((got, c) => {
        const want = sox.channels[c]!;
        // The fact chunk's 2205 frames; SoX keeps the last block's padding (5 blocks of 505).
        assert.deepEqual([got.length, want.length], [2205, 2525], name);
        const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
        assert.equal(worst, 0, `${name}, channel ${c}`);
      });
      // And the left channel is the tone it was made from, within ADPCM's error.
      const tone = get(loadFixture("au.safetensors"), "au.pcm16").toTypedArray() as Float32Array;
      const got = audio.channels[0]!;
      const noise = tone.reduce((e, v, i) => e + (v - got[i]!) ** 2, 0);
      const snr = 10 * Math.log10(tone.reduce((e, v) => e + v * v, 0) / noise);
      assert.ok(snr > 30, `${name}: SNR ${snr.toFixed(1)} dB`);
    }
  },
);

test("MP3, FLAC and Ogg Vorbis decode", async () => {
  for (const name of ["tone440.mp3", "tone440.flac", "tone440.ogg"]) {
    const audio = await decodeFile(fixturePath(name));
    assert.equal(audio.sampleRate, 22050, name);
    const n = audio.channels[0]!.length;
    assert.ok(n >= 22050 && n < 24000, `${name}: ${n} samples`);
    assert.ok(Math.abs(peak(mixToMono(audio)) - 0.5) < 0.05, `${name}: peak ${peak(mixToMono(audio))}`);
  }
});

test("16-bit WAV writing round-trips and is atomic", async () => {
  const p = join(dir, "out", "clip.wav");
  const x = tone(10000, 0.5);
  x[10] = 3; // clipped, not wrapped
  writeWav16(p, x, 10000);
  const back = await decodeFile(p);
  assert.equal(back.sampleRate, 10000);
  assert.ok(Math.abs(back.channels[0]![100]! - x[100]!) < 1e-4);
  assert.ok(Math.abs(back.channels[0]![10]! - 1) < 1e-4);
  assert.deepEqual(readdirSync(join(dir, "out")), ["clip.wav"]);
});

const rejects = (path: string, pattern: RegExp) =>
  assert.rejects(decodeFile(path), (err: Error) => {
    assert.match(err.message, pattern);
    assert.ok(err.message.startsWith(path), `the message names the file: ${err.message}`);
    assert.equal(err.message.includes("\n"), false, "one line");
    return true;
  });

test("bad files give one clear line naming the file", async () => {
  const good = encodeWav16(tone(10000, 1), 10000);
  writeFileSync(join(dir, "truncated.wav"), good.subarray(0, good.length / 2));
  await rejects(join(dir, "truncated.wav"), /truncated: the header declares 20000 bytes of audio, the file holds 9978/);
  const liar = Buffer.from(good);
  liar.writeUInt32LE(1_000_000, 40); // data chunk size
  writeFileSync(join(dir, "liar.wav"), liar);
  await rejects(join(dir, "liar.wav"), /truncated: the header declares 1000000 bytes/);
  writeFileSync(join(dir, "empty.wav"), "");
  await rejects(join(dir, "empty.wav"), /empty file \(0 bytes\)/);
  writeFileSync(join(dir, "text.wav"), "this is not audio at all, just text\n");
  await rejects(join(dir, "text.wav"), /not a WAV file/);
  await rejects(join(dir, "nope.wav"), /no such file/);
  mkdirSync(join(dir, "folder.wav"));
  await rejects(join(dir, "folder.wav"), /is a directory/);
  writeFileSync(join(dir, "notes.txt"), "x");
  await rejects(join(dir, "notes.txt"), /unsupported file type '.txt'/);
  const au = Buffer.from(encodeAu16(tone(8000, 0.1), 8000));
  au.writeUInt32BE(27, 12); // encoding 27 (A-law) is not supported
  writeFileSync(join(dir, "alaw.au"), au);
  await rejects(join(dir, "alaw.au"), /unsupported \.au encoding 27/);
  writeFileSync(join(dir, "bad.mp3"), Buffer.alloc(2000, 7));
  await rejects(join(dir, "bad.mp3"), /cannot decode mp3/);
});

test("NaN, Inf or absurd samples are refused", async () => {
  const w = new wavefile.WaveFile();
  w.fromScratch(1, 8000, "32f", [0, 0.5, NaN, 0]);
  writeFileSync(join(dir, "nan.wav"), w.toBuffer());
  await rejects(join(dir, "nan.wav"), /sample 2 is NaN/);
  w.fromScratch(1, 8000, "32f", [0, 1.5, -1e30, 0]);
  writeFileSync(join(dir, "huge.wav"), w.toBuffer());
  await rejects(join(dir, "huge.wav"), /sample 2 is -1\.0000000150474662e\+30 \(NaN, Inf or far outside \[-1, 1\]/);
});

test("a 2-hour file is refused from its header, without reading it", async () => {
  const p = join(dir, "long.wav");
  const header = Buffer.from(encodeWav16(new Float32Array(1), 22050).subarray(0, 44));
  const bytes = 2 * 3600 * 22050 * 2;
  header.writeUInt32LE(bytes, 40);
  header.writeUInt32LE(bytes + 36, 4);
  writeFileSync(p, header);
  truncateSync(p, 44 + bytes); // sparse: no disk or memory used
  const before = process.memoryUsage.rss();
  await rejects(p, /7200 s of audio exceeds the limit of 1200 s/);
  assert.ok(process.memoryUsage.rss() - before < 100 * 2 ** 20);
});

test("an unreadable file is reported (permission denied)", {
  skip: process.getuid?.() === 0 ? "root reads any file" : false,
}, async () => {
  const p = join(dir, "locked.wav");
  writeFileSync(p, encodeWav16(tone(8000, 0.1), 8000));
  chmodSync(p, 0);
  await rejects(p, /permission denied/);
});

test("valid WAVs that are unusual: a 100 KB chunk before the audio, a streamed file's unknown length", async () => {
  const good = Buffer.from(encodeWav16(tone(8000, 0.5), 8000));
  const junk = Buffer.alloc(8 + 100_000);
  junk.write("junk", 0);
  junk.writeUInt32LE(100_000, 4);
  const padded = Buffer.concat([good.subarray(0, 36), junk, good.subarray(36)]);
  padded.writeUInt32LE(padded.length - 8, 4);
  writeFileSync(join(dir, "junk.wav"), padded);
  assert.equal((await decodeFile(join(dir, "junk.wav"))).channels[0]!.length, 4000);
  const streamed = Buffer.from(good);
  streamed.writeUInt32LE(0xffffffff, 4);
  streamed.writeUInt32LE(0xffffffff, 40);
  writeFileSync(join(dir, "streamed.wav"), streamed);
  const audio = await decodeFile(join(dir, "streamed.wav"));
  assert.equal(audio.channels[0]!.length, 4000);
  assert.ok(Math.abs(peak(audio.channels[0]!) - 0.5) < 0.01);
});

test("a sample rate outside 1–768 kHz is refused from the header", async () => {
  for (const rate of [4, 20_000_000]) {
    const p = join(dir, `rate${rate}.wav`);
    const bytes = Buffer.from(encodeWav16(tone(8000, 0.1), 8000));
    bytes.writeUInt32LE(rate, 24);
    writeFileSync(p, bytes);
    await rejects(p, new RegExp(`sample rate ${rate} Hz is outside 1000–768000 Hz`));
  }
});

test("a compressed file that decodes past the limit is stopped, not decoded whole", async () => {
  // 400 copies of a 1 s MP3: 4284 bytes each, so 1.7 MB passes the size check for a 60 s limit;
  // whole it would decode to ~430 s. Decoding must stop at the limit.
  const p = join(dir, "long.mp3");
  writeFileSync(p, Buffer.concat(Array.from({ length: 400 }, () => readFileSync(fixturePath("tone440.mp3")))));
  await assert.rejects(
    decodeFile(p, { ...defaultLimits, maxSeconds: 60 }),
    /: 6\d s of audio exceeds the limit of 60 s$/,
  );
  const limits = { maxSeconds: 60, maxSamples: 10 * 22050 };
  await assert.rejects(decodeFile(p, limits), /: \d+ samples \(\d channels?\) exceed the limit of 220500$/);
});
