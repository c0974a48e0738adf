// The spectral-token generator's parts: Griffin-Lim finds a phase for a magnitude, k-means finds
// clusters, tokens round-trip through a checkpoint, and a tiny model trains and continues seeds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { griffinLim } from "../../src/audio/index.js";
import { GENRES, Random, demoSong, demoSongTempo, type Song } from "../../src/data/index.js";
import { generate } from "../../src/models/generate.js";
import { guide, sampleCategorical } from "../../src/models/sampling.js";
import type { TokenGeneratorConfig } from "../../src/models/token-config.js";
import { TokenGenerator, nearest } from "../../src/models/token-generator.js";
import { loadGenerator } from "../../src/models/load.js";
import { F, cat, hannWindow, manualSeed, randn, tensor, tidy, toArray } from "../../src/torch/index.js";
import { modelConfigOf, trainGenerator } from "../../src/train/generator.js";
import { parseGeneratorConfig } from "../../src/train/generator-config.js";
import { kMeans } from "../../src/train/token-fit.js";
import { readJsonLines } from "../../src/util/json.js";

const rate = 10_000;
const song = (label: number, index: number, seconds = 12): Song => ({
  track: { id: `${GENRES[label]}.${String(index).padStart(5, "0")}`, genre: GENRES[label]!, label, index, path: "" },
  samples: demoSong(label, index, { seconds, sampleRate: rate, seed: 3 }),
});

/** The tiny token model's settings, which a test's own settings override. */
const TINY = { codebook: 32, hiddenSize: 32, numLayers: 1, sequence: 48, batch: 8, kmeansFrames: 4000, griffinLim: 4 };

/**
 * A tiny token model trained for `epochs` (lr 3e-3) with `tokens` settings over TINY's, on two songs each of
 * two genres; its folder, settings and training result.
 */
function trainTiny(prefix: string, epochs: number, tokens: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const config = parseGeneratorConfig({ epochs, lr: 3e-3, model: { kind: "tokens" }, tokens: { ...TINY, ...tokens } });
  const songs = [4, 7].flatMap((g) => [0, 1].map((k) => song(g, k)));
  const r = trainGenerator({
    songs,
    genre: "all",
    labels: GENRES,
    config,
    checkpointBase: join(dir, "g"),
    metricsPath: join(dir, "m.jsonl"),
  });
  return { dir, config, r };
}

/** 1 s continuations of 0.9 s seeds of a genre-4 and a genre-7 song, drawn after manualSeed(`seed`). */
function continueTwo(model: TokenGenerator, seed: number, o: { tempo?: number } = {}) {
  manualSeed(seed);
  const seeds = [song(4, 5), song(7, 5)].map((s) => s.samples.slice(rate, rate + 9000));
  const clips = generate(model, seeds, { seconds: 1, sampleRate: rate, genres: [4, 7], ...o });
  assert.deepEqual(
    clips.map((c) => c.length),
    [10_000, 10_000],
  );
  return { seeds, clips };
}

const assertAudible = (clips: Float32Array[]) =>
  assert.ok(
    clips.every((c) => c.some((v) => Math.abs(v) > 0.01)),
    "the continuations are not silent",
  );

/** The last epoch's training loss is below `factor` times the first's. */
function assertLossFalls(dir: string, factor: number): void {
  const losses = readJsonLines<{ trainLoss: number }>(join(dir, "m.jsonl")).map((r) => r.trainLoss);
  const [first, last] = [losses[0]!, losses.at(-1)!];
  assert.ok(last < factor * first, `train loss ${first} → ${last}`);
}

/** ‖|STFT(y)| − m‖ / ‖m‖ (spectral convergence). */
const convergence = (y: ReturnType<typeof tensor>, m: ReturnType<typeof tensor>): number =>
  tidy(
    () =>
      F.spectrogram(y, 512, 1, { hopLength: 128, window: hannWindow(512) })
        .sub(m)
        .norm()
        .item() / m.norm().item(),
  );

test("Griffin-Lim: a phase for a song's magnitude, far closer than a random phase; istft inverts stft", () => {
  tidy(() => {
    manualSeed(0);
    const x = tensor(song(3, 0, 3).samples);
    const window = hannWindow(512);
    const m = F.spectrogram(x, 512, 1, { hopLength: 128, window });
    const found = convergence(griffinLim(m, { nFft: 512, hopLength: 128, iterations: 32, length: x.shape[0] }), m);
    const random = convergence(griffinLim(m, { nFft: 512, hopLength: 128, iterations: 0, length: x.shape[0] }), m);
    assert.ok(
      found < 0.2 && found < random / 3,
      `spectral convergence ${found.toFixed(3)} after 32 iterations, ${random.toFixed(3)} with a random phase`,
    );
    const back = F.istft(F.stft(x, 512, { hopLength: 128, window }), 512, {
      hopLength: 128,
      window,
      length: x.shape[0],
    });
    assert.ok(back.sub(x).abs().amax().item() < 1e-5);
  });
});

test("k-means finds three separated clusters; nearest assigns by squared distance", () => {
  tidy(() => {
    manualSeed(1);
    const centres = tensor([0, 0, 10, 10, -10, 10], [3, 2]);
    const labels = tensor(
      Array.from({ length: 300 }, (_, i) => i % 3),
      [300],
      "int64",
    );
    const points = centres.indexSelect(0, labels).add(randn([300, 2]).mul(0.5));
    const found = kMeans(points, points.narrow(0, 0, 3), 10, new Random(0));
    const match = toArray(nearest(centres, found)) as number[];
    assert.deepEqual([...new Set(match)].sort(), [0, 1, 2], `centroids ${toArray(found)}`);
    assert.ok(
      found
        .indexSelect(0, tensor(match, [3], "int64"))
        .sub(centres)
        .abs()
        .amax()
        .item() < 0.3,
    );
  });
});

test("a tiny token model trains (loss falls), round-trips its checkpoint and continues seeds at their loudness", () => {
  const { dir, config, r } = trainTiny("genrelab-tokens-", 6, {
    codebook: 64,
    hiddenSize: 48,
    sequence: 64,
    griffinLim: 16,
  });
  assertLossFalls(dir, 0.7);
  const { model, meta } = loadGenerator(r.path);
  assert.ok(model instanceof TokenGenerator);
  assert.equal(meta.model.kind, "tokens");
  assert.ok(model.magnitudes.abs().sum().item() > 0, "the tokens' magnitudes were saved");
  const held = [song(4, 5), song(7, 5)];
  const seeds = held.map((s) => s.samples.slice(rate, rate + 9000));
  manualSeed(2);
  const clips = generate(model, seeds, { seconds: 2, sampleRate: rate, genres: held.map((s) => s.track.label) });
  assert.deepEqual(
    clips.map((c) => c.length),
    [20_000, 20_000],
  );
  const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
  held.forEach((s, i) => {
    const real = s.samples.subarray(rate + 9000, rate + 29_000);
    const gap = 20 * Math.log10(rms(clips[i]!) / rms(real));
    assert.ok(Math.abs(gap) < 6, `${s.track.genre}: generated ${gap.toFixed(1)} dB from the real continuation`);
  });
  assert.throws(() => generate(model, seeds, { seconds: 1, sampleRate: rate }), /one genre per seed/);
  const sidecar = JSON.parse(readFileSync(`${r.path}.json`, "utf8")) as { model: Record<string, number> };
  writeFileSync(
    `${r.path}.json`,
    JSON.stringify({ ...sidecar, model: { ...sidecar.model, codebook: 65_536, nFft: 8192 } }),
  );
  assert.throws(
    () => loadGenerator(r.path),
    /damaged checkpoint sidecar.*codebook × \(frequency bins, mel bands or hidden size\) exceeds/,
  );
  const short = [song(4, 0, 1.5)];
  assert.throws(
    () =>
      trainGenerator({
        songs: short,
        genre: "all",
        labels: GENRES,
        config,
        checkpointBase: join(dir, "s"),
        metricsPath: join(dir, "s.jsonl"),
      }),
    /every training song is shorter than 1\.8 s, a training crop \(tokens.sequence 64\)/,
  );
});

test(
  "a residual stage: two tokens a frame keep more of a song's spectrum than one; the model trains, loads and " +
    "continues",
  () => {
    const { dir, r } = trainTiny("genrelab-residual-", 4, {
      codebook: 64,
      residual: 32,
      hiddenSize: 48,
      sequence: 64,
      griffinLim: 8,
    });
    assertLossFalls(dir, 0.8);
    const { model } = loadGenerator(r.path);
    assert.ok(model instanceof TokenGenerator && model.residual, "the checkpoint has the residual stage");
    tidy(() => {
      const x = tensor(song(4, 6).samples).unsqueeze(0);
      const tokens = model.encode(x);
      assert.equal(tokens.shape[2], 2);
      const frames = model.frames(x);
      // Log-magnitude error of the first token alone, and of both stages.
      const error = (mag: ReturnType<typeof tensor>) => mag.add(1e-3).log().sub(frames).square().mean().item();
      const one = error(F.embedding(model.magnitudes, tokens.select(2, 0)));
      const two = error(model.magnitudesOf(tokens));
      assert.ok(two < 0.9 * one, `log-magnitude error: one stage ${one.toFixed(3)}, two ${two.toFixed(3)}`);
    });
    assertAudible(continueTwo(model, 3).clips);
  },
);

test(
  "classifier-free guidance: a model trained with genre " + "dropout has a 'no genre' row, loads, and generates guided",
  () => {
    tidy(() => {
      const [c, u] = [tensor([2, 0, -1], [1, 3]), tensor([1, 1, 1], [1, 3])];
      assert.deepEqual(toArray(guide(c, u, 1)), [2, 0, -1], "scale 1: the conditional logits");
      assert.deepEqual(toArray(guide(c, u, 0)), [1, 1, 1], "scale 0: the unconditional ones");
      assert.deepEqual(toArray(guide(c, u, 3)), [4, -2, -5], "scale 3: u + 3 (c − u)");
    });
    assert.throws(
      () => parseGeneratorConfig({ tokens: { guidance: 2 } }),
      /tokens\.guidance: guidance needs a model that also learnt to predict without a genre/,
    );
    const { r } = trainTiny("genrelab-cfg-", 2, { genreDropout: 0.3, guidance: 2, sequence: 64 });
    const { model } = loadGenerator(r.path);
    assert.ok(model instanceof TokenGenerator);
    assert.deepEqual(model.genreEmbedding.weight.shape, [GENRES.length + 1, 32], "ten genres and 'no genre'");
    const seeds = [song(4, 5), song(7, 5)].map((s) => s.samples.slice(rate, rate + 9000));
    const draw = (guidance: number) => {
      const m = new TokenGenerator({ ...model.config, guidance });
      m.loadStateDict(model.stateDict());
      m.eval();
      manualSeed(5);
      return generate(m, seeds, { seconds: 1, sampleRate: rate, genres: [4, 7] });
    };
    const [plain, guided] = [draw(1), draw(2)];
    assert.deepEqual(
      guided.map((c) => c.length),
      [10_000, 10_000],
    );
    assert.ok(
      guided.every((c) => c.some((v) => Math.abs(v) > 0.01)),
      "the guided continuations are not silent",
    );
    assert.notDeepEqual(plain[0], guided[0], "guidance changes what is drawn");
  },
);

test("log-mel tokens weigh frequencies as hearing does: a step of 50 Hz matters more at 150 Hz than at 4 kHz", () => {
  tidy(() => {
    const config = {
      kind: "tokens",
      inputSamples: 9000,
      nFft: 512,
      hopLength: 128,
      codebook: 4,
      hiddenSize: 4,
      numLayers: 1,
      genres: 1,
      griffinLimIterations: 0,
    } as const;
    const tone = (hz: number) =>
      tensor(Float32Array.from({ length: 4096 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate))).unsqueeze(0);
    const distance = (m: TokenGenerator, a: number, b: number) =>
      m
        .features(m.frames(tone(a)))
        .sub(m.features(m.frames(tone(b))))
        .norm()
        .item();
    const mel = new TokenGenerator({ ...config, melBands: 128 });
    const bins = new TokenGenerator(config);
    assert.deepEqual(
      [mel.centroids.shape, bins.centroids.shape],
      [
        [4, 128],
        [4, 257],
      ],
      "centroids live in the space frames are compared in",
    );
    const low = distance(mel, 150, 200);
    const high = distance(mel, 4000, 4050);
    assert.ok(low > 2 * high, `log-mel: 150→200 Hz ${low.toFixed(1)}, 4000→4050 Hz ${high.toFixed(1)}`);
    // Log-magnitude bins (older checkpoints) treat both steps alike.
    const ratio = distance(bins, 150, 200) / distance(bins, 4000, 4050);
    assert.ok(ratio > 0.7 && ratio < 1.4, `log-magnitude: ratio ${ratio.toFixed(2)}`);
  });
});

test(
  "sampling: temperature 1 follows the probabilities; topP " + "keeps only the nucleus; temperature 0 is the argmax",
  () => {
    tidy(() => {
      manualSeed(4);
      const logits = tensor([0.5, 0.3, 0.15, 0.05].map(Math.log), [1, 4]).expand(20_000, 4).contiguous();
      const share = (t: ReturnType<typeof tensor>) => {
        const n = [0, 0, 0, 0];
        for (const v of toArray(t)) n[v]!++;
        return n.map((k) => k / 20_000);
      };
      const all = share(sampleCategorical(logits, 1));
      [0.5, 0.3, 0.15, 0.05].forEach((p, i) =>
        assert.ok(Math.abs(all[i]! - p) < 0.015, `index ${i}: ${all[i]} vs ${p}`),
      );
      const nucleus = share(sampleCategorical(logits, 1, 0.7));
      assert.equal(nucleus[2]! + nucleus[3]!, 0, "0.5 + 0.3 already hold 0.7: the rest is cut");
      assert.ok(Math.abs(nucleus[0]! - 0.625) < 0.015, `renormalised: ${nucleus[0]}`);
      assert.deepEqual(share(sampleCategorical(logits, 1, 0.4)), [1, 0, 0, 0]);
      assert.deepEqual(share(sampleCategorical(logits, 0)), [1, 0, 0, 0]);
    });
  },
);

test(
  "attention: frame-by-frame generation sees what training's whole crops see; the model trains, loads and " +
    "continues",
  () => {
    assert.throws(
      () => parseGeneratorConfig({ tokens: { attention: 5 } }),
      /tokens\.attention: tokens\.hiddenSize must split/,
    );
    const { r } = trainTiny("genrelab-attention-", 2, { attention: 4, beat: false });
    const { model } = loadGenerator(r.path);
    assert.ok(model instanceof TokenGenerator && model.attention, "the checkpoint has the attention layer");
    assert.equal(model.config.attentionWindow, 48, "each frame sees a training crop's length");
    model.eval();
    tidy(() => {
      // 157 frames: more than the window
      const tokens = model.encode(tensor(song(4, 6).samples.slice(0, 20_000)).unsqueeze(0));
      const genre = tensor([4], [1], "int64");
      const [whole] = model.forward(tokens, genre);
      let [y, state] = model.forward(tokens.narrow(1, 0, 70), genre);
      const parts = [y];
      for (let t = 70; t < tokens.size(1); t++) {
        [y, state] = model.forward(tokens.narrow(1, t, 1), genre, state);
        parts.push(y);
      }
      const worst = cat(parts, 1).sub(whole).abs().amax().item();
      assert.ok(worst < 1e-4, `step by step differs from the whole sequence by ${worst}`);
    });
    assertAudible(continueTwo(model, 6).clips);
  },
);

test(
  "beat clock: the model is told each frame's place in the beat, keeps each genre's tempo, and generation places " +
    "the seed's beats",
  () => {
    const { r } = trainTiny("genrelab-beat-", 1, { beat: true });
    const { model } = loadGenerator(r.path);
    assert.ok(model instanceof TokenGenerator && model.clock, "the checkpoint has the beat clock");
    // Each genre's period is its songs' median beat (the demo's tempo), kept in the checkpoint.
    const periods = toArray(model.clock.periods);
    for (const g of [4, 7]) {
      const truth = [0, 1].map((k) => 60 / demoSongTempo(g, k, 3));
      const near = truth.some((p) => [0.5, 1, 2].some((m) => Math.abs(periods[g]! / (m * p) - 1) < 0.05));
      assert.ok(near, `${GENRES[g]}: period ${periods[g]!.toFixed(3)} s, the songs' ${truth.map((p) => p.toFixed(3))}`);
    }
    assert.equal(periods[0], 0.5, "a genre without songs keeps the default tempo");
    tidy(() => {
      const tokens = model.encode(tensor(song(4, 6).samples.slice(0, 20_000)).unsqueeze(0));
      assert.throws(
        () => model.forward(tokens, tensor([4], [1], "int64")),
        /reads the beat: give each row's beat positions/,
      );
    });
    // A seed's beats fall on its onsets: clicks every 0.25 s from 0.1 s, with the clock's period 0.5 s.
    const clicks = Float32Array.from({ length: 9000 }, (_, i) =>
      (((i / rate - 0.1) % 0.25) + 0.25) % 0.25 < 0.01 ? Math.sin(i) : 0,
    );
    const positions = model.clock.positionsForSeeds([clicks], [0], 10, 128, rate)[0]!;
    const offset = 0.0128 - positions[0]! * 0.5; // frame 1 is at 0.0128 s
    const phase = ((((offset - 0.1) / 0.25) % 1) + 1) % 1;
    assert.ok(
      phase < 0.1 || phase > 0.9,
      `the clock's beats fall ${phase.toFixed(2)} of a click period from the clicks`,
    );
    // A tempo asked for sets the clock's period: a frame (12.8 ms) is 12.8 / 600 of a beat at 100 a minute.
    const at100 = model.clock.positionsForSeeds([clicks], [0], 10, 128, rate, 0.6)[0]!;
    assert.ok(Math.abs(at100[1]! - at100[0]! - 0.0128 / 0.6) < 1e-9);
    const { seeds, clips } = continueTwo(model, 7);
    const fast = continueTwo(model, 7, { tempo: 200 }).clips;
    assert.notDeepEqual(fast[0], clips[0], "the tempo changes what is drawn");
    // Guided by the beat, drawing weighs the clock against one half a beat late: other clips, as long.
    const onBeat = continueTwo(model.withSampling({ beatGuidance: 2 }), 7).clips;
    assert.notDeepEqual(onBeat[0], clips[0], "beat guidance changes what is drawn");
    assertAudible(onBeat);
    const plain = new TokenGenerator({ ...model.config, beatClock: false });
    assert.throws(
      () => generate(plain, seeds, { seconds: 1, sampleRate: rate, genres: [4, 7], tempo: 90 }),
      /a tempo needs a model trained with the beat clock/,
    );
    assert.throws(
      () => generate(plain.withSampling({ beatGuidance: 2 }), seeds, { seconds: 1, sampleRate: rate, genres: [4, 7] }),
      /beat guidance needs a model trained with the beat clock/,
    );
    // Set in training, it is kept in the checkpoint's model settings; without the clock it is refused.
    const kept = modelConfigOf(parseGeneratorConfig({ tokens: { beatGuidance: 1.5 } }), 10) as TokenGeneratorConfig;
    assert.equal(kept.beatGuidance, 1.5);
    assert.throws(
      () => parseGeneratorConfig({ tokens: { beat: false, beatGuidance: 1.5 } }),
      /tokens\.beatGuidance: beat guidance needs the beat clock/,
    );
  },
);
