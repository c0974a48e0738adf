// Generator: variants, training on a tiny set (loss falls, beats silence), and the generation loop's
// shapes, lengths, determinism and guard rails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENRES, demoSong, type Song } from "../../src/data/index.js";
import { generate } from "../../src/models/generate.js";
import { copyAt, lagTargets } from "../../src/models/delay.js";
import { Generator, studyGenerator, type GeneratorConfig } from "../../src/models/generator.js";
import { loadGenerator } from "../../src/models/load.js";
import { modelConfigOf, trainGenerator, type GeneratorMeta } from "../../src/train/generator.js";
import { rollout } from "../../src/train/generator-loss.js";
import { parseGeneratorConfig } from "../../src/train/generator-config.js";
import { manualSeed, noGrad, randn, tensor, tidy, toArray } from "../../src/torch/index.js";
import { readJsonLines } from "../../src/util/json.js";

const tiny = { convChannels: 8, hiddenSize: 16 };
const song = (label: number, index: number): Song => ({
  track: { id: `${GENRES[label]}.${String(index).padStart(5, "0")}`, genre: GENRES[label]!, label, index, path: "" },
  samples: demoSong(label, index, { seconds: 30, sampleRate: 10_000, seed: 2 }),
});

test("model variants: LSTM, unidirectional, genre-conditioned and mu-law heads have the right shapes", () => {
  tidy(() => {
    const x = randn([3, 9000]).mul(0.1);
    const lstm = new Generator({ ...studyGenerator, cell: "lstm", bidirectional: false });
    assert.equal(lstm.numParameters(), 12_864 + 4 * (256 * 64 + 256 * 256 + 2 * 256) + 256 * 1000 + 1000);
    assert.deepEqual(lstm.forward(x).shape, [3, 1000]);
    const cond = new Generator({ ...studyGenerator, ...tiny, genres: 10 });
    assert.throws(() => cond.forward(x), /genre-conditioned; pass the genre/);
    const genres = tensor([0, 4, 9], [3], "int64");
    const a = cond.forward(x, genres);
    const b = cond.forward(x, tensor([1, 4, 9], [3], "int64"));
    assert.deepEqual(a.shape, [3, 1000]);
    assert.ok(a.select(0, 0).sub(b.select(0, 0)).abs().sum().item() > 0, "the genre changes the output");
    assert.equal(a.select(0, 1).sub(b.select(0, 1)).abs().sum().item(), 0);
    const mu = new Generator({ ...studyGenerator, ...tiny, head: "mulaw" });
    assert.deepEqual(mu.forward(x).shape, [3, 1000, 256]);
    assert.ok(mu.stateDict().has("mulaw.weight"));
  });
});

test("training on three songs: loss falls and validation beats both baselines", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-gen-"));
  const config = parseGeneratorConfig({ preset: "study", jitter: 0.5, epochs: 25, lr: 3e-3, model: tiny });
  const songs = [song(3, 0), song(3, 1), song(3, 2), song(0, 0)];
  const r = trainGenerator({
    songs,
    genre: "disco",
    labels: GENRES,
    config,
    checkpointBase: join(dir, "g"),
    metricsPath: join(dir, "m.jsonl"),
  });
  const rows = readJsonLines<{ trainLoss: number }>(join(dir, "m.jsonl"));
  assert.ok(
    rows[24]!.trainLoss < 0.7 * rows[0]!.trainLoss,
    `train loss ${rows[0]!.trainLoss} → ${rows[24]!.trainLoss}`,
  );
  const { model, meta } = loadGenerator(r.path);
  assert.equal(meta.genre, "disco");
  assert.deepEqual(meta.trainSongs, ["disco.00000", "disco.00001", "disco.00002"]);
  const row = (meta as GeneratorMeta).metrics!; // training fields pass through the loader unchecked
  assert.ok(
    (row.validMse as number) < (row.silenceMse as number),
    `valid MSE ${row.validMse} vs silence ${row.silenceMse}`,
  );
  assert.ok((row.validMse as number) < (row.repeatMse as number));
  assert.ok(model.numParameters() < 100_000);
  assert.throws(
    () =>
      trainGenerator({
        songs: [song(3, 0)],
        genre: "jazz",
        labels: GENRES,
        config,
        checkpointBase: join(dir, "j"),
        metricsPath: join(dir, "j.jsonl"),
      }),
    /no training songs of genre jazz/,
  );
  assert.throws(
    () =>
      trainGenerator({
        songs: [song(3, 0)],
        genre: "all",
        labels: GENRES,
        config,
        checkpointBase: join(dir, "a"),
        metricsPath: join(dir, "a.jsonl"),
      }),
    /needs a genre-conditioned model/,
  );
});

test(
  "the study's generator on 16 demo reggae songs (the hardest genre) beats silence with jittered clips, not with " +
    "fixed ones",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "genrelab-gen-"));
    const songs = Array.from({ length: 16 }, (_, k) => song(8, k));
    const lastRatio = (jitter: number): number => {
      const config = parseGeneratorConfig({ preset: "study", epochs: 10, jitter });
      const metricsPath = join(dir, `m${jitter}.jsonl`);
      trainGenerator({
        songs,
        genre: "reggae",
        labels: GENRES,
        config,
        checkpointBase: join(dir, `g${jitter}`),
        metricsPath,
      });
      const last = JSON.parse(readFileSync(metricsPath, "utf8").trim().split("\n").at(-1)!);
      return last.validMse / last.silenceMse;
    };
    const jittered = lastRatio(0.5);
    const fixed = lastRatio(0);
    assert.ok(jittered < 0.99, `valid/silence MSE with jitter ${jittered}`);
    assert.ok(jittered < fixed, `jitter ${jittered} vs fixed clips ${fixed}`);
  },
);

test("generation: one batch for all clips, exact length, deterministic, clipped, NaN reported", () => {
  manualSeed(0);
  const model = new Generator({ ...studyGenerator, ...tiny, head: "mulaw" });
  const seeds = [0, 1, 2].map((k) => demoSong(k, 0, { seconds: 0.9, sampleRate: 10_000, seed: 0 }));
  const run = () => {
    manualSeed(5);
    return generate(model, seeds, { seconds: 0.35, sampleRate: 10_000, temperature: 1 });
  };
  const a = run();
  assert.equal(a.length, 3);
  assert.ok(a.every((c) => c.length === 3500));
  assert.deepEqual(run(), a, "same seed, same clips");
  assert.ok(a.every((c) => c.every((v) => v >= -1 && v <= 1)));
  const greedy = generate(model, seeds, { seconds: 0.2, sampleRate: 10_000, temperature: 0 });
  assert.deepEqual(generate(model, seeds, { seconds: 0.2, sampleRate: 10_000, temperature: 0 }), greedy);

  const linear = new Generator({ ...studyGenerator, ...tiny });
  noGrad(() => linear.fc!.bias!.copy_(tidy(() => linear.fc!.bias!.mul(0).add(50))));
  const loud = generate(linear, seeds.slice(0, 1), { seconds: 0.1, sampleRate: 10_000, temperature: 1 });
  assert.ok(
    loud[0]!.every((v) => v === 1),
    "output is clipped to [-1, 1]",
  );
  noGrad(() => linear.fc!.bias!.copy_(tidy(() => linear.fc!.bias!.mul(NaN))));
  assert.throws(
    () => generate(linear, seeds, { seconds: 0.3, sampleRate: 10_000, temperature: 1 }),
    /generation step 1 of 3: contains NaN or Inf/,
  );
  assert.throws(
    () => generate(linear, [new Float32Array(10)], { seconds: 1, sampleRate: 10_000, temperature: 1 }),
    /9000 samples/,
  );
});

test("a genre-conditioned mu-law model trains on all genres and generates any genre", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-gen-"));
  const config = parseGeneratorConfig({
    preset: "copy",
    epochs: 3,
    rollout: 1,
    model: { ...tiny, conditioned: true, head: "mulaw", delay: "off" },
  });
  const r = trainGenerator({
    songs: [song(1, 0), song(6, 0)],
    genre: "all",
    labels: GENRES,
    config,
    checkpointBase: join(dir, "c"),
    metricsPath: join(dir, "m.jsonl"),
  });
  const rows = readJsonLines<{ trainLoss: number }>(join(dir, "m.jsonl"));
  assert.ok(rows[2]!.trainLoss < rows[0]!.trainLoss, "cross-entropy falls");
  assert.ok(rows[0]!.trainLoss < Math.log(256) + 0.1, "starts near a uniform 256-way guess");
  const { model, meta } = loadGenerator(r.path);
  assert.equal(meta.genre, "all");
  const seed = demoSong(1, 3, { seconds: 0.9, sampleRate: 10_000, seed: 0 });
  const clips = generate(model, [seed, seed], { seconds: 0.2, sampleRate: 10_000, temperature: 0.8, genres: [1, 6] });
  assert.deepEqual(
    clips.map((c) => c.length),
    [2000, 2000],
  );
  assert.throws(
    () => generate(model, [seed], { seconds: 0.1, sampleRate: 10_000, temperature: 1 }),
    /needs one genre per seed/,
  );
});

test("generator training resumed from its last checkpoint ends with identical weights", () => {
  const config = parseGeneratorConfig({ preset: "copy", epochs: 3, lr: 3e-3, model: tiny });
  const songs = [song(4, 0), song(4, 1)];
  const run = (dir: string, epochs: number, resume: boolean) =>
    trainGenerator({
      songs,
      genre: "hiphop",
      labels: GENRES,
      config: { ...config, epochs },
      checkpointBase: join(dir, "g"),
      metricsPath: join(dir, "m.jsonl"),
      resume,
    });
  const a = mkdtempSync(join(tmpdir(), "genrelab-gen-a-"));
  const b = mkdtempSync(join(tmpdir(), "genrelab-gen-b-"));
  run(a, 3, false);
  run(b, 1, false);
  run(b, 3, true);
  assert.deepEqual(readFileSync(join(b, "g.last.safetensors")), readFileSync(join(a, "g.last.safetensors")));
  const epochs = readFileSync(join(b, "m.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).epoch);
  assert.deepEqual(epochs, [1, 2, 3]);
});

test("a training rollout is what generation does: K free-running steps give generate()'s first K × 0.1 s", () => {
  manualSeed(3);
  const model = new Generator({ ...studyGenerator, ...tiny, genres: 10 });
  const seeds = [0, 6].map((k) => demoSong(k, 1, { seconds: 0.9, sampleRate: 10_000, seed: 0 }));
  const generated = generate(model, seeds, { seconds: 0.4, sampleRate: 10_000, temperature: 1, genres: [0, 6] });
  const rolled = tidy(() =>
    toArray(
      rollout(
        model,
        tensor(Float32Array.from([...seeds[0]!, ...seeds[1]!]), [2, 9000]),
        4,
        tensor([0, 6], [2], "int64"),
      ),
    ),
  );
  const flat = [...generated[0]!, ...generated[1]!];
  assert.equal(rolled.length, flat.length);
  const worst = rolled.reduce((m, v, i) => Math.max(m, Math.abs(v - flat[i]!)), 0);
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});

test("--preset study is the study's recipe exactly: its model, MSE, the fixed 29 clips, one model per genre", () => {
  const c = parseGeneratorConfig({ preset: "study" });
  assert.equal(new Generator(modelConfigOf(c, GENRES.length) as GeneratorConfig).numParameters(), 1_020_456);
  assert.deepEqual(
    {
      jitter: c.jitter,
      rollout: c.rollout,
      warmup: c.warmup,
      mse: c.loss.mse,
      spectral: c.loss.spectral,
      conditioned: c.model.conditioned,
      epochs: c.epochs,
      lr: c.lr,
    },
    { jitter: 0, rollout: 1, warmup: 0, mse: 1, spectral: 0, conditioned: false, epochs: 10, lr: 1e-3 },
  );
  assert.equal(
    parseGeneratorConfig({ preset: "study", epochs: 3 }).epochs,
    3,
    "the user's settings win over the preset's",
  );
  assert.throws(() => parseGeneratorConfig({ preset: "wavenet" }), /preset: Invalid enum value/);
  assert.throws(
    () => parseGeneratorConfig({ preset: "copy", model: { head: "mulaw", delay: "off" }, rollout: 4 }),
    /mu-law head samples its output/,
  );
  assert.throws(
    () => parseGeneratorConfig({ preset: "copy", model: { head: "mulaw" } }),
    /delay path needs the linear head/,
  );
  assert.throws(
    () => parseGeneratorConfig({ preset: "copy", loss: { mse: 0, spectral: 0 } }),
    /at least one loss weight/,
  );
  assert.throws(
    () => parseGeneratorConfig({ model: { conditioned: false } }),
    /token model is always genre-conditioned/,
  );
  assert.doesNotThrow(
    () => parseGeneratorConfig({ model: { head: "mulaw" } }),
    "the waveform options do not constrain the token model",
  );
});

test("the delay path: a lag chosen with certainty copies the window from that lag; softmax weights mix lags", () => {
  manualSeed(1);
  const model = new Generator({ ...studyGenerator, ...tiny, delay: "add" as const });
  const x = tidy(() => randn([2, 9000]).keep());
  const xs = toArray(x);
  noGrad(() =>
    tidy(() => {
      model.fc!.weight.copy_(model.fc!.weight.mul(0));
      model.fc!.bias!.copy_(model.fc!.bias!.mul(0));
      model.delay!.weight.copy_(model.delay!.weight.mul(0));
      // Lag L = 1000 + 10 i: a bias of 60 at i = 234 puts all the weight on lag 3340.
      const bias = new Float32Array(801);
      bias[234] = 60;
      model.delay!.bias!.copy_(tensor(bias));
    }),
  );
  const y = noGrad(() => tidy(() => toArray(model.forward(x))));
  for (const row of [0, 1]) {
    for (const n of [0, 1, 500, 999]) {
      const want = xs[row * 9000 + 9000 - 3340 + n]!;
      assert.ok(Math.abs(y[row * 1000 + n]! - want) < 1e-5, `row ${row} sample ${n}: ${y[row * 1000 + n]} vs ${want}`);
    }
  }
  x.dispose();
  assert.throws(
    () => new Generator({ ...studyGenerator, ...tiny, delay: "add" as const, head: "mulaw" }),
    /delay path needs the linear head/,
  );
});

test("the delay path's match prior: an untrained path continues a repeating pattern where it repeated before", () => {
  manualSeed(2);
  const model = new Generator({ ...studyGenerator, ...tiny, delay: "add" as const });
  noGrad(() =>
    tidy(() => {
      for (const t of [model.fc!.weight, model.fc!.bias!, model.delay!.weight, model.delay!.bias!]) t.copy_(t.mul(0));
    }),
  );
  let s = 11;
  const pattern = Float32Array.from({ length: 3000 }, () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5);
  const signal = Float32Array.from({ length: 10_000 }, (_, i) => pattern[i % 3000]!);
  const y = noGrad(() => tidy(() => toArray(model.forward(tensor(signal.subarray(0, 9000), [1, 9000])))));
  const worst = y.reduce((m, v, n) => Math.max(m, Math.abs(v - signal[9000 + n]!)), 0);
  assert.ok(worst < 1e-3, `largest error against the pattern's continuation ${worst}`);
});

test(
  "the delay path's training target peaks at the lag whose " + "copy is nearest what followed; copyAt copies from it",
  () => {
    manualSeed(4);
    const c = { ...studyGenerator, ...tiny, delay: "add" as const };
    tidy(() => {
      const x = randn([2, 9000]);
      const xs = toArray(x);
      const lagOf = [4560, 1000];
      const y = tensor(
        Float32Array.from(lagOf.flatMap((L, row) => xs.slice(row * 9000 + 9000 - L, row * 9000 + 9000 - L + 1000))),
        [2, 1000],
      );
      const best = toArray(lagTargets(x, y.add(randn([2, 1000]).mul(0.05)), c).argmax(1));
      assert.deepEqual(best, [356, 0]);
      const copied = toArray(copyAt(x, tensor(best, [2], "int64"), c));
      assert.deepEqual(copied, toArray(y));
    });
  },
);

test("a loss that stops being finite names the epoch and the song", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-gen-"));
  const config = parseGeneratorConfig({ preset: "study", epochs: 2, lr: 1e30, model: tiny });
  assert.throws(
    () =>
      trainGenerator({
        songs: [song(3, 0)],
        genre: "disco",
        labels: GENRES,
        config,
        checkpointBase: join(dir, "g"),
        metricsPath: join(dir, "m.jsonl"),
      }),
    /train-generator: loss became (NaN|Infinity) at epoch \d, song disco\.00000 \(try a lower --lr\)/,
  );
});
