// Onsets and the beat: pulse clarity tells onsets that keep time from onsets at random times, and the beat
// tracker finds the demo songs' beats, whose tempo and grid are known.
import { test } from "node:test";
import assert from "node:assert/strict";
import { beatOffset, beatPositions, estimateBeat, pulseClarity, trackBeats } from "../../src/audio/index.js";
import { GENRES, demoSong, demoSongTempo } from "../../src/data/index.js";

const rate = 10_000;
/** Decaying noise bursts every `every` seconds from `from`: onsets. */
function clicks(seconds: number, every: number, from = 0): Float32Array {
  let s = 1;
  const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  return Float32Array.from({ length: seconds * rate }, (_, i) => {
    const t = i / rate - from;
    return t < 0 ? 0 : 0.5 * noise() * Math.exp(-(t % every) * 150);
  });
}

test(
  "pulse clarity: high for onsets that keep time, low for " + "as many onsets at random times, steady noise or silence",
  () => {
    const steady = pulseClarity(clicks(5, 0.6), rate);
    // About as many bursts as the steady 0.6 s beat, at random times (seeded gaps of 0.2-1.0 s).
    let s = 7;
    const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const random = new Float32Array(5 * rate);
    const burst = clicks(1, 1).subarray(0, rate / 10);
    for (let at = 0.1; at < 4.9; at += 0.2 + 0.8 * next()) {
      const i = Math.round(at * rate);
      random.set(burst.subarray(0, Math.min(burst.length, random.length - i)), i);
    }
    const shuffled = pulseClarity(random, rate);
    assert.ok(steady > 0.6, `steady beat ${steady}`);
    assert.ok(shuffled < 0.45 * steady, `random onsets ${shuffled} vs steady ${steady}`);
    let n = 11;
    const noise = Float32Array.from(
      { length: 5 * rate },
      () => 0.2 * (((n = (n * 16807) % 2147483647) / 2147483647) * 2 - 1),
    );
    assert.ok(pulseClarity(noise, rate) < 0.25, "steady noise has no pulse");
    assert.equal(pulseClarity(new Float32Array(5 * rate), rate), 0);
    assert.equal(pulseClarity(new Float32Array(100), rate), 0, "too short to tell");
    // A beat of 1.5 s is one it looks for.
    assert.ok(pulseClarity(clicks(5, 1.5), rate) > 0.5);
  },
);

test("beat estimate: the period and offset of clicks; the offset of a known period in a short seed", () => {
  const beat = estimateBeat(clicks(10, 0.5, 0.13), rate)!;
  assert.ok(Math.abs(beat.period - 0.5) < 0.011, `period ${beat.period}`);
  const off = ((((beat.offset - 0.13) / 0.5) % 1) + 1) % 1;
  assert.ok(off < 0.04 || off > 0.96, `offset ${beat.offset} s: ${off.toFixed(2)} of a beat from the clicks`);
  assert.equal(estimateBeat(new Float32Array(10 * rate), rate), null, "silence has no beat");
  const seed = clicks(1, 0.3, 0.22).subarray(0, 9000);
  const o = beatOffset(seed, rate, 0.3);
  assert.ok(Math.abs((((o - 0.22) / 0.3 + 0.5) % 1) - 0.5) < 0.05, `seed offset ${o}`);
});

test("beat tracking: the beats of demo songs with drums, within 70 ms (the MIREX tolerance)", () => {
  const fmeasures: number[] = [];
  for (const genre of ["blues", "country", "pop", "rock", "hiphop"]) {
    const g = GENRES.indexOf(genre as (typeof GENRES)[number]);
    for (let k = 0; k < 3; k++) {
      const period = 60 / demoSongTempo(g, k, 0);
      const found = trackBeats(demoSong(g, k, { seconds: 20, sampleRate: rate, seed: 0 }), rate);
      const truth = Array.from({ length: Math.floor(20 / period) + 1 }, (_, b) => b * period);
      const hits = (a: number[], ref: number[]) => a.filter((t) => ref.some((r) => Math.abs(r - t) < 0.07)).length;
      const precision = hits(found, truth) / Math.max(1, found.length);
      const recall = hits(truth, found) / truth.length;
      fmeasures.push((2 * precision * recall) / (precision + recall || 1));
    }
  }
  const good = fmeasures.filter((f) => f > 0.9).length;
  assert.ok(good >= 13, `F-measure above 0.9 in ${good} of 15 songs: ${fmeasures.map((f) => f.toFixed(2))}`);
});

test("beat positions: counted from the first beat, interpolated between beats, extrapolated beyond them", () => {
  const beats = [1, 1.5, 2.5];
  assert.deepEqual(Array.from(beatPositions(beats, [0.5, 1, 1.25, 1.5, 2, 2.5, 3.5], 0.7)), [-1, 0, 0.5, 1, 1.5, 2, 3]);
  assert.deepEqual(Array.from(beatPositions([2], [1, 2, 3.5], 0.5)), [-2, 0, 3], "one beat: the given period");
  assert.deepEqual(Array.from(beatPositions([], [0, 1], 0.5)), [0, 2], "none: from time 0");
});
