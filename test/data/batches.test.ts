// Generator batches exactly as the study cuts them, and classifier windows as mel spectrograms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MelSpectrogram } from "../../src/audio/index.js";
import {
  ClassifierExamples,
  GENRES,
  Random,
  UNLABELLED,
  jitteredBatch,
  songBatch,
  windowOffsets,
  type ExampleBatch,
  type Song,
} from "../../src/data/index.js";
import { tidy, toArray } from "../../src/torch/index.js";

const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 10_000) / 10_000);

test("a 30 s song gives 29 training clips of 9000 → 1000 samples and its 30th second for validation", () => {
  tidy(() => {
    const song = Float32Array.from({ length: 300_000 }, (_, i) => i);
    const b = songBatch(song);
    assert.equal(b.clips, 30);
    assert.deepEqual(
      [b.x.shape, b.y.shape, b.validX.shape, b.validY.shape],
      [
        [29, 9000],
        [29, 1000],
        [1, 9000],
        [1, 1000],
      ],
    );
    assert.deepEqual(toArray(b.x.select(0, 3).slice(0, 0, 2)), [30_000, 30_001]);
    assert.deepEqual(toArray(b.y.select(0, 3).slice(0, 0, 1)), [39_000]);
    assert.deepEqual(toArray(b.validX.select(0, 0).slice(0, 0, 1)), [290_000]);
    assert.deepEqual(toArray(b.validY.select(0, 0).slice(0, -1)), [299_999]);
  });
});

test("a 29.9 s song uses its 29 whole seconds (28 clips + validation); a 1 s song is refused", () => {
  tidy(() => {
    const b = songBatch(ramp(299_000));
    assert.equal(b.clips, 29);
    assert.deepEqual(b.x.shape, [28, 9000]);
    assert.throws(
      () => songBatch(ramp(15_000), undefined, "jazz.00001"),
      /jazz\.00001: 1\.50 s is too short for generator training/,
    );
  });
});

test("jittered clips: 29 per song, each 10 000 consecutive samples, none reaching the validation second", () => {
  tidy(() => {
    const song = Float32Array.from({ length: 300_000 }, (_, i) => i);
    const b = jitteredBatch(song, new Random(1), 0.5);
    assert.deepEqual(
      [b.x.shape, b.y.shape],
      [
        [29, 9000],
        [29, 1000],
      ],
    );
    const starts = toArray(b.x.select(1, 0)) as number[];
    const ends = toArray(b.y.select(1, 999)) as number[];
    starts.forEach((s, k) => {
      assert.equal(ends[k], s + 9999, "input and target are one stretch");
      assert.ok(Math.abs(s - k * 10_000) <= 5000 && s >= 0 && s + 10_000 <= 290_000, `clip ${k} starts at ${s}`);
    });
    assert.ok(
      starts.some((s, k) => s !== k * 10_000),
      "clips moved",
    );
    assert.deepEqual(toArray(jitteredBatch(song, new Random(1), 0.5).x.select(1, 0)), starts, "same seed, same clips");
    assert.deepEqual(
      toArray(jitteredBatch(song, new Random(1), 0).x),
      toArray(songBatch(song).x),
      "no jitter: the study's clips",
    );
  });
});

test("classifier windows: 5 s windows as [batch, 1, 128, 196] log-mels with labels and song indices", () => {
  const opts = { sampleRate: 10_000, windowSeconds: 5 };
  assert.deepEqual(windowOffsets(300_000, opts), [0, 50_000, 100_000, 150_000, 200_000, 250_000]);
  assert.deepEqual(windowOffsets(20_000, opts), [0], "a short song gives one zero-padded window");
  const songs: Song[] = [0, 3].map((label) => ({
    track: { id: `${GENRES[label]}.00000`, genre: GENRES[label]!, label, index: 0, path: "" },
    samples: Float32Array.from({ length: 120_000 }, (_, i) => Math.sin(i * (0.05 + label * 0.1))),
  }));
  const ex = new ClassifierExamples(songs, new MelSpectrogram(), opts);
  assert.equal(ex.windows.length, 4);
  assert.deepEqual(ex.inputShape, [128, 196]);
  tidy(() => {
    const [b1, b2] = [...ex.batches(3)] as [ExampleBatch, ExampleBatch];
    assert.deepEqual(b1.x.shape, [3, 1, 128, 196]);
    assert.deepEqual(toArray(b1.y), [0, 0, 3]);
    assert.deepEqual(b1.songs, [0, 0, 1]);
    assert.deepEqual(b2.x.shape, [1, 1, 128, 196]);
    const shuffled = [...ex.batches(4, { seed: 5 })][0]!;
    const again = [...ex.batches(4, { seed: 5 })][0]!;
    assert.deepEqual(shuffled.songs, again.songs);
    assert.deepEqual(toArray(shuffled.x), toArray(again.x));
    const aug = [
      ...ex.batches(4, {
        seed: 5,
        augment: { randomCrop: true, gainDb: 6, freqMasks: 2, freqMaskWidth: 10, timeMasks: 2, timeMaskWidth: 20 },
      }),
    ][0]!;
    assert.deepEqual(aug.x.shape, [4, 1, 128, 196]);
    assert.notDeepEqual(toArray(aug.x), toArray(shuffled.x));
    // Audio that is not a song: a generated clip with its seed genre's label, an upload with none (−1).
    const other = new ClassifierExamples(
      [{ samples: songs[1]!.samples, label: 7 }, { samples: songs[0]!.samples }],
      new MelSpectrogram(),
      opts,
    );
    const [b] = [...other.batches(4)] as [ExampleBatch];
    assert.deepEqual(toArray(b.y), [7, 7, UNLABELLED, UNLABELLED]);
    assert.ok(
      b.x
        .narrow(0, 0, 1)
        .sub(b1.x.narrow(0, 2, 1))
        .abs()
        .amax()
        .item() < 1e-3,
      "the same windows as the songs'",
    );
  });
});
