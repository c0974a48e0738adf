// Atomic writes, and the temporary files a killed writer leaves behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processAlive, removeStaleTemps, writeFileAtomic, writeJsonAtomic } from "../../src/util/fs.js";
import { readJsonFile, readJsonLines } from "../../src/util/json.js";

test("writeFileAtomic leaves only the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-fs-"));
  writeFileAtomic(join(dir, "a", "x.json"), "1");
  writeFileAtomic(join(dir, "a", "x.json"), "2");
  assert.deepEqual(readdirSync(join(dir, "a")), ["x.json"]);
  assert.equal(readFileSync(join(dir, "a", "x.json"), "utf8"), "2");
});

test("removeStaleTemps removes a killed writer's temporary files, not a live one's", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-fs-"));
  const dead = spawnSync("true").pid!;
  assert.equal(processAlive(dead), false);
  mkdirSync(join(dir, "checkpoints"));
  const stale = join(dir, "checkpoints", `.classifier.last.safetensors.${dead}.1700000000000.tmp`);
  const live = join(dir, `.config.json.${process.pid}.1700000000000.tmp`);
  const other = join(dir, "notes.tmp");
  for (const f of [stale, live, other]) writeFileSync(f, "x");
  assert.equal(removeStaleTemps(dir), 1);
  assert.equal(existsSync(stale), false);
  assert.ok(existsSync(live) && existsSync(other));
});

test("JSON files: round trip, absent is null, bad JSON names the file (or is skipped when lenient)", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-json-"));
  const path = join(dir, "x.json");
  writeJsonAtomic(path, { a: [1, 2] });
  assert.equal(readFileSync(path, "utf8"), '{\n  "a": [\n    1,\n    2\n  ]\n}\n');
  assert.deepEqual(readJsonFile(path), { a: [1, 2] });
  assert.equal(readJsonFile(join(dir, "none.json")), null);
  writeFileSync(path, "{ half");
  assert.throws(
    () => readJsonFile(path),
    (e: Error) => e.message.startsWith(`${path}: not valid JSON`),
  );
  assert.equal(readJsonFile(path, { lenient: true }), null);
  const lines = join(dir, "m.jsonl");
  writeFileSync(lines, '{"epoch":1}\n{"epo\n{"epoch":3}\n');
  assert.throws(() => readJsonLines(lines), new RegExp(`${lines}: line 2 is not valid JSON`));
  assert.deepEqual(readJsonLines(lines, { lenient: true }), [{ epoch: 1 }, { epoch: 3 }]);
  assert.deepEqual(readJsonLines(join(dir, "none.jsonl")), []);
});
