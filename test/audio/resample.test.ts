// Resampling odd rates: bounded memory and time, the same filter as the polyphase bank.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resampleArray, resampleDirect } from "../../src/audio/index.js";

const tone = (rate: number, seconds: number, freq: number): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * freq * i) / rate));
const maxDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test("the per-sample filter equals the polyphase bank", () => {
  const x = Float32Array.from(
    { length: 4000 },
    (_, i) => Math.sin(i * 0.37) * Math.cos(i * 0.011) + ((i * 7919) % 13) / 26 - 0.25,
  );
  for (const [from, to] of [
    [22050, 10000],
    [10000, 22050],
    [22050, 16000],
    [44100, 10000],
  ] as const) {
    const bank = resampleArray(x, from, to);
    const direct = resampleDirect(x, from, to);
    assert.equal(direct.length, bank.length, `${from}→${to}`);
    assert.ok(maxDiff(direct, bank) < 2e-5, `${from}→${to}: differs by ${maxDiff(direct, bank)}`);
  }
});

test("a rate with no small ratio (20011 Hz) resamples in bounded memory and time", () => {
  const rss = process.memoryUsage().rss;
  const t0 = Date.now();
  const y = resampleArray(tone(20011, 10, 440), 20011, 10_000);
  const seconds = (Date.now() - t0) / 1000;
  const grown = (process.memoryUsage().rss - rss) / 2 ** 20;
  assert.equal(y.length, Math.ceil((10_000 * 200_110) / 20011));
  // A polyphase bank for this ratio would hold 10000 × 20037 floats (800 MB) and take ~10 s to build.
  assert.ok(grown < 100, `RSS grew ${grown.toFixed(0)} MB`);
  assert.ok(seconds < 5, `took ${seconds} s`);
  const mid = y.subarray(10_000, 90_000);
  const expected = tone(10_000, 10, 440).subarray(10_000, 90_000);
  assert.ok(maxDiff(mid, expected) < 0.01, `the 440 Hz tone is off by ${maxDiff(mid, expected)}`);
});
