// The decoded-audio cache stores 16-bit integers and a scale: what that keeps and loses, and that a song
// streamed from its entry reads the samples a whole-song load gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { encodeWav16 } from "../../src/audio/index.js";
import { AudioCache, dequantize, ENTRY_HEADER, quantize } from "../../src/data/cache.js";
import { StoredSong } from "../../src/data/stored-song.js";

const maxError = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

test("16-bit storage: exact on the 16-bit grid, within half a step elsewhere, peaks above full scale kept", () => {
  const grid = Float32Array.from({ length: 1000 }, (_, i) => Math.round(Math.sin(i) * 30_000) / 32768);
  const g = quantize(grid);
  assert.equal(g.scale, Math.fround(1 / 32768));
  assert.deepEqual(dequantize(g.q, g.scale), grid);

  const smooth = Float32Array.from({ length: 1000 }, (_, i) => 0.9 * Math.sin(i * 0.37 + 0.1));
  const s = quantize(smooth);
  assert.ok(maxError(dequantize(s.q, s.scale), smooth) <= 0.5 / 32768 + 1e-9);

  // A resampler's overshoot past full scale: the peak sets the step, nothing clips.
  const loud = Float32Array.from({ length: 1000 }, (_, i) => 1.3 * Math.sin(i * 0.37));
  const l = quantize(loud);
  assert.ok(l.scale > 1 / 32768);
  assert.ok(maxError(dequantize(l.q, l.scale), loud) <= l.scale / 2 + 1e-7);
  assert.equal(Math.max(...l.q.map(Math.abs)), 32767);
});

test("an entry is 2 bytes a sample; a stored song reads any part as the whole-song load does", async () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-cache-"));
  const samples = Float32Array.from({ length: 22_050 }, (_, i) => 0.7 * Math.sin(i * 0.05) * Math.cos(i * 0.0007));
  const wav = join(dir, "a.wav");
  writeFileSync(wav, encodeWav16(samples, 22_050));
  const cache = new AudioCache(join(dir, "cache"), 10_000);
  // An entry of the earlier float32 format is removed when the song's new entry is written.
  const { hash: h } = await new AudioCache(join(dir, "probe"), 10_000).loadEntry(wav);
  const old = join(dir, "cache", h.slice(0, 2), `${h}-10000.f32`);
  mkdirSync(dirname(old), { recursive: true });
  writeFileSync(old, "old float32 entry");
  const { samples: fresh, hash } = await cache.loadEntry(wav);
  assert.equal(existsSync(old), false, "the old entry is gone");
  const entry = cache.entry(hash);
  assert.ok(entry);
  assert.equal(statSync(entry.file).size, ENTRY_HEADER + 2 * entry.length);
  const cached = cache.read(hash);
  assert.deepEqual(cached, fresh, "a fresh decode returns what later runs read");
  const song = new StoredSong({ id: "a", genre: "a", label: 0, index: 0, path: wav }, entry);
  assert.deepEqual(song.samples, cached);
  assert.deepEqual(song.read(1234, 500), (cached as Float32Array).subarray(1234, 1734));
  assert.equal(song.read(entry.length - 10, 500).length, 10);
  // A full-scale square wave overshoots past ±1 when resampled: its entry keeps the peak in its scale,
  // and every way of reading it gives the values a fresh decode gave.
  const square = join(dir, "square.wav");
  writeFileSync(
    square,
    encodeWav16(
      Float32Array.from({ length: 22_050 }, (_, i) => (Math.floor(i / 110) % 2 ? 0.99997 : -1)),
      22_050,
    ),
  );
  const loudCache = new AudioCache(join(dir, "cache-loud"), 10_000);
  const loud = await loudCache.loadEntry(square);
  const loudEntry = loudCache.entry(loud.hash)!;
  assert.ok(loudEntry.scale > 1 / 32768, `scale ${loudEntry.scale}: the resampled square overshoots`);
  assert.ok(Math.max(...loud.samples.map(Math.abs)) > 1);
  assert.deepEqual(loudCache.read(loud.hash), loud.samples);
  assert.deepEqual(
    new StoredSong({ id: "s", genre: "a", label: 0, index: 0, path: square }, loudEntry).read(100, 300),
    loud.samples.subarray(100, 400),
  );
  // An entry whose header claims another length is refused (read again from the source).
  writeFileSync(entry.file, Buffer.alloc(ENTRY_HEADER + 10));
  assert.equal(cache.entry(hash), undefined);
  assert.deepEqual(readdirSync(join(dir, "cache")).length, 1);
});
