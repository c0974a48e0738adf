// Classifier training on a tiny demo set: well above chance, deterministic, resumable to identical
// metrics, with atomic checkpoints a fresh model can load.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENRES, demoSong, seedSplit, type Song, type Track } from "../../src/data/index.js";
import { loadClassifier } from "../../src/models/load.js";
import { trainClassifier } from "../../src/train/classifier.js";
import { parseClassifierConfig } from "../../src/train/classifier-config.js";
import { evaluateSongs } from "../../src/eval/evaluate.js";
import { readJsonLines } from "../../src/util/json.js";

// 8 songs of 10 s per genre, rendered straight at 10 kHz.
const songs: Song[] = GENRES.flatMap((genre, label) =>
  Array.from({ length: 8 }, (_, index) => {
    const id = `${genre}.${String(index).padStart(5, "0")}`;
    const track: Track = { id, genre, label, index, path: id };
    return { track, samples: demoSong(label, index, { seconds: 10, sampleRate: 10_000, seed: 1 }) };
  }),
);
const split = seedSplit(
  songs.map((s) => s.track),
  { seed: 0, testFraction: 0.125, validFraction: 0.15 },
);
const pick = (ts: Track[]): Song[] => ts.map((t) => songs.find((s) => s.track.id === t.id)!);
const small = {
  epochs: 15,
  batchSize: 16,
  lr: 3e-3,
  patience: 0,
  model: { channels: [8, 16, 32, 32], head: "avg", dropout: 0.2 },
};

test("a small classifier learns the tiny demo set well above chance (≥ 60 % of test songs)", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-cls-"));
  const config = parseClassifierConfig(small);
  const r = trainClassifier({
    train: pick(split.train),
    valid: pick(split.valid),
    labels: GENRES,
    config,
    checkpointDir: dir,
    metricsPath: join(dir, "m.jsonl"),
  });
  const rows = readJsonLines<{ trainLoss: number }>(join(dir, "m.jsonl"));
  assert.equal(rows.length, 15);
  assert.ok(
    rows[14]!.trainLoss < rows[0]!.trainLoss / 2,
    `training loss ${rows[0]!.trainLoss} → ${rows[14]!.trainLoss}`,
  );
  const test = evaluateSongs(r.bestPath, pick(split.test));
  assert.equal(test.song.count, 10);
  assert.ok(test.song.accuracy >= 0.6, `test song accuracy ${test.song.accuracy}`);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith(".tmp")),
    [],
  );
  const { model, meta } = loadClassifier(r.bestPath);
  assert.equal(meta.epoch, r.best!.epoch);
  assert.deepEqual(meta.genres, [...GENRES]);
  assert.equal(model.training, false);
});

test("training is deterministic, and a resumed run ends with identical metrics", () => {
  const config = parseClassifierConfig({ ...small, epochs: 3 });
  const run = (dir: string, epochs: number, resume: boolean) =>
    trainClassifier({
      train: pick(split.train),
      valid: pick(split.valid),
      labels: GENRES,
      config: { ...config, epochs },
      checkpointDir: dir,
      metricsPath: join(dir, "m.jsonl"),
      resume,
    });
  const a = mkdtempSync(join(tmpdir(), "genrelab-cls-a-"));
  const b = mkdtempSync(join(tmpdir(), "genrelab-cls-b-"));
  run(a, 3, false);
  run(b, 2, false);
  run(b, 3, true);
  const strip = (p: string) =>
    readFileSync(p, "utf8")
      .trim()
      .split("\n")
      .map((l) => {
        const { seconds, ...rest } = JSON.parse(l);
        void seconds;
        return rest;
      });
  assert.deepEqual(strip(join(b, "m.jsonl")), strip(join(a, "m.jsonl")));
  assert.deepEqual(
    readFileSync(join(b, "classifier.last.safetensors")),
    readFileSync(join(a, "classifier.last.safetensors")),
  );
});

test("bad settings and damaged checkpoints are clear errors", () => {
  assert.throws(() => parseClassifierConfig({ lr: -1 }), /classifier config: lr: Number must be greater than 0/);
  assert.throws(() => parseClassifierConfig({ model: { head: "max" } }, "cfg.json"), /cfg\.json: model\.head: /);
  const dir = mkdtempSync(join(tmpdir(), "genrelab-cls-"));
  assert.throws(
    () => loadClassifier(join(dir, "nothing.safetensors")),
    /nothing\.json: checkpoint not found or incomplete/,
  );
  assert.equal(existsSync(join(dir, "nothing.json")), false);
});
