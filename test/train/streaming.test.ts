// Training streams its songs from the decoded-audio cache: peak memory does not grow with the number
// of songs (the same training on 4× the songs), and streamed songs give the same batches as songs
// held in memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeWav16, MelSpectrogram } from "../../src/audio/index.js";
import { ClassifierExamples, demoSong, loadSplitSongs, noAugmentation, StoredSong } from "../../src/data/index.js";
import { toArray } from "../../src/torch/index.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** `n` songs of `seconds` in two labels. */
function collection(n: number, seconds = 30): string {
  const dir = mkdtempSync(join(tmpdir(), `genrelab-stream-${n}-`));
  for (let k = 0; k < n; k++) {
    const label = join(dir, k % 2 ? "odd" : "even");
    mkdirSync(label, { recursive: true });
    writeFileSync(
      join(label, `${k}.wav`),
      encodeWav16(demoSong(k % 2 ? 3 : 6, k, { seconds, sampleRate: 10_000, seed: 0 }), 10_000),
    );
  }
  return dir;
}

/** Peak RSS (MB) of train-classifier on a prepared collection. */
function trainPeakMB(dir: string, epochs: number): number {
  assert.equal(
    spawnSync(process.execPath, ["bin/genrelab.js", "prepare", "--data", dir, "--quiet"], { cwd: root }).status,
    0,
  );
  const rssFile = join(dir, "rss.txt");
  const r = spawnSync(
    "/usr/bin/time",
    [
      "-f",
      "%M",
      "-o",
      rssFile,
      process.execPath,
      "bin/genrelab.js",
      "train-classifier",
      "--data",
      dir,
      "--out",
      join(dir, "run"),
      "--epochs",
      String(epochs),
      "--batch-size",
      "64",
      "--quiet",
    ],
    { cwd: root, encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  return Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024;
}

const skip =
  spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0 ? false : "needs /usr/bin/time (make test installs it)";

test("peak memory of training does not grow with the number of songs", { skip }, () => {
  // The same steps (4 epochs of 24 songs, 1 of 96; batches of 64 windows, as validation's): libtorch's
  // allocator and kernel caches grow over the first steps and with the batch, whatever the data.
  const small = trainPeakMB(collection(24, 120), 4);
  const large = trainPeakMB(collection(96, 120), 1);
  // Held in memory, the 72 more songs of 2 min would add 345 MB (float32 at 10 kHz).
  console.log(`# peak RSS: 24 songs ${small.toFixed(0)} MB, 96 songs ${large.toFixed(0)} MB`);
  assert.ok(large - small < 100, `24 songs: ${small.toFixed(0)} MB, 96 songs: ${large.toFixed(0)} MB`);
});

test("streamed songs give the same windows as songs in memory", async () => {
  const dir = collection(6);
  const streamed = await loadSplitSongs(dir, { split: "seed", seed: 0 });
  const held = await loadSplitSongs(dir, { split: "seed", seed: 0, stream: false });
  assert.ok(streamed.songs.train.every((s) => s instanceof StoredSong));
  assert.ok(held.songs.train.every((s) => !(s instanceof StoredSong)));
  const mel = new MelSpectrogram();
  const batch = (songs: typeof held.songs.train) =>
    toArray(
      new ClassifierExamples(songs, mel, { sampleRate: 10_000, windowSeconds: 3 })
        .batches(8, { seed: 1, augment: { ...noAugmentation, randomCrop: true } })
        .next().value!.x,
    );
  assert.deepEqual(batch(streamed.songs.train), batch(held.songs.train));
  assert.deepEqual(streamed.songs.test[0]!.samples, held.songs.test[0]!.samples);
});
