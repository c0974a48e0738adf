// Track-level splits: the study's 90/10, the artist-filtered lists, k-fold; never a track on two sides.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GENRES,
  assertDisjoint,
  faultFilteredSplit,
  kFoldSplit,
  parseSplit,
  seedSplit,
  type Track,
} from "../../src/data/index.js";
import { splitFromFile } from "../../src/data/split-file.js";

const gtzan: Track[] = GENRES.flatMap((genre, label) =>
  Array.from({ length: 100 }, (_, index) => {
    const id = `${genre}.${String(index).padStart(5, "0")}`;
    return { id, genre, label, index, path: `/gtzan/${genre}/${id}.au` };
  }),
);

test("seed split: 10 test songs per genre, 9 of the other 90 for validation, deterministic", () => {
  const s = seedSplit(gtzan, { seed: 1 });
  assert.deepEqual([s.train.length, s.valid.length, s.test.length], [810, 90, 100]);
  for (const g of GENRES) assert.equal(s.test.filter((t) => t.genre === g).length, 10);
  assertDisjoint(s);
  assert.deepEqual(seedSplit(gtzan, { seed: 1 }), s);
  assert.notDeepEqual(seedSplit(gtzan, { seed: 2 }).test, s.test);
  const study = seedSplit(gtzan, { seed: 1, validFraction: 0 });
  assert.deepEqual([study.train.length, study.test.length], [900, 100]);
});

test("fault-filtered split: 443 / 197 / 290 tracks, disjoint; missing tracks are reported", () => {
  const s = faultFilteredSplit(gtzan);
  assert.deepEqual([s.train.length, s.valid.length, s.test.length], [443, 197, 290]);
  assert.deepEqual(s.missing, []);
  assertDisjoint(s);
  const withoutJazz54 = faultFilteredSplit(gtzan.filter((t) => t.id !== "jazz.00054"));
  const all = [...s.train, ...s.valid, ...s.test].map((t) => t.id);
  assert.deepEqual(withoutJazz54.missing, all.includes("jazz.00054") ? ["jazz.00054"] : []);
});

test("k-fold: each track is in exactly one test fold, and folds are disjoint", () => {
  const tests = new Map<string, number>();
  for (let fold = 0; fold < 5; fold++) {
    const s = kFoldSplit(gtzan, 5, fold, 3);
    assertDisjoint(s);
    assert.equal(s.train.length + s.valid.length + s.test.length, 1000);
    for (const t of s.test) tests.set(t.id, (tests.get(t.id) ?? 0) + 1);
  }
  assert.equal(tests.size, 1000);
  assert.ok([...tests.values()].every((n) => n === 1));
  assert.throws(() => kFoldSplit(gtzan, 2, 0), /k must be an integer ≥ 3/);
});

test("assertDisjoint catches a track on both sides", () => {
  const s = seedSplit(gtzan);
  assert.throws(() => assertDisjoint({ ...s, test: [...s.test, s.train[0]!] }), /is in both train and test/);
});

test("split names: fold:K/N and file:PATH are checked, with the names to use", () => {
  assert.equal(parseSplit("fold:2/5"), "fold:2/5");
  assert.equal(parseSplit("file:my split.txt"), "file:my split.txt");
  assert.throws(() => parseSplit("fold:6/5"), /fold:K\/N needs N ≥ 3 and 1 ≤ K ≤ N/);
  assert.throws(() => parseSplit("fold:1/2"), /needs N ≥ 3/);
  assert.throws(
    () => parseSplit("random"),
    /split 'random': expected seed, fault-filtered, fma, fold:K\/N \(e\.g\. fold:1\/5\) or file:PATH/,
  );
});

test("a split file: paths below the data folder or ids, any side spelling, comments; mistakes name the line", () => {
  const d = { root: "/gtzan", kind: "gtzan" as const, labels: [...GENRES], tracks: gtzan, ignored: [] };
  const dir = mkdtempSync(join(tmpdir(), "genrelab-splitfile-"));
  const file = join(dir, "split.txt");
  writeFileSync(
    file,
    "# my split\njazz/jazz.00001.au train\n\n./rock/rock.00002.au   validation\r\nblues.00003 TEST\n",
  );
  const s = splitFromFile(file, d);
  assert.deepEqual(
    [s.train.map((t) => t.id), s.valid.map((t) => t.id), s.test.map((t) => t.id)],
    [["jazz.00001"], ["rock.00002"], ["blues.00003"]],
  );
  writeFileSync(file, "jazz/jazz.00001.au train\njazz.00001 test\n");
  assert.throws(() => splitFromFile(file, d), /split\.txt:2: 'jazz\.00001' is listed twice/);
  writeFileSync(file, "jazz/jazz.00001.au train\nnope.wav test\n");
  assert.throws(() => splitFromFile(file, d), /split\.txt:2: no track 'nope\.wav' in \/gtzan/);
  writeFileSync(file, "jazz/jazz.00001.au\n");
  assert.throws(
    () => splitFromFile(file, d),
    /split\.txt:1: expected '<path below the data folder> <train\|valid\|test>'/,
  );
  assert.throws(
    () => splitFromFile(join(dir, "missing.txt"), d),
    /missing\.txt: cannot read the split file \(ENOENT\)/,
  );
});
