// The report's settings table: every setting as a row, the study's value beside the generator's changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { flatten, settingsRows } from "../../src/report/settings.js";

test("settings rows: dotted paths, and the study's value where genrelab's generator differs", () => {
  assert.deepEqual(flatten({ a: 1, b: { c: [1, 2], d: { e: "x" } } }), [
    ["a", 1],
    ["b.c", [1, 2]],
    ["b.d.e", "x"],
  ]);
  const rows = settingsRows({
    data: "/somewhere",
    seed: 0,
    classifier: { epochs: 30 },
    generator: { preset: "genrelab", epochs: 12, clipNorm: 1 },
  });
  assert.deepEqual(rows, [
    ["seed", "0", ""],
    ["classifier.epochs", "30", ""],
    ["generator.preset", "genrelab", "study"],
    ["generator.epochs", "12", "10"],
    ["generator.clipNorm", "1", ""],
  ]);
});
