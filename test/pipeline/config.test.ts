// Saved run settings: a run folder from before generator presets resumes with the options added since
// turned off, not with today's defaults; a current one resumes exactly as saved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRunConfig, parseSavedRunConfig } from "../../src/pipeline/config.js";

test("a config.json saved before presets resumes without the options added since; a current one as saved", () => {
  const old = { split: "seed", seed: 0, generator: { epochs: 10, jitter: 0.5, model: { conditioned: false, hiddenSize: 256 } } };
  const g = parseSavedRunConfig(old, "old/config.json").generator;
  assert.deepEqual({ jitter: g.jitter, rollout: g.rollout, delay: g.model.delay, conditioned: g.model.conditioned, spectral: g.loss.spectral, noise: g.model.noise },
    { jitter: 0.5, rollout: 1, delay: "off", conditioned: false, spectral: 0, noise: 0 });
  const current = parseRunConfig({}, "new");
  assert.equal(current.generator.model.delay, "only", "today's default recipe");
  assert.deepEqual(parseSavedRunConfig(JSON.parse(JSON.stringify(current)), "new/config.json"), current);
});
