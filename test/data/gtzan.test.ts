// Finding GTZAN in either layout, clear errors for broken folders, skipping corrupt files, the cache.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav16 } from "../../src/audio/index.js";
import { encodeAu16 } from "../helpers.js";
import { AudioCache, GENRES, discoverGtzan, loadDataset } from "../../src/data/index.js";

const tone = (rate: number, seconds: number): Float32Array =>
  Float32Array.from({ length: rate * seconds }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate));

function makeSet(layout: "au" | "wav", perGenre = 2): string {
  const top = mkdtempSync(join(tmpdir(), `genrelab-gtzan-${layout}-`));
  const root = join(top, layout === "au" ? "genres" : "genres_original");
  for (const g of GENRES) {
    mkdirSync(join(root, g), { recursive: true });
    for (let k = 0; k < perGenre; k++) {
      const name = `${g}.${String(k).padStart(5, "0")}.${layout}`;
      writeFileSync(
        join(root, g, name),
        layout === "au" ? encodeAu16(tone(22050, 1), 22050) : encodeWav16(tone(22050, 1), 22050),
      );
    }
  }
  return top;
}

test("both GTZAN layouts are found from the top folder or the genres folder", () => {
  const au = makeSet("au");
  writeFileSync(join(au, "genres", "jazz", "jazz.mf"), "GTZAN ships .mf lists; they are ignored");
  const a = discoverGtzan(au);
  assert.equal(a.tracks.length, 20);
  assert.equal(a.tracks[0]!.path.endsWith("blues.00000.au"), true);
  assert.deepEqual([...new Set(a.tracks.map((t) => t.label))], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(discoverGtzan(join(au, "genres")).tracks.length, 20);
  assert.equal(discoverGtzan(makeSet("wav")).tracks[19]!.id, "rock.00001");
});

test("broken data folders are clear errors naming the folder", () => {
  assert.throws(() => discoverGtzan("/nonexistent/gtzan"), /\/nonexistent\/gtzan: data folder not found/);
  const empty = mkdtempSync(join(tmpdir(), "genrelab-empty-"));
  assert.throws(() => discoverGtzan(empty), /no GTZAN genre folders found/);
  const set = makeSet("wav");
  rmSync(join(set, "genres_original", "metal"), { recursive: true });
  assert.throws(() => discoverGtzan(set), /missing genre folder metal/);
  mkdirSync(join(set, "genres_original", "metal"));
  assert.throws(() => discoverGtzan(set), /metal: no audio files named metal\.000NN\.au or \.wav/);
});

test("a corrupt file is skipped with one warning and listed; the rest load at 10 kHz", async () => {
  const set = makeSet("wav");
  const bad = join(set, "genres_original", "jazz", "jazz.00001.wav");
  writeFileSync(bad, Buffer.from("RIFF\x10\x00\x00\x00WAVEjunkjunk"));
  const warnings: string[] = [];
  const data = await loadDataset(set, { cacheDir: join(set, "cache"), onWarning: (w) => warnings.push(w) });
  assert.equal(data.songs.length, 19);
  assert.equal(data.songs[0]!.samples.length, 10_000);
  assert.deepEqual(
    data.skipped.map((s) => s.path),
    [bad],
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /warning: skipping .*jazz\.00001\.wav: /);
});

test("the cache decodes once, survives a damaged entry, and leaves no temporary files", async () => {
  const set = makeSet("au", 1);
  const dir = join(set, "cache");
  const file = join(set, "genres", "pop", "pop.00000.au");
  const first = new AudioCache(dir, 10_000);
  const a = await first.load(file);
  assert.equal(first.misses, 1);
  const second = new AudioCache(dir, 10_000);
  const b = await second.load(file);
  assert.equal(second.hits, 1);
  assert.deepEqual(b, a);
  const [sub] = readdirSync(dir) as [string];
  const [entry] = readdirSync(join(dir, sub)) as [string];
  assert.match(entry, /^[0-9a-f]{40}-10000\.i16$/);
  writeFileSync(join(dir, sub, entry), "garbage from a crash");
  const third = new AudioCache(dir, 10_000);
  assert.deepEqual(await third.load(file), a);
  assert.equal(third.misses, 1, "a damaged entry is decoded again");
  assert.deepEqual(readdirSync(join(dir, sub)), [entry]);
  const other = new AudioCache(dir, 16_000);
  assert.equal((await other.load(file)).length, 16_000, "the rate is part of the key");
});
