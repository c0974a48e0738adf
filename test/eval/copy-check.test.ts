// The near-copy check: a copied stretch of training audio scores ~1, held-out music of the same genre
// and noise score far lower.
import { test } from "node:test";
import assert from "node:assert/strict";
import { demoSong } from "../../src/data/index.js";
import { copyScores, repetitionScores } from "../../src/eval/copy-check.js";

const song = (genre: number, k: number, seconds = 12) => demoSong(genre, k, { seconds, sampleRate: 10_000, seed: 4 });

test("copy check: a copied (quieter) stretch of a training song scores ~1; held-out songs and noise do not", () => {
  const train = [song(2, 0), song(2, 1)];
  const copied = train[1]!.slice(34_567, 34_567 + 20_000).map((v) => 0.5 * v);
  let s = 3;
  const noise = Float32Array.from({ length: 20_000 }, () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5);
  const heldOut = song(2, 5).slice(10_000, 30_000);
  const r = copyScores(
    [
      { generated: copied, real: heldOut },
      { generated: noise, real: null },
    ],
    train,
  );
  assert.ok(r.generated[0]! > 0.99, `copy ${r.generated[0]}`);
  assert.ok(r.real[0]! < 0.9, `held-out song ${r.real[0]}`);
  assert.ok(r.generated[1]! < 0.5, `noise ${r.generated[1]}`);
  assert.equal(r.real[1], null);
  assert.throws(
    () => copyScores([{ generated: new Float32Array(100), real: null }], train),
    /shorter than the 0.2 s excerpt/,
  );
});

test("repetition score: a looped seed scores ~1, fresh noise after it does not", () => {
  const seed = song(4, 2).slice(20_000, 29_000);
  const loop = Float32Array.from({ length: 30_000 }, (_, i) => seed[i % seed.length]!);
  let s = 5;
  const noise = Float32Array.from({ length: 30_000 }, () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5);
  const r = repetitionScores([{ seed, generated: loop, real: noise }]);
  assert.ok(r.generated[0]! > 0.99, `loop ${r.generated[0]}`);
  assert.ok(r.real[0]! < 0.5, `noise ${r.real[0]}`);
});
