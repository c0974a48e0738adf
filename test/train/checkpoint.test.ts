// Damaged or edited checkpoints: one clear error naming the file, before a model is built from them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultMelSettings } from "../../src/audio/index.js";
import { Classifier, type ClassifierConfig } from "../../src/models/classifier.js";
import { Generator, studyGenerator } from "../../src/models/generator.js";
import { loadClassifier, loadGenerator } from "../../src/models/load.js";
import { saveCheckpoint } from "../../src/train/checkpoint.js";

const dir = mkdtempSync(join(tmpdir(), "genrelab-ckpt-"));
const config: ClassifierConfig = {
  inputShape: [128, 196],
  channels: [2, 2, 2, 2, 2],
  numClasses: 10,
  dropout: 0.5,
  head: "avg",
};
const meta = {
  kind: "classifier",
  genres: ["a", "b"],
  sampleRate: 10_000,
  windowSeconds: 5,
  mel: defaultMelSettings,
  model: config,
  train: {},
  epoch: 1,
  metrics: null,
  best: null,
};

function saved(name: string, edit: (m: Record<string, unknown>) => void = () => {}): string {
  const base = join(dir, name);
  const m = structuredClone(meta) as Record<string, unknown>;
  edit(m);
  saveCheckpoint(base, new Classifier(config).stateDict(), null, m);
  return base;
}

test("a sound classifier checkpoint loads", () => {
  assert.equal(loadClassifier(saved("good")).meta.windowSeconds, 5);
});

test("an edited sidecar is one error naming the file and the field", () => {
  const cases: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    ["window0", (m) => (m.windowSeconds = 0), /window0\.json: damaged checkpoint sidecar: windowSeconds: /],
    ["rate", (m) => (m.sampleRate = 20_000_000), /rate\.json: damaged checkpoint sidecar: sampleRate: /],
    ["fft", (m) => (m.mel = { ...defaultMelSettings, nFft: -4 }), /fft\.json: damaged checkpoint sidecar: mel\.nFft: /],
    [
      "shape",
      (m) => (m.model = { ...config, inputShape: [128, 1e12] }),
      /shape\.json: damaged checkpoint sidecar: model\.inputShape\.1: /,
    ],
    ["kind", (m) => (m.kind = "generator"), /not a classifier checkpoint \(kind generator\)/],
  ];
  for (const [name, edit, pattern] of cases) assert.throws(() => loadClassifier(saved(name, edit)), pattern, name);
  const g = join(dir, "huge-generator");
  const model = { ...studyGenerator, hiddenSize: 1e9 };
  saveCheckpoint(g, new Generator(studyGenerator).stateDict(), null, {
    ...meta,
    kind: "generator",
    genre: "all",
    model,
  });
  assert.throws(() => loadGenerator(g), /huge-generator\.json: damaged checkpoint sidecar: model\.hiddenSize: /);
});

test("NaN weights or a changed dtype are refused, naming the tensor", () => {
  const base = saved("nan");
  const weights = new Classifier(config).stateDict();
  const [name, first] = [...weights][0]!;
  const poisoned = new Map(weights);
  poisoned.set(name, first.mul(Number.NaN));
  saveCheckpoint(base, poisoned, null, JSON.parse(readFileSync(`${base}.json`, "utf8")));
  assert.throws(
    () => loadClassifier(base),
    new RegExp(`nan\\.safetensors: ${name.replace(/\./g, "\\.")}: contains NaN or Inf`),
  );
  const retyped = new Map(weights);
  retyped.set(name, first.to("float64"));
  saveCheckpoint(base, retyped, null, JSON.parse(readFileSync(`${base}.json`, "utf8")));
  assert.throws(
    () => loadClassifier(base),
    new RegExp(
      `nan\\.safetensors: loadStateDict: ${name.replace(/\./g, "\\.")} is float64 but the model needs float32`,
    ),
  );
  writeFileSync(`${base}.json`, "{ not json");
  assert.throws(() => loadClassifier(base), /nan\.json: not valid JSON/);
});
