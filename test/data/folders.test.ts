// Labelled folders: any number of labels with any names, nested folders, mixed formats; what is
// ignored, what is an error, and splits stratified by label.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav16 } from "../../src/audio/index.js";
import { assertDisjoint, discover, loadDataset, makeSplit, relabel } from "../../src/data/index.js";
import { ODD_LABELS, writeCollection } from "../helpers.js";

const root = mkdtempSync(join(tmpdir(), "genrelab-folders-"));
writeCollection(root, 4, 2);

test("labels are the folder names, sorted; songs are found in nested folders in any format", async () => {
  const d = await discover(root);
  assert.equal(d.kind, "folders");
  assert.deepEqual(d.labels, [...ODD_LABELS].sort());
  assert.deepEqual(
    d.ignored,
    ["notes"],
    "a folder without audio is listed; hidden folders and loose files are not labels",
  );
  assert.equal(d.tracks.length, 12 * 4 + 3, "4 songs a label and the three tones; the link back up is not followed");
  const drone = d.tracks.filter((t) => t.genre === "drone 50% sine?");
  assert.deepEqual(drone.map((t) => t.id.split(".").pop()).sort(), ["au", "au", "flac", "mp3", "ogg", "wav", "wav"]);
  assert.ok(
    d.tracks.some((t) => t.id === "ポップ/deeper/still/ポップ track 2.wav"),
    "ids are paths below the root",
  );
  for (const t of d.tracks) assert.equal(d.labels[t.label], t.genre);
  assert.equal(new Set(d.tracks.map((t) => t.id)).size, d.tracks.length);
});

test("every format decodes; a split is stratified by label and the GTZAN-only split is refused", async () => {
  const data = await loadDataset(root, { cacheDir: join(root, ".genrelab-cache") });
  assert.equal(data.songs.length, 51);
  assert.deepEqual(data.skipped, []);
  const d = await discover(root);
  const split = makeSplit(d, "seed", 0);
  assertDisjoint(split);
  for (const label of d.labels.keys()) assert.equal(split.test.filter((t) => t.label === label).length, 1);
  assert.throws(
    () => makeSplit(d, "fault-filtered", 0),
    /fault-filtered split lists GTZAN's tracks; this is a folders collection/,
  );
});

test("songs are matched to another label list by name; an unknown label is an error naming it", async () => {
  const d = await discover(root);
  const songs = d.tracks.slice(0, 2).map((track) => ({ track, samples: new Float32Array(1) }));
  const reversed = [...d.labels].reverse();
  assert.deepEqual(
    relabel(songs, reversed, "ckpt").map((s) => s.track.label),
    songs.map((s) => 11 - s.track.label),
  );
  assert.throws(
    () => relabel(songs, ["rock", "jazz"], "ckpt"),
    /^Error: ckpt: no label 'Blues & Roots' \(it knows 2: rock, jazz\)$/,
  );
});

test("a collection needs two labels; names with control characters are refused", async () => {
  const one = mkdtempSync(join(tmpdir(), "genrelab-one-"));
  mkdirSync(join(one, "only"));
  writeFileSync(join(one, "only", "a.wav"), encodeWav16(new Float32Array(100), 8000));
  await assert.rejects(discover(one), /only one folder with audio \(only\); expected one folder per label/);
  await assert.rejects(discover(mkdtempSync(join(tmpdir(), "genrelab-none-"))), /no folders with audio files/);
  mkdirSync(join(one, "bad\nname"));
  await assert.rejects(discover(one), /without control characters/);
  await assert.rejects(discover(join(one, "only", "a.wav")), /a\.wav: not a folder/);
});
