// Saved run settings: a run folder from before generator presets resumes with the options added since
// turned off, not with today's defaults; a current one resumes exactly as saved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRunConfig, parseSavedRunConfig } from "../../src/pipeline/config.js";

test("a config.json saved before presets resumes without the options added since; a current one as saved", () => {
  const old = {
    split: "seed",
    seed: 0,
    generator: { epochs: 10, jitter: 0.5, model: { conditioned: false, hiddenSize: 256 } },
  };
  const g = parseSavedRunConfig(old, "old/config.json").generator;
  assert.deepEqual(
    {
      jitter: g.jitter,
      rollout: g.rollout,
      delay: g.model.delay,
      conditioned: g.model.conditioned,
      spectral: g.loss.spectral,
      noise: g.model.noise,
    },
    { jitter: 0.5, rollout: 1, delay: "off", conditioned: false, spectral: 0, noise: 0 },
  );
  assert.equal(g.model.kind, "waveform");
  const current = parseRunConfig({}, "new");
  assert.equal(current.generator.model.kind, "tokens", "today's default recipe");
  assert.deepEqual(parseSavedRunConfig(JSON.parse(JSON.stringify(current)), "new/config.json"), current);
});

test(
  "a token model's config.json saved before the beat clock " + "resumes without it, at the temperature of its time",
  () => {
    const saved = JSON.parse(JSON.stringify(parseRunConfig({}, "new"))) as {
      generator: { tokens: Record<string, unknown> };
    };
    assert.deepEqual(
      [saved.generator.tokens.beat, saved.generator.tokens.temperature],
      [true, 1.05],
      "today's default",
    );
    delete saved.generator.tokens.beat;
    delete saved.generator.tokens.temperature;
    const t = parseSavedRunConfig(saved, "old/config.json").generator.tokens;
    assert.deepEqual([t.beat, t.temperature], [false, 1.15]);
  },
);

test("a config.json saved with the genrelab preset before the token model resumes as the waveform copy recipe", () => {
  const saved = JSON.parse(JSON.stringify(parseRunConfig({}, "new"))) as {
    generator: { preset: string; model: Record<string, unknown> };
  };
  delete saved.generator.model.kind;
  const g = parseSavedRunConfig(saved, "old/config.json").generator;
  assert.deepEqual(
    { preset: g.preset, kind: g.model.kind, delay: g.model.delay },
    { preset: "copy", kind: "waveform", delay: "only" },
  );
  const copy = parseRunConfig({ generator: { preset: "copy" } }, "copy").generator;
  assert.deepEqual(
    { kind: copy.model.kind, lr: copy.lr, threads: copy.threads, rollout: copy.rollout },
    { kind: "waveform", lr: 1e-3, threads: 1, rollout: 4 },
  );
});

test("a classifier's config.json saved before the mel store resumes computing every window's mel", () => {
  const saved = JSON.parse(JSON.stringify(parseRunConfig({}, "new"))) as { classifier: Record<string, unknown> };
  assert.equal(saved.classifier.storeMels, true, "today's default");
  delete saved.classifier.storeMels;
  assert.equal(parseSavedRunConfig(saved, "old/config.json").classifier.storeMels, false);
});
