// The recipe a report names: the preset's own name only when the saved settings are the preset's, read as
// today's schema reads them (a run saved before a setting existed is not "changed" by it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { recipeName } from "../../src/report/headline.js";
import { parseGeneratorConfig } from "../../src/train/generator-config.js";

const DEFAULT = "genrelab's default recipe (the spectral-token model)";

test("a report names the default recipe as such, also for a run older than a setting; a changed one as changed", () => {
  const saved = JSON.parse(JSON.stringify(parseGeneratorConfig({ preset: "genrelab" }))) as Record<string, unknown>;
  assert.equal(recipeName(saved), DEFAULT);
  // Saved before tokens.beatGuidance existed: the setting takes its default on reading.
  const { beatGuidance, ...olderTokens } = saved.tokens as Record<string, unknown>;
  assert.equal(beatGuidance, 1);
  assert.equal(recipeName({ ...saved, tokens: olderTokens }), DEFAULT);
  assert.equal(recipeName({ ...saved, epochs: 3 }), `${DEFAULT}, changed (settings below)`);
  assert.equal(
    recipeName({ ...saved, tokens: { ...olderTokens, beatGuidance: 1.5 } }),
    `${DEFAULT}, changed (settings below)`,
  );
  assert.equal(recipeName(undefined), "the recipe in the settings below");
});
