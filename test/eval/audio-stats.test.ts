// Per-second loudness, spectral flux and pulse of generated clips against real continuations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { continuationStats, loudnessBySecond, spectralFluxBySecond } from "../../src/eval/audio-stats.js";

const rate = 10_000;
const sine = (seconds: number, amp: number, f = 220) =>
  Float32Array.from({ length: seconds * rate }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / rate));
/** Decaying noise bursts every `every` seconds: onsets. */
function clicks(seconds: number, every: number, amp = 0.5): Float32Array {
  let s = 1;
  const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  return Float32Array.from({ length: seconds * rate }, (_, i) => {
    const t = (i / rate) % every;
    return amp * noise() * Math.exp(-t * 150);
  });
}

test("loudness per second is the RMS level in dB", () => {
  const db = loudnessBySecond(sine(3, 0.5), rate);
  assert.equal(db.length, 3);
  for (const v of db) assert.ok(Math.abs(v - 20 * Math.log10(0.5 / Math.SQRT2)) < 0.01, `${v}`);
  assert.ok(loudnessBySecond(new Float32Array(rate), rate)[0]! <= -119);
});

test("spectral flux: near 0 for a steady tone and for silence, high for onsets, low for a 0.1 s loop", () => {
  const steady = spectralFluxBySecond(sine(3, 0.5), rate);
  const slow = spectralFluxBySecond(clicks(3, 0.5), rate);
  assert.equal(steady.length, 3);
  // The first second holds the tone's start; after it a steady tone does not move.
  assert.ok(steady[2]! < 0.1 * slow[2]!, `steady ${steady} vs clicks ${slow}`);
  assert.ok(spectralFluxBySecond(new Float32Array(2 * rate), rate).every((v) => v === 0));
  // One 0.1 s chunk repeated (how the study's generator fails) barely moves.
  const chunk = clicks(1, 1).subarray(0, rate / 10);
  const loop = Float32Array.from({ length: 3 * rate }, (_, i) => chunk[i % chunk.length]!);
  const looped = spectralFluxBySecond(loop, rate);
  assert.ok(looped[2]! < 0.25 * slow[2]!, `loop ${looped} vs clicks ${slow}`);
});

test(
  "continuation stats: a quiet hum shows as a level gap " + "and a flux ratio near 0; the real thing as 0 dB and 1",
  () => {
    const real = clicks(3, 0.25);
    const hum = sine(3, 0.01, 60);
    const s = continuationStats(
      [
        { generated: hum, real },
        { generated: hum, real },
      ],
      rate,
    )!;
    assert.equal(s.loudnessGapDb.length, 3);
    assert.ok(
      s.loudnessGapDb.every((g) => g > 10),
      `gap ${s.loudnessGapDb}`,
    );
    assert.ok(s.fluxRatio[2]! < 0.1, `flux ratio ${s.fluxRatio}`);
    // Pulse clarity per clip, median over clips: steady noise keeps no beat, the clicks every 0.25 s do.
    let n = 5;
    const noise = Float32Array.from(
      { length: 3 * rate },
      () => 0.1 * (((n = (n * 16807) % 2147483647) / 2147483647) * 2 - 1),
    );
    const beat = continuationStats(
      [
        { generated: noise, real },
        { generated: noise, real },
      ],
      rate,
    )!;
    assert.ok(beat.generatedPulse! < 0.3 && beat.realPulse! > 0.6, `pulse ${beat.generatedPulse} / ${beat.realPulse}`);
    const same = continuationStats([{ generated: real, real }], rate)!;
    assert.deepEqual(same.loudnessGapDb, [0, 0, 0]);
    assert.deepEqual(same.fluxRatio, [1, 1, 1]);
    assert.equal(continuationStats([], rate), null);
  },
);
