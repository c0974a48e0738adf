// FMA's layout: labels from track.genre_top, FMA's own split from set.split, the subset's tracks only;
// what FMA holds that is not usable is counted or skipped with a warning, never a crash.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discover, loadDataset, loadSplitSongs, makeSplit } from "../../src/data/index.js";
import { fixturePath } from "../helpers.js";

// A copy: loading writes a decode cache into the data folder.
const fma = mkdtempSync(join(tmpdir(), "genrelab-fma-"));
cpSync(fixturePath("fma"), fma, { recursive: true });

test("FMA: labels are the top genres, the split is FMA's, tracks outside the subset are left out", async () => {
  for (const dir of [fma, join(fma, "fma_small")]) {
    const d = await discover(dir);
    assert.equal(d.kind, "fma");
    assert.equal(d.root, fma);
    assert.deepEqual(d.labels, ["Hip-Hop", "Old-Time / Historic", "Pop"]);
    assert.deepEqual(d.notes, [
      "1 track(s) without a top genre skipped",
      "1 listed track(s) without an mp3 in fma_small/ skipped",
    ]);
    assert.equal(d.tracks.length, 10, "the medium-only Rock track is not in fma_small");
    const split = makeSplit(d, "fma", 0);
    assert.deepEqual(
      split.test.map((t) => t.id),
      ["fma_small/000/000134.mp3", "fma_small/000/000141.mp3"],
    );
    assert.deepEqual(
      split.valid.map((t) => t.id),
      ["fma_small/000/000005.mp3", "fma_small/000/000145.mp3"],
    );
    assert.equal(split.train.length, 6);
  }
});

test("FMA: an mp3 that does not decode is skipped with one warning; the rest load", async () => {
  const warnings: string[] = [];
  const data = await loadSplitSongs(fma, { split: "fma", seed: 0, onWarning: (w) => warnings.push(w) });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /warning: skipping .*000200\.mp3: /);
  assert.equal(data.songs.train.length, 5);
  assert.ok(
    data.songs.train.every((s) => s.samples.length > 5 * 10_000),
    "6 s each at 10 kHz",
  );
  assert.deepEqual(data.labels, ["Hip-Hop", "Old-Time / Historic", "Pop"]);
});

test("FMA: a damaged tracks.csv or a missing column is one clear error naming the file", async () => {
  const bad = mkdtempSync(join(tmpdir(), "genrelab-fma-bad-"));
  cpSync(fixturePath("fma"), bad, { recursive: true });
  const csv = join(bad, "fma_metadata", "tracks.csv");
  writeFileSync(csv, ",set,track\n,split,title\ntrack_id,,\n2,training,x\n");
  await assert.rejects(
    discover(bad),
    /tracks\.csv: no column set\.subset \(is this FMA's fma_metadata\/tracks\.csv\?\)/,
  );
  writeFileSync(csv, ',set,set,track\n,split,subset,genre_top\ntrack_id,,,\n2,training,small,"Pop\n');
  await assert.rejects(discover(bad), /tracks\.csv: not a readable tracks\.csv \(/);
  writeFileSync(csv, ",set,set,track\n,split,subset,genre_top\ntrack_id,,,\nabc,training,small,Pop\n");
  await assert.rejects(discover(bad), /tracks\.csv: line 4: track id 'abc' is not a number/);
  await assert.rejects(
    loadDataset(join(bad, "fma_metadata"), { cacheDir: join(bad, "c") }),
    /no folders with audio|only one folder/,
  );
});
