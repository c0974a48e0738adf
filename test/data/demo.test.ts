// The synthetic demo set: GTZAN layout, deterministic, genres distinct but not trivially so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MelSpectrogram } from "../../src/audio/index.js";
import { GENRES, demoSong, demoSongTempo, discoverGtzan, writeDemoDataset } from "../../src/data/index.js";
import { Adam, F, manualSeed, nn, stack, tensor, tidy, toArray, type Tensor } from "../../src/torch/index.js";

const hash = (p: string): string => createHash("sha1").update(readFileSync(p)).digest("hex");

test("writes GTZAN's Kaggle layout deterministically and skips a complete set", () => {
  const a = mkdtempSync(join(tmpdir(), "genrelab-demo-"));
  const b = mkdtempSync(join(tmpdir(), "genrelab-demo-"));
  const opts = { songsPerGenre: 2, seconds: 2, seed: 7 };
  let reported = 0;
  writeDemoDataset(a, opts, () => reported++);
  writeDemoDataset(b, opts);
  assert.equal(reported, 20);
  const found = discoverGtzan(a);
  assert.equal(found.root, join(a, "genres_original"));
  assert.deepEqual(found.tracks.map((t) => t.id).slice(0, 3), ["blues.00000", "blues.00001", "classical.00000"]);
  assert.equal(found.tracks.length, 20);
  for (const t of found.tracks) assert.equal(hash(t.path), hash(t.path.replace(a, b)), t.id);
  const first = join(a, "genres_original", "rock", "rock.00001.wav");
  const mtime = statSync(first).mtimeMs;
  writeDemoDataset(a, opts);
  assert.equal(statSync(first).mtimeMs, mtime, "a complete set is not rewritten");
  assert.throws(() => writeDemoDataset(a, { songsPerGenre: 0 }), /1–1000 songs per genre/);
});

test("genres differ, but a linear classifier on the mean spectrum does not reach 100 %", () => {
  const mel = new MelSpectrogram();
  const perGenre = 16;
  const feats: Tensor[] = [];
  const labels: number[] = [];
  GENRES.forEach((_, g) => {
    for (let k = 0; k < perGenre; k++) {
      const s = demoSong(g, k, { seconds: 10, sampleRate: 10_000, seed: 0 });
      feats.push(tidy(() => mel.forward(tensor(s)).mean(1)));
      labels.push(g);
    }
  });
  const accuracy = tidy(() => {
    const x = stack(feats);
    const xn = x.sub(x.mean(0, true)).div(x.std(0, true, true).add(1e-3));
    const pick = (test: boolean): number[] => labels.flatMap((_, i) => (i % perGenre >= 12 === test ? [i] : []));
    const rows = (ids: number[]): Tensor => xn.indexSelect(0, tensor(ids, [ids.length], "int64"));
    const [trainIds, testIds] = [pick(false), pick(true)];
    const y = tensor(
      trainIds.map((i) => labels[i]!),
      [trainIds.length],
      "int64",
    );
    manualSeed(0);
    const lin = new nn.Linear(128, 10);
    const opt = new Adam(lin.parameters(), { lr: 1e-2 });
    for (let s = 0; s < 500; s++) {
      tidy(() => {
        const loss = F.crossEntropy(lin.forward(rows(trainIds)), y);
        opt.zeroGrad();
        loss.backward();
        opt.step();
      });
    }
    const pred = toArray(lin.forward(rows(testIds)).argmax(1));
    return pred.filter((p, i) => p === labels[testIds[i]!]).length / testIds.length;
  });
  feats.forEach((t) => t.dispose());
  assert.ok(accuracy > 0.3, `genres should be statistically distinct (linear accuracy ${accuracy})`);
  assert.ok(accuracy < 1, "the mean spectrum alone must not separate every genre");
});

test("demoSongTempo is the tempo the song is played at", () => {
  // Onset strength (rise of 10 ms frame energy), then how strongly it repeats at whole beats: the
  // song's own tempo must beat the tempos of other songs of the genre.
  const rate = 10_000,
    frame = 100,
    g = GENRES.indexOf("rock");
  const onsetsOf = (song: number): number[] => {
    const x = demoSong(g, song, { seconds: 12, sampleRate: rate, seed: 0 });
    const e = Array.from({ length: Math.floor(x.length / frame) }, (_, i) =>
      x.subarray(i * frame, (i + 1) * frame).reduce((s, v) => s + v * v, 0),
    );
    return e.map((v, i) => Math.max(0, v - (e[i - 1] ?? v)));
  };
  const periodicity = (o: number[], bpm: number): number => {
    let s = 0;
    for (let k = 1; k <= 4; k++) {
      const lag = Math.round((k * 60 * rate) / bpm / frame);
      for (let i = lag; i < o.length; i++) s += o[i]! * o[i - lag]!;
    }
    return s;
  };
  const tempos = [0, 1, 2, 3, 4, 5].map((s) => demoSongTempo(g, s));
  for (const song of [0, 1, 2]) {
    const o = onsetsOf(song);
    const own = periodicity(o, tempos[song]!);
    for (const other of tempos.filter((t) => Math.abs(t / tempos[song]! - 1) > 0.05)) {
      assert.ok(own > periodicity(o, other), `song ${song}: ${tempos[song]!.toFixed(1)} bpm vs ${other.toFixed(1)}`);
    }
  }
});
