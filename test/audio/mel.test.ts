// Resampling and mel spectrograms against torchaudio 0.13 (test/fixtures/audio.safetensors).
import { test } from "node:test";
import assert from "node:assert/strict";
import { MelSpectrogram, melDb, melFilterbank, resample, resampleArray, spectrogramDb } from "../../src/audio/index.js";
import { tensor, tidy, toArray } from "../../src/torch/index.js";
import { assertClose, get, loadFixture } from "../helpers.js";

const fx = loadFixture("audio.safetensors");

test("resample matches torchaudio.functional.resample (down and up)", () => {
  tidy(() => {
    const x = get(fx, "resample.x22050");
    assertClose(resample(x, 22050, 10000), get(fx, "resample.22050_10000"), "22050→10000", 1e-5, 1e-4);
    assertClose(resample(x, 22050, 44100), get(fx, "resample.22050_44100"), "22050→44100", 1e-5, 1e-4);
    assertClose(resample(x, 22050, 16000), get(fx, "resample.22050_16000"), "22050→16000", 1e-5, 1e-4);
  });
});

function sine(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate),
  );
}
const rms = (x: Float32Array, from = 0, to = x.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (to - from));
};

test("22050→10000 Hz keeps a 1 kHz sine within 1% and removes a 7 kHz sine (> 40 dB down)", () => {
  const keep = resampleArray(sine(1000, 22050, 2), 22050, 10000);
  assert.equal(keep.length, 20000);
  const err = Math.abs(rms(keep, 500, 19500) / (0.5 / Math.SQRT2) - 1);
  assert.ok(err < 0.01, `1 kHz amplitude error ${(err * 100).toFixed(2)}%`);
  const gone = resampleArray(sine(7000, 22050, 2), 22050, 10000);
  const db = 20 * Math.log10(rms(gone, 500, 19500) / (0.5 / Math.SQRT2));
  assert.ok(db < -40, `7 kHz only ${db.toFixed(1)} dB down`);
});

test("the mel filter bank equals torchaudio's melscale_fbanks", () => {
  tidy(() => {
    const fb = melFilterbank({
      nFft: 1024,
      fMin: 0,
      fMax: 5000,
      nMels: 128,
      sampleRate: 10000,
      norm: null,
      melScale: "htk",
    });
    // torchaudio builds it in float32
    assertClose(tensor(fb, [513, 128]), get(fx, "mel.default.fb"), "filter bank", 5e-5, 1e-4);
  });
});

test("MelSpectrogram + AmplitudeToDB match torchaudio within 1e-4 (relative)", () => {
  tidy(() => {
    const mel = new MelSpectrogram({ topDb: null });
    const x = get(fx, "mel.x");
    const power = mel.power(x);
    assertClose(power, get(fx, "mel.default.power"), "mel power", 1e-7, 1e-4);
    assertClose(mel.forward(x), get(fx, "mel.default.db_notop"), "mel dB", 1e-4, 1e-4);
    assertClose(
      new MelSpectrogram({ topDb: 80 }).forward(x),
      get(fx, "mel.default.db"),
      "mel dB top_db 80",
      1e-4,
      1e-4,
    );
    assert.deepEqual(power.shape, [2, 128, mel.frames(30000)]);
  });
});

test("AmplitudeToDB's top_db clamps as torchaudio's on a signal spanning more than 80 dB", () => {
  tidy(() => {
    const x = get(fx, "mel.wide.x");
    const free = get(fx, "mel.wide.db_notop");
    const range = free.amax().item() - free.amin().item();
    assert.ok(range > 100, `the fixture spans ${range.toFixed(0)} dB, so top_db 80 has something to clamp`);
    assertClose(new MelSpectrogram({ topDb: null }).forward(x), free, "mel dB", 1e-3, 1e-4);
    const clamped = new MelSpectrogram({ topDb: 80 }).forward(x);
    assertClose(clamped, get(fx, "mel.wide.db"), "mel dB top_db 80", 1e-3, 1e-4);
    assert.ok(Math.abs(clamped.amax().item() - clamped.amin().item() - 80) < 1e-3);
  });
});

test("other torchaudio settings match too: slaney scale and norm, power 1, shorter window", () => {
  tidy(() => {
    const mel = new MelSpectrogram({
      sampleRate: 16000,
      nFft: 400,
      winLength: 300,
      hopLength: 160,
      nMels: 40,
      norm: "slaney",
      melScale: "slaney",
      power: 1,
      topDb: null,
    });
    assertClose(mel.power(get(fx, "mel.x")), get(fx, "mel.slaney.power"), "slaney mel", 1e-6, 1e-4);
  });
});

test("bad mel settings are refused", () => {
  assert.throws(() => new MelSpectrogram({ fMax: 6000 }), /fMin < fMax ≤ sampleRate\/2/);
  assert.throws(() => new MelSpectrogram({ nFft: 256, winLength: 512 }), /winLength 512 exceeds nFft 256/);
  assert.deepEqual(toArray(tidy(() => new MelSpectrogram().forward(tensor(new Float32Array(10000))).amax())), [-100]);
});

test("spectrogramDb: a 1 kHz sine peaks in its bin, and the image spans exactly top_db", () => {
  const s = spectrogramDb(sine(1000, 10_000, 1), { nFft: 512, hopLength: 128, topDb: 80 });
  assert.deepEqual([s.rows, s.cols], [257, 79]);
  const mean = (row: number) => s.values.subarray(row * s.cols, (row + 1) * s.cols).reduce((a, v) => a + v, 0) / s.cols;
  const peak = Array.from({ length: s.rows }, (_, r) => mean(r)).reduce(
    (best, v, r, all) => (v > all[best]! ? r : best),
    0,
  );
  assert.equal(peak, Math.round((1000 * 512) / 10_000), "1 kHz is bin 51 of a 512-point STFT at 10 kHz");
  const max = s.values.reduce((m, v) => Math.max(m, v), -Infinity);
  const min = s.values.reduce((m, v) => Math.min(m, v), Infinity);
  assert.ok(Math.abs(max - min - 80) < 1e-3, `range ${max - min} dB`);
  const mel = melDb(new MelSpectrogram(), sine(1000, 10_000, 1));
  assert.deepEqual([mel.rows, mel.cols], [128, new MelSpectrogram().frames(10_000)]);
});
