// Atomic writes, and the temporary files a killed writer leaves behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processAlive, removeStaleTemps, writeFileAtomic } from "../../src/util/fs.js";

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
