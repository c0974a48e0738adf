// The bad-input corpus (./hostile.ts) through `classify`, `prepare`, `generate` and the HTTP API: each
// file is classified or refused with one line naming it, memory stays bounded, nothing is left behind.
// Regenerates the table of docs/RELIABILITY.md (GENRELAB_WRITE_DOCS=1 writes it; otherwise the
// committed table must match, so the document cannot go stale).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/server/app.js";
import { writeCorpus, type Case } from "./hostile.js";
import { tinyGenerator } from "../helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "genrelab-corpus-"));
const corpus = join(work, "corpus");
const runs = join(work, "runs");
const RSS_BOUND_MB = 1024;
const doc = join(root, "docs", "RELIABILITY.md");
let cases: Case[] = [];
let app: FastifyInstance;
let base = "";
const rows = new Map<string, { cli: string; http: string }>();

/** genrelab under /usr/bin/time: exit code, stderr, peak RSS in MB. */
function genrelab(...args: string[]): { status: number | null; stderr: string; stdout: string; rssMb: number } {
  const rssFile = join(work, "rss.txt");
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "-o", rssFile, process.execPath, "bin/genrelab.js", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return {
    status: r.status,
    stderr: r.stderr,
    stdout: r.stdout,
    rssMb: Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024,
  };
}

const tempsOf = () =>
  readdirSync(tmpdir())
    .filter((n) => n.startsWith("genrelab-upload-"))
    .sort();
let tempsBefore: string[] = [];

before(async () => {
  const data = join(work, "data");
  const ok = (r: { status: number | null; stderr: string }) => assert.equal(r.status, 0, r.stderr);
  ok(genrelab("demo-data", "--out", data, "--songs", "3", "--seconds", "6", "--quiet"));
  writeFileSync(
    join(work, "tiny.json"),
    JSON.stringify({
      classifier: { epochs: 1, model: { channels: [4, 4, 4, 4, 4], head: "avg" } },
      generator: { epochs: 1, ...tinyGenerator },
    }),
  );
  const tiny = ["--data", data, "--out", join(runs, "tiny"), "--config", join(work, "tiny.json"), "--quiet"];
  ok(genrelab("train-classifier", ...tiny));
  ok(genrelab("train-generator", ...tiny));
  writeFileSync(join(runs, "tiny", "config.json"), JSON.stringify({ data, split: "seed", seed: 0 }));
  cases = writeCorpus(corpus);
  tempsBefore = tempsOf();
  app = await buildServer({ runsDir: runs });
  base = await app.listen({ port: 0, host: "127.0.0.1" });
});
after(async () => app?.close());

const oneLine = (text: string) => text.trim().split("\n").filter(Boolean);
const shown = (line: string) => line.replaceAll(`${corpus}/`, "").replace(/^genrelab: /, "");

test("the corpus holds at least 40 files, sound and hostile", () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  assert.ok(cases.filter((c) => c.error).length >= 25);
});

test("classify: each file classified, or refused with one line naming it; memory bounded", () => {
  const ckpt = join(runs, "tiny", "checkpoints", "classifier.best");
  for (const c of cases) {
    const path = join(corpus, c.name);
    const r = genrelab("classify", ckpt, path);
    assert.ok(r.rssMb < RSS_BOUND_MB, `${c.name}: peak RSS ${r.rssMb.toFixed(0)} MB`);
    if (!c.error) {
      assert.equal(r.status, 0, `${c.name}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^${path}: [a-z]+ \\d+\\.\\d%`), c.name);
      rows.set(c.name, { cli: "exit 0, a genre", http: "" });
      continue;
    }
    assert.equal(r.status, 1, `${c.name}: exit ${r.status}`);
    const lines = oneLine(r.stderr);
    assert.equal(lines.length, 1, `${c.name}: one line, got ${r.stderr}`);
    assert.ok(lines[0]!.startsWith(`genrelab: ${path}: `), `${c.name}: names the file: ${lines[0]}`);
    assert.match(lines[0]!, c.error, c.name);
    rows.set(c.name, { cli: `exit 1: ${shown(lines[0]!)}`, http: "" });
  }
});

test("HTTP classify: 200, or 400/413 with one line naming the upload; no upload left on disk", async () => {
  for (const c of cases) {
    const path = join(corpus, c.name);
    const st = lstatSync(path);
    const row = rows.get(c.name) ?? { cli: "", http: "" };
    rows.set(c.name, row);
    if (!st.isFile() || st.size > 8 * 2 ** 20) {
      row.http = "— (not a regular file of ≤ 8 MB: not uploaded)";
      continue;
    }
    const form = new FormData();
    form.append("run", "tiny");
    form.append("file", new Blob([readFileSync(path)]), c.name);
    const r = await fetch(`${base}/api/classify`, { method: "POST", body: form });
    const body = (await r.json()) as { genre?: string; error?: string };
    if (!c.error) {
      assert.equal(r.status, 200, `${c.name}: ${body.error}`);
      assert.ok(body.genre, c.name);
      row.http = "200, a genre";
      continue;
    }
    assert.ok([400, 413].includes(r.status), `${c.name}: status ${r.status} ${body.error}`);
    assert.equal(body.error!.includes("\n"), false);
    assert.ok(body.error!.startsWith(`${c.name}: `), `${c.name}: names the upload: ${body.error}`);
    assert.equal(/\/(tmp|work|root|home)\//.test(body.error!), false, `${c.name}: no server paths: ${body.error}`);
    row.http = `${r.status}: ${body.error}`;
  }
  assert.equal((await fetch(`${base}/api/runs`)).status, 200, "still serving");
  assert.deepEqual(tempsOf(), tempsBefore, "no upload folder left");
});

test("prepare: a data set holding the corpus skips each bad file with a line naming it", () => {
  const data = join(work, "prepare");
  const blues = join(data, "genres_original", "blues");
  mkdirSync(blues, { recursive: true });
  const wavs = cases.filter(
    (c) => c.name.endsWith(".wav") && lstatSync(join(corpus, c.name)).isFile() && c.name !== "two-hours.wav",
  );
  wavs.forEach((c, i) => copyFileSync(join(corpus, c.name), join(blues, `blues.${String(i).padStart(5, "0")}.wav`)));
  for (const genre of ["classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"]) {
    // GTZAN's other folders
    mkdirSync(join(data, "genres_original", genre));
    copyFileSync(join(corpus, "ok-16bit.wav"), join(data, "genres_original", genre, `${genre}.00000.wav`));
  }
  const r = genrelab("prepare", "--data", data, "--quiet");
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.rssMb < RSS_BOUND_MB);
  wavs.forEach((c, i) => {
    const id = `blues.${String(i).padStart(5, "0")}.wav`;
    const warned = r.stderr.split("\n").some((l) => l.includes(id));
    assert.equal(
      warned,
      c.error !== null,
      `${c.name} (${id}): ${c.error ? "must be skipped with a warning" : "must be kept"}`,
    );
  });
});

test("generate --seed-from a bad file: one line naming it", () => {
  const ckpt = join(runs, "tiny", "checkpoints", "generator-all.best");
  for (const name of ["ok-16bit.wav", "text.wav", "rate-4hz.wav", "nan.wav", "long.mp3"]) {
    const c = cases.find((x) => x.name === name)!;
    const r = genrelab(
      "generate",
      ckpt,
      "--seed-from",
      join(corpus, name),
      "--out",
      join(work, "gen"),
      "--seconds",
      "1",
      "--quiet",
    );
    assert.ok(r.rssMb < RSS_BOUND_MB, `${name}: ${r.rssMb} MB`);
    if (!c.error) {
      assert.equal(r.status, 0, r.stderr);
      continue;
    }
    assert.equal(r.status, 1, `${name}: ${r.stderr}`);
    assert.equal(oneLine(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, c.error);
    assert.ok(r.stderr.includes(join(corpus, name)));
  }
});

test("docs/RELIABILITY.md holds this corpus's table", () => {
  const cell = (s: string) => s.replaceAll("|", "\\|");
  const table = [
    "| file | what it is | expected | `genrelab classify` | `POST /api/classify` |",
    "|---|---|---|---|---|",
    ...cases.map(
      (c) =>
        `| ${c.name} | ${cell(c.what)} | ${c.error ? "refused" : "classified"} | ` +
        `${cell(rows.get(c.name)?.cli ?? "")} | ${cell(rows.get(c.name)?.http ?? "")} |`,
    ),
  ].join("\n");
  const begin = "<!-- corpus table: written by test/corpus/corpus.test.ts -->";
  const end = "<!-- end of corpus table -->";
  const current = readFileSync(doc, "utf8");
  const next = current.replace(new RegExp(`${begin}[\\s\\S]*${end}`), `${begin}\n${table}\n${end}`);
  if (process.env.GENRELAB_WRITE_DOCS === "1") writeFileSync(doc, next);
  else
    assert.equal(
      current,
      next,
      "docs/RELIABILITY.md is stale: GENRELAB_WRITE_DOCS=1 node scripts/run-tests.js test/corpus",
    );
});
