// Any labelled collection end to end: twelve labels with awkward names, nested folders, mixed formats
// train, evaluate, classify, generate and report; nothing assumes GTZAN's ten genres.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildServer } from "../../src/server/app.js";
import { ODD_LABELS, writeCollection } from "../helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "genrelab-collection-"));
const data = join(work, "my music");
const out = join(work, "run");
const labels = [...ODD_LABELS].sort();
const genrelab = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/genrelab.js", ...args], { cwd: root, encoding: "utf8" });
const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"' };
const unescapeHtml = (s: string) =>
  s.replace(/&(#\d+|[a-z]+);/g, (_, e: string) =>
    e.startsWith("#") ? String.fromCharCode(Number(e.slice(1))) : (entities[e] ?? `&${e};`),
  );
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

test("a 12-label collection runs end to end: checkpoints, evaluations and report know its labels", () => {
  writeCollection(data, 4, 8);
  const config = join(work, "config.json");
  writeFileSync(config, JSON.stringify({ classifier: { epochs: 40, patience: 0 } }));
  const r = genrelab("run", "--data", data, "--out", out, "--quick", "--config", config, "--quiet");
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readJson(join(out, "checkpoints", "classifier.best.json")).genres, labels);
  assert.deepEqual(readJson(join(out, "checkpoints", "generator-all.best.json")).genres, labels);
  const summary = readJson(join(out, "report", "summary.json"));
  assert.deepEqual(
    summary.generated.perGenre.map((g: { genre: string }) => g.genre),
    labels,
  );
  assert.equal(summary.classifier.test.confusion.length, 12);
  // Measured 85 % / 67 %; chance is 8 %.
  assert.ok(summary.classifier.train.songAccuracy >= 0.5, `train ${summary.classifier.train.songAccuracy}`);
  assert.ok(summary.classifier.test.songAccuracy >= 0.25, `test ${summary.classifier.test.songAccuracy}`);
  assert.ok(existsSync(join(out, "generated", "drone 50% sine?.1.wav")));
  const html = readFileSync(join(out, "report", "index.html"), "utf8");
  const links = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => decodeURIComponent(unescapeHtml(m[1]!)));
  assert.ok(
    links.some((l) => l.includes("ポップ")),
    "clips of every label are linked",
  );
  for (const link of links) assert.ok(existsSync(resolve(join(out, "report"), link)), `broken link ${link}`);
  const headings = [...html.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => unescapeHtml(m[1]!));
  for (const label of labels) assert.ok(headings.includes(label), `the clips of ${label} under its name`);
});

test("classify, evaluate and generate name the collection's labels", () => {
  const classifier = join(out, "checkpoints", "classifier.best");
  const song = join(data, "zz organ", "zz organ track 0.wav");
  const c = genrelab("classify", classifier, song, "--json");
  assert.equal(c.status, 0, c.stderr);
  assert.ok(labels.includes(JSON.parse(c.stdout)[0].genre));
  const e = genrelab("evaluate", classifier, "--data", data, "--set", "test");
  assert.equal(e.status, 0, e.stderr);
  assert.deepEqual(
    JSON.parse(e.stdout).song.perClass.map((p: { name: string }) => p.name),
    labels,
  );
  const clips = join(work, "clips");
  const g = genrelab(
    "generate",
    join(out, "checkpoints", "generator-all.best"),
    "--seed-from",
    data,
    "--genre",
    "metal ☠",
    "--out",
    clips,
    "--count",
    "2",
    "--seconds",
    "2",
    "--tempo",
    "96",
    "--quiet",
  );
  assert.equal(g.status, 0, g.stderr);
  assert.equal(
    readJson(join(clips, `${readdirSync(clips).find((f) => f.endsWith(".json"))}`)).tempo,
    96,
    "the sidecar records the tempo asked for",
  );
  const judged = genrelab("evaluate", classifier, "--clips", clips);
  assert.equal(judged.status, 0, judged.stderr);
  assert.deepEqual(
    JSON.parse(judged.stdout).clips.map((x: { genre: string }) => x.genre),
    ["metal ☠", "metal ☠"],
  );
  const wrong = genrelab(
    "generate",
    join(out, "checkpoints", "generator-all.best"),
    "--seed-from",
    data,
    "--genre",
    "metal",
    "--out",
    clips,
  );
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /no label 'metal' \(it knows 12: Blues & Roots, .*ポップ\)/);
});

test("cross-validation: one classifier per fold, each fold's and the mean ± sd test accuracy", () => {
  const cv = join(work, "cv");
  const r = genrelab("train-classifier", "--data", data, "--out", cv, "--folds", "3", "--epochs", "2", "--quiet");
  assert.equal(r.status, 0, r.stderr);
  const folds = readJson(join(cv, "folds.json"));
  assert.deepEqual(
    folds.perFold.map((f: { fold: number }) => f.fold),
    [1, 2, 3],
  );
  const acc = folds.perFold.map((f: { songAccuracy: number }) => f.songAccuracy);
  const mean = acc.reduce((a: number, b: number) => a + b, 0) / 3;
  assert.ok(Math.abs(folds.songAccuracy.mean - mean) < 1e-12);
  assert.ok(
    Math.abs(folds.songAccuracy.sd - Math.sqrt(acc.reduce((a: number, x: number) => a + (x - mean) ** 2, 0) / 2)) <
      1e-12,
  );
  // Every song is tested exactly once across the folds (4 a label, 3 tones: 51 songs).
  assert.equal(
    folds.perFold.reduce((n: number, f: { songs: number }) => n + f.songs, 0),
    51,
  );
  for (const k of [1, 2, 3]) assert.ok(existsSync(join(cv, `fold-${k}`, "checkpoints", "classifier.best.safetensors")));
  assert.match(r.stdout, /3 folds: song accuracy \d+\.\d% ± \d+\.\d%, window accuracy/);
  const mixed = genrelab("train-classifier", "--data", data, "--out", cv, "--folds", "3", "--split", "fma");
  assert.equal(mixed.status, 1);
  assert.match(mixed.stderr, /--folds makes its own split/);
});

test(
  "the dashboard serves the collection: its labels, " + "clips with odd names, generating with a chosen seed",
  async () => {
    const app = await buildServer({ runsDir: work, uploadLimit: 1024 * 1024 });
    try {
      const base = await app.listen({ port: 0, host: "127.0.0.1" });
      const run = await (await fetch(`${base}/api/runs/run`)).json();
      assert.deepEqual(run.labels, labels, "confusion matrices' labels");
      const clip = "drone 50% sine?.1";
      assert.equal((await fetch(`${base}/api/runs/run/clips/${encodeURIComponent(clip)}/mel.png`)).status, 200);
      const cks = (await (await fetch(`${base}/api/checkpoints`)).json()) as {
        run: string;
        kind: string;
        genres: string[];
      }[];
      assert.deepEqual(cks.find((c) => c.run === "run" && c.kind === "generator")!.genres, labels);
      const seeds = (await (
        await fetch(`${base}/api/runs/run/seeds?genre=${encodeURIComponent("metal ☠")}`)
      ).json()) as {
        id: string;
      }[];
      assert.equal(seeds.length, 1);
      const r = await fetch(`${base}/api/generate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          run: "run",
          checkpoint: "checkpoints/generator-all.best",
          genre: "metal ☠",
          seconds: 1,
          seedSong: seeds[0]!.id,
          offset: 1,
        }),
      });
      assert.equal(r.status, 200, await r.clone().text());
      assert.equal((await r.json()).genre, "metal ☠");
    } finally {
      await app.close();
    }
  },
);
