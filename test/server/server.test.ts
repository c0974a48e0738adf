// The dashboard: the real server on a free loopback port, its API and safety limits, the real pages in
// headless Chromium (screenshots under the test's output folder), and a bounded load test.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/server/app.js";
import { LOCK_FILE } from "../../src/util/lock.js";
import { headlessPage, needsChromium } from "../helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "genrelab-serve-"));
const data = join(work, "data");
const runs = join(work, "runs");
// GENRELAB_SCREENSHOTS=docs/images keeps them for the README.
const shots = process.env.GENRELAB_SCREENSHOTS ? resolve(process.env.GENRELAB_SCREENSHOTS) : join(work, "screenshots");
let app: FastifyInstance;
let base = "";
let knownSong = { path: "", genre: "" };
const python = "/usr/bin/python3";
const hasTorch = spawnSync(python, ["-c", "import torch, torchaudio"], { stdio: "ignore" }).status === 0;

before(async () => {
  const sh = (...args: string[]) => {
    const r = spawnSync(process.execPath, ["bin/genrelab.js", ...args], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  };
  sh("demo-data", "--out", data, "--songs", "3", "--seconds", "12", "--quiet");
  writeFileSync(join(work, "cfg.json"), JSON.stringify({ classifier: { epochs: 10 } }));
  sh("run", "--data", data, "--out", join(runs, "tiny"), "--quick", "--config", join(work, "cfg.json"), "--quiet");
  // A training song the model gets right: uploading it must give that genre.
  const ev = JSON.parse(readFileSync(join(runs, "tiny", "eval", "classifier-train.json"), "utf8")) as {
    songs: { id: string; label: string; predicted: string }[];
  };
  const right = ev.songs.find((s) => s.label === s.predicted)!;
  knownSong = { path: join(data, "genres_original", right.label, `${right.id}.wav`), genre: right.label };
  app = await buildServer({ runsDir: runs, uploadLimit: 1024 * 1024, webDir: join(root, "dist", "web") });
  base = await app.listen({ port: 0, host: "127.0.0.1" });
  mkdirSync(shots, { recursive: true });
});
after(async () => app?.close());

/** GET with the path sent exactly as written. */
const rawGet = (path: string): Promise<number> =>
  new Promise((ok, fail) => {
    const u = new URL(base);
    http
      .get({ host: u.hostname, port: u.port, path }, (res) => {
        res.resume();
        ok(res.statusCode ?? 0);
      })
      .on("error", fail);
  });

const upload = (
  file: Blob,
  name: string,
  fields: Record<string, string> = { run: "tiny", checkpoint: "checkpoints/classifier.best" },
) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", file, name);
  return fetch(`${base}/api/classify`, { method: "POST", body: form });
};

test("the API lists runs, details a run and its checkpoints", async () => {
  const list = await (await fetch(`${base}/api/runs`)).json();
  assert.equal(list.length, 1);
  assert.equal(list[0].name, "tiny");
  assert.equal(list[0].status, "done");
  const run = await (await fetch(`${base}/api/runs/tiny`)).json();
  assert.ok(run.metrics.classifier.length === 10);
  assert.equal(run.clips.length, 20);
  for (const f of [
    "checkpoints/classifier.best.safetensors",
    "checkpoints/generator-all.last.json",
    "metrics/classifier.jsonl",
    "eval/generated.json",
    "report/summary.json",
  ]) {
    assert.ok(run.downloads.includes(f), `${f} offered for download`);
  }
  for (const f of run.downloads as string[])
    assert.equal((await fetch(`${base}/files/tiny/${f}`, { method: "HEAD" })).status, 200, f);
  assert.equal((await fetch(`${base}/api/runs/nope`)).status, 404);
  assert.equal((await fetch(`${base}/api/runs/bad%20name`)).status, 400);
  const mel = await fetch(`${base}/api/runs/tiny/clips/jazz.0/mel.png`);
  assert.equal(mel.status, 200);
  assert.deepEqual([...new Uint8Array(await mel.arrayBuffer()).subarray(0, 4)], [137, 80, 78, 71]);
  assert.equal((await fetch(`${base}/api/runs/tiny/clips/jazz.9/mel.png`)).status, 404);
  assert.equal((await fetch(`${base}/api/runs/tiny/clips/x%2Fy/mel.png`)).status, 400);
  const cks = await (await fetch(`${base}/api/checkpoints`)).json();
  const generators = cks.filter((c: { kind: string }) => c.kind === "generator");
  assert.equal(generators.length, 1, "one genre-conditioned generator (genrelab's default recipe)");
  assert.equal(generators[0].genre, "all");
});

test("a run's status comes from its lock: running while its process lives, stopped once killed", async () => {
  const made: string[] = [];
  const fake = (name: string, pid: number | null) => {
    const dir = join(runs, name);
    mkdirSync(dir);
    made.push(dir);
    writeFileSync(join(dir, "config.json"), JSON.stringify({ data: "demo" }));
    if (pid !== null)
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, command: "run", startedAt: new Date().toISOString() }));
  };
  fake("live", process.pid);
  fake("killed", spawnSync("true").pid!);
  const status = Object.fromEntries(
    ((await (await fetch(`${base}/api/runs`)).json()) as { name: string; status: string }[]).map((r) => [
      r.name,
      r.status,
    ]),
  );
  for (const dir of made) rmSync(dir, { recursive: true });
  assert.deepEqual(status, { tiny: "done", live: "running", killed: "stopped" });
});

test("only files under the runs folder are served; traversal attempts are refused", async () => {
  assert.equal((await fetch(`${base}/files/tiny/config.json`)).status, 200);
  for (const path of [
    "/files/../package.json",
    "/files/%2e%2e/package.json",
    "/files/tiny/..%2f..%2fpackage.json",
    "/files/tiny/%2e%2e/%2e%2e/etc/passwd",
  ]) {
    const status = await rawGet(path); // fetch would normalise the "..", a browser or curl need not
    assert.ok([400, 404].includes(status), `${path} → ${status}`);
  }
  assert.equal((await fetch(`${base}/files/tiny/nothing.wav`)).status, 404);
  // Symbolic links that lead out of the runs folder: a file, a folder, a clip, a checkpoint.
  writeFileSync(join(work, "secret.txt"), "secret");
  symlinkSync(join(work, "secret.txt"), join(runs, "tiny", "report", "leak.txt"));
  symlinkSync(work, join(runs, "tiny", "outside"));
  symlinkSync(knownSong.path, join(runs, "tiny", "generated", "blues.7.wav"));
  for (const path of [
    "/files/tiny/report/leak.txt",
    "/files/tiny/outside/secret.txt",
    "/api/runs/tiny/clips/blues.7/mel.png",
  ]) {
    const r = await fetch(`${base}${path}`);
    assert.equal(r.status, 404, path);
    assert.equal((await r.text()).includes("secret"), false);
  }
  symlinkSync(
    join(runs, "tiny", "checkpoints", "classifier.best.json"),
    join(runs, "tiny", "checkpoints", "inside.json"),
  );
  symlinkSync(
    join(runs, "tiny", "checkpoints", "classifier.best.safetensors"),
    join(runs, "tiny", "checkpoints", "inside.safetensors"),
  );
  assert.equal(
    (await fetch(`${base}/files/tiny/checkpoints/inside.json`)).status,
    200,
    "a link within the folder is fine",
  );
});

test("a running run: its progress in the API, and its page's events stream each change until it stops", {
  timeout: 20_000,
}, async () => {
  const dir = join(runs, "live");
  mkdirSync(join(dir, "metrics"), { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify({ data: "demo" }));
  const row = (epoch: number) => `${JSON.stringify({ epoch, trainLoss: 2 / epoch, validLoss: 2.5 / epoch })}\n`;
  writeFileSync(join(dir, "metrics", "classifier.jsonl"), row(1));
  mkdirSync(join(dir, "stages"), { recursive: true });
  writeFileSync(
    join(dir, "stages", "progress.json"),
    JSON.stringify({
      stage: "classifier",
      done: 40,
      total: 400,
      note: "loss 1.000",
      etaSeconds: 90,
      updated: new Date().toISOString(),
    }),
  );
  // This process holds the run's lock, as `genrelab run` would.
  writeFileSync(
    join(dir, LOCK_FILE),
    JSON.stringify({ pid: process.pid, command: "run", startedAt: new Date().toISOString() }),
  );
  try {
    const details = await (await fetch(`${base}/api/runs/live`)).json();
    assert.equal(details.status, "running");
    assert.deepEqual([details.progress.stage, details.progress.done, details.progress.total], ["classifier", 40, 400]);
    const res = await fetch(`${base}/api/runs/live/events`);
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const reader = res.body!.getReader();
    let buffer = "";
    const next = async (): Promise<{ status: string; metrics: Record<string, unknown[]> } | null> => {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return JSON.parse(event.replace(/^data: /, ""));
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += new TextDecoder().decode(value);
      }
    };
    assert.equal((await next())!.metrics.classifier!.length, 1, "the run as it is");
    writeFileSync(join(dir, "metrics", "classifier.jsonl"), row(1) + row(2));
    assert.equal((await next())!.metrics.classifier!.length, 2, "a new epoch is sent");
    rmSync(join(dir, LOCK_FILE));
    assert.equal((await next())!.status, "stopped", "the run stopped");
    assert.equal(await next(), null, "and the stream ends");
    assert.equal((await (await fetch(`${base}/api/runs/live`)).json()).progress, null, "no progress once stopped");
    assert.equal((await fetch(`${base}/api/runs/nothing/events`)).status, 404);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "classify: the right genre for a known song; bad uploads get a 400 or 413 with one line, and the server keeps " +
    "running",
  async () => {
    const r = await upload(new Blob([readFileSync(knownSong.path)]), "song.wav");
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(body.genre, knownSong.genre);
    assert.equal(body.probabilities.length, 10);
    if (hasTorch) {
      // The same file through PyTorch and torchaudio alone (decoding, resampling, mel, network, vote).
      const py = spawnSync(
        python,
        ["test/fixtures/classify_reference.py", join(runs, "tiny", "checkpoints", "classifier.best"), knownSong.path],
        { cwd: root, encoding: "utf8" },
      );
      assert.equal(py.status, 0, py.stderr);
      const ref = JSON.parse(py.stdout) as { genre: string; probabilities: Record<string, number> };
      assert.equal(body.genre, ref.genre, "PyTorch names the same genre");
      for (const p of body.probabilities as { genre: string; probability: number }[]) {
        assert.ok(
          Math.abs(p.probability - ref.probabilities[p.genre]!) < 1e-3,
          `${p.genre}: ${p.probability} here, ${ref.probabilities[p.genre]} in PyTorch`,
        );
      }
    }
    assert.ok(body.windows.length >= 2);
    // `genrelab classify --json` gives the same shape and numbers (one entry a file).
    const cli = spawnSync(
      process.execPath,
      ["bin/genrelab.js", "classify", join(runs, "tiny", "checkpoints", "classifier.best"), knownSong.path, "--json"],
      { cwd: root, encoding: "utf8" },
    );
    assert.equal(cli.status, 0, cli.stderr);
    const [fromCli] = JSON.parse(cli.stdout) as Record<string, unknown>[];
    assert.equal(fromCli!.file, knownSong.path);
    assert.equal(body.file, "song.wav", "the upload's name");
    assert.deepEqual({ ...fromCli, file: "" }, { ...body, file: "" });
    const text = await upload(new Blob(["this is not audio"]), "notes.wav");
    assert.equal(text.status, 400);
    const err = (await text.json()).error as string;
    assert.match(err, /^notes\.wav: not a WAV file/);
    assert.equal(err.includes("\n"), false);
    const truncated = await upload(new Blob([readFileSync(knownSong.path).subarray(0, 3000)]), "cut.wav");
    assert.equal(truncated.status, 400);
    assert.match((await truncated.json()).error, /cut\.wav: truncated/);
    const big = await upload(new Blob([new Uint8Array(2 * 1024 * 1024)]), "big.wav");
    assert.equal(big.status, 413);
    assert.match((await big.json()).error, /upload too large \(limit 1 MB\)/);
    const badCk = await upload(new Blob([readFileSync(knownSong.path)]), "song.wav", {
      run: "tiny",
      checkpoint: "../../etc/passwd",
    });
    assert.equal(badCk.status, 400);
    assert.equal((await fetch(`${base}/api/runs`)).status, 200, "still serving");
    // Malformed requests: a 4xx with one line that shows nothing of the server's files.
    const malformed = await fetch(`${base}/api/classify`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF',
    });
    const m = await malformed.json();
    assert.equal(malformed.status, 400, JSON.stringify(m));
    assert.equal(/\/(tmp|work|root|home)\b|\n/.test(m.error), false, m.error);
    const json = await fetch(`${base}/api/generate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ run: "x".repeat(2 * 1024 * 1024) }),
    });
    assert.equal(json.status, 413);
    assert.match((await json.json()).error, /request body too large \(limit 1 MB\)/);
  },
);

test("a killed server's upload folder is removed when a server starts", async () => {
  const stale = join(tmpdir(), `genrelab-upload-${spawnSync("true").pid}-abcdef`);
  mkdirSync(stale);
  writeFileSync(join(stale, "upload.wav"), "x");
  const other = await buildServer({ runsDir: runs });
  await other.close();
  assert.equal(existsSync(stale), false);
});

test("generate writes a new clip from a held-out seed", async () => {
  const r = await fetch(`${base}/api/generate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ run: "tiny", checkpoint: "checkpoints/generator-all.best", genre: "jazz", seconds: 1 }),
  });
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal((await fetch(`${base}${body.wav}`)).status, 200);
  const wrong = await fetch(`${base}/api/generate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ run: "tiny", checkpoint: "checkpoints/generator-all.best", genre: "polka" }),
  });
  assert.equal(wrong.status, 400);
  const typo = await fetch(`${base}/api/generate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ run: "tiny", checkpoint: "checkpoints/generator-all.best", genre: "jazz", second: 1 }),
  });
  assert.equal(typo.status, 400);
  assert.match((await typo.json()).error, /must NOT have additional properties/);
});

test(
  "generate from a chosen held-out song and place; the dashboard's clips are listed; checkpoints say their " +
    "temperature",
  async () => {
    const post = (extra: object) =>
      fetch(`${base}/api/generate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          run: "tiny",
          checkpoint: "checkpoints/generator-all.best",
          genre: "jazz",
          seconds: 1,
          ...extra,
        }),
      });
    const seeds = (await (await fetch(`${base}/api/runs/tiny/seeds?genre=jazz`)).json()) as { id: string }[];
    assert.ok(seeds.length >= 1 && seeds.every((s) => s.id.startsWith("jazz.")), JSON.stringify(seeds));
    const r = await post({ seedSong: seeds[0]!.id, offset: 2.5 });
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.ok(body.seedFile.endsWith(`${seeds[0]!.id}.wav`), body.seedFile);
    assert.equal(body.seedOffsetSeconds, 2.5);
    const notHeldOut = await post({ seedSong: "jazz.99999" });
    assert.equal(notHeldOut.status, 400);
    assert.match((await notHeldOut.json()).error, /'jazz\.99999' is not a held-out jazz song of this run/);
    const late = await post({ seedSong: seeds[0]!.id, offset: 11.5 });
    assert.equal(late.status, 400);
    assert.match((await late.json()).error, /offset 11\.5 s: the seed \(0\.9 s\) must start by 11\.1 s/);
    const served = (await (await fetch(`${base}/api/runs/tiny/served`)).json()) as {
      genre: string;
      wav: string;
      seedOffsetSeconds: number;
    }[];
    assert.equal(served[0]!.seedOffsetSeconds, 2.5, "newest first");
    assert.equal(
      (await fetch(`${base}/files/tiny/${served[0]!.wav.split("/").map(encodeURIComponent).join("/")}`)).status,
      200,
    );
    assert.equal((await fetch(`${base}/api/runs/nope/served`)).status, 404);
    const cks = (await (await fetch(`${base}/api/checkpoints`)).json()) as {
      run: string;
      kind: string;
      temperature: number | null;
    }[];
    // The token model's own temperature, kept in its checkpoint (the genrelab preset's: 1.05).
    assert.deepEqual(
      cks
        .filter((c) => c.run === "tiny")
        .map((c) => [c.kind, c.temperature])
        .sort(),
      [
        ["classifier", null],
        ["generator", 1.05],
      ],
    );
  },
);

/** `genrelab serve` in its own process (as users run it), its address, and its resident memory in MB. */
async function serveProcess(): Promise<{ address: string; rssMb: () => number; stop: () => void }> {
  const child = spawn(process.execPath, ["bin/genrelab.js", "serve", "--runs", runs, "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const address = await new Promise<string>((done, fail) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /on (http:\/\/[\d.:]+)/.exec(out);
      if (m) done(m[1]!);
    });
    child.on("exit", (code) => fail(new Error(`serve exited ${code}`)));
  });
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024;
  return { address, rssMb, stop: () => child.kill("SIGTERM") };
}

test("load: 200 concurrent classify requests; other pages stay fast and memory returns", async () => {
  const server = await serveProcess();
  try {
    // The 200 uploads come from another process, so this one's event loop measures only the server.
    const loader = `
      const bytes = require("node:fs").readFileSync(${JSON.stringify(knownSong.path)});
      const one = async () => {
        const form = new FormData();
        form.append("run", "tiny");
        form.append("checkpoint", "checkpoints/classifier.best");
        form.append("file", new Blob([bytes]), "song.wav");
        const r = await fetch("${server.address}/api/classify", { method: "POST", body: form });
        await r.arrayBuffer();
        return r.status;
      };
      const n = Number(process.argv[1]);
      Promise.all(Array.from({ length: n }, one)).then((s) => console.log(JSON.stringify(s)));`;
    const load = (n: number) =>
      new Promise<number[]>((done, fail) => {
        const child = spawn(process.execPath, ["-e", loader, String(n)], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout!.on("data", (d) => (out += d));
        child.on("exit", (code) =>
          code === 0 ? done(JSON.parse(out) as number[]) : fail(new Error(`loader exit ${code}`)),
        );
      });
    // Warm-up: the worker, the model and the heaps' working size; the baseline is this steady state.
    assert.deepEqual(await load(20), Array(20).fill(200));
    const rss0 = server.rssMb();
    const getTimes: number[] = [];
    let loading = true;
    const pinger = (async () => {
      while (loading) {
        const t = performance.now();
        const r = await fetch(`${server.address}/api/runs`);
        await r.arrayBuffer();
        assert.equal(r.status, 200);
        getTimes.push(performance.now() - t);
        await new Promise((done) => setTimeout(done, 100));
      }
    })();
    const t0 = performance.now();
    const statuses = await load(200);
    const seconds = (performance.now() - t0) / 1000;
    loading = false;
    await pinger;
    const peak = server.rssMb();
    assert.deepEqual([...new Set(statuses)], [200]);
    getTimes.sort((a, b) => a - b);
    const p99 = getTimes[Math.min(getTimes.length - 1, Math.floor(getTimes.length * 0.99))]!;
    let rss = server.rssMb();
    for (let i = 0; i < 80 && rss - rss0 >= 100; i++) {
      // up to 20 s for the heaps to shrink when idle
      await new Promise((done) => setTimeout(done, 250));
      rss = server.rssMb();
    }
    console.log(
      `# load: 200 classify requests in ${seconds.toFixed(1)} s; ${getTimes.length} GETs meanwhile, p99 ` +
        `${p99.toFixed(0)} ms; server RSS ${rss0.toFixed(0)} → ${peak.toFixed(0)} → ${rss.toFixed(0)} MB`,
    );
    assert.ok(getTimes.length >= 3, "GETs were answered during the load");
    assert.ok(p99 < 250, `GET p99 ${p99.toFixed(0)} ms during the load`);
    assert.ok(rss - rss0 < 100, `server RSS stayed ${(rss - rss0).toFixed(0)} MB above its baseline`);
  } finally {
    server.stop();
  }
});

test("a full queue answers 429 with Retry-After", async () => {
  const small = await buildServer({ runsDir: runs, queue: { jobs: 2, bytes: 2 ** 30 } });
  const address = await small.listen({ port: 0, host: "127.0.0.1" });
  try {
    const form = () => {
      const f = new FormData();
      f.append("run", "tiny");
      f.append("checkpoint", "checkpoints/classifier.best");
      f.append("file", new Blob([readFileSync(knownSong.path)]), "song.wav");
      return f;
    };
    const rs = await Promise.all(
      Array.from({ length: 6 }, () => fetch(`${address}/api/classify`, { method: "POST", body: form() })),
    );
    const statuses = rs.map((r) => r.status).sort();
    assert.ok(statuses.includes(200) && statuses.includes(429), statuses.join(","));
    const busy = rs.find((r) => r.status === 429)!;
    assert.ok(Number(busy.headers.get("retry-after")) >= 1);
    assert.match((await busy.json()).error, /^busy: \d+ jobs queued; try again shortly$/);
  } finally {
    await small.close();
  }
});

test("the real pages in headless Chromium: runs list, run view with curves and a playing clip, classify upload and " +
  "its error", {
  skip: needsChromium,
}, async () => {
  const { browser, page, errors } = await headlessPage();
  try {
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().includes("status of 400")) errors.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() === 404) errors.push(`404 ${r.url()}`);
    });

    await page.goto(`${base}/#/`);
    await page.waitForSelector("#runs td a");
    assert.equal(await page.textContent("#runs td a"), "tiny");
    await page.screenshot({ path: join(shots, "runs.png") });

    const wavs: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith(".wav")) wavs.push(r.url());
    });
    await page.click("#runs td a");
    await page.waitForSelector("figure.chart[aria-label='Generator all'] .mark-line path");
    // Down past every clip: no audio is fetched before a player plays.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(300);
    assert.equal(wavs.length, 0, `no audio fetched before a player plays: ${wavs.join(", ")}`);
    assert.ok((await page.locator("#curves figure.chart svg").count()) >= 5, "training curves");
    assert.equal(
      await page.locator("figure.chart[aria-label='Generator all'] .mark-line path").count(),
      2,
      "the token model's train and validation losses",
    );
    assert.equal(
      await page.locator("figure.chart[aria-label^='Held-out test songs'] .mark-rect.role-mark path").count(),
      100,
      "a 10 × 10 confusion matrix",
    );
    // Hovering a step chart shows the nearest step's losses; the smoothing slider redraws it.
    const steps = page.locator("figure.chart[aria-label='Generator training loss per step'] svg");
    await steps.scrollIntoViewIfNeeded();
    const box = (await steps.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.waitForSelector("#vg-tooltip-element.visible");
    assert.match((await page.textContent("#vg-tooltip-element"))!, /^step\d+epoch\d+all\d/);
    await page.screenshot({ path: join(shots, "run-curves.png") });
    const smoothedLine = () =>
      page
        .locator("figure.chart[aria-label='Generator training loss per step'] .mark-line path")
        .nth(1)
        .getAttribute("d");
    const before = await smoothedLine();
    await page.locator("#smoothing").fill("0.95");
    await page.waitForFunction(
      (d) =>
        document
          .querySelectorAll("figure.chart[aria-label='Generator training loss per step'] .mark-line path")[1]
          ?.getAttribute("d") !== d,
      before,
    );
    assert.equal(await page.textContent("#smoothing-value"), "0.95");
    assert.equal(await page.getAttribute("nav a[href='#/']", "aria-current"), "page", "a run's page is under Runs");
    assert.ok((await page.locator("#downloads a[download]").count()) >= 5, "download links");
    const played = await page.evaluate(async () => {
      const a = document.querySelector("audio.gen") as HTMLAudioElement;
      a.muted = true;
      await a.play();
      await new Promise((ok) => setTimeout(ok, 400));
      return a.currentTime;
    });
    assert.ok(played > 0, "a generated clip plays");
    await page.waitForSelector("#wave-0 div", { state: "attached" });
    assert.ok(
      wavs.length > 0 && wavs.every((u) => u.endsWith("/blues.0.wav")),
      "its audio, and only its, fetched, and its waveform drawn",
    );
    await page.locator("img.mel").first().scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>("img.mel")]
        .slice(0, 2)
        .every((i) => i.complete && i.naturalWidth > 0),
    );
    await page.screenshot({ path: join(shots, "run.png") });
    // A phone's width: charts and figures shrink to fit, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.waitForTimeout(200);
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= 390),
      "no horizontal overflow at 390 px",
    );
    await page.setViewportSize({ width: 1280, height: 900 });

    // Compare: a copy of the run with another learning rate, chosen with its checkbox beside the first.
    cpSync(join(runs, "tiny"), join(runs, "tiny-b"), { recursive: true });
    const cfg = JSON.parse(readFileSync(join(runs, "tiny-b", "config.json"), "utf8"));
    cfg.classifier.lr = 0.5;
    writeFileSync(join(runs, "tiny-b", "config.json"), JSON.stringify(cfg));
    await page.goto(`${base}/#/`);
    await page.waitForSelector("#runs input.pick");
    assert.equal(await page.isDisabled("#compare"), true, "two runs are needed");
    await page.getByLabel("compare tiny", { exact: true }).check();
    await page.getByLabel("compare tiny-b").check();
    await page.click("#compare");
    await page.waitForSelector("#settings");
    assert.deepEqual(
      await page.locator("#settings tr.diff th").allTextContents(),
      ["classifier.lr"],
      "the one setting that differs, first",
    );
    assert.ok((await page.locator("#settings tr.same").count()) > 20);
    await page.waitForSelector("figure.chart[aria-label='Classifier: validation song accuracy'] .mark-line path");
    assert.equal(
      await page.locator("figure.chart[aria-label='Classifier: validation song accuracy'] .mark-line path").count(),
      2,
      "one line per run",
    );
    await page.getByLabel("only the differences").check();
    assert.equal(await page.locator("#settings tr.same").first().isVisible(), false);
    assert.equal(await page.locator("#numbers th[scope=row]").first().textContent(), "status");
    await page.screenshot({ path: join(shots, "compare.png") });
    rmSync(join(runs, "tiny-b"), { recursive: true });

    await page.goto(`${base}/#/classify`);
    await page.waitForSelector("#classify");
    assert.equal(await page.getAttribute("nav a[href='#/classify']", "aria-current"), "page");
    assert.equal(await page.getAttribute("nav a[href='#/']", "aria-current"), null);
    await page.getByLabel("audio file").setInputFiles(knownSong.path);
    assert.equal(await page.getByLabel("checkpoint").count(), 1, "labelled controls");
    await page.click("button[type=submit]");
    await page.waitForSelector("#genre");
    assert.match((await page.textContent("#genre"))!, new RegExp(`^${knownSong.genre}`));
    await page.screenshot({ path: join(shots, "classify.png") });

    const bad = join(work, "bad.wav");
    writeFileSync(bad, "definitely not audio");
    await page.setInputFiles("input[type=file]", bad);
    await page.click("button[type=submit]");
    await page.waitForSelector("#result .error");
    assert.match((await page.textContent("#result .error"))!, /bad\.wav: not a WAV file/);
    await page.screenshot({ path: join(shots, "classify-error.png") });

    await page.goto(`${base}/#/generate`);
    await page.waitForSelector("#generate");
    await page.waitForFunction(
      () => (document.querySelector("select[name=seedSong]") as HTMLSelectElement).options.length > 1,
    );
    await page.selectOption("select[name=seedSong]", { index: 1 });
    await page.getByLabel("seed at (s)").fill("1.5");
    assert.equal(await page.getByLabel("temperature").isDisabled(), false, "the token model draws");
    await page.click("button[type=submit]");
    await page.waitForSelector("#generated", { timeout: 30_000 });
    assert.match((await page.textContent("#result"))!, /at 1\.5 s/);
    await page.waitForFunction(() => document.querySelectorAll("#served audio").length > 0);
    await page.screenshot({ path: join(shots, "generate.png") });
    assert.deepEqual(errors, []);
    for (const f of ["runs", "run", "run-curves", "compare", "classify", "classify-error", "generate"])
      assert.ok(existsSync(join(shots, `${f}.png`)));
  } finally {
    await browser.close();
  }
});

test("a running run followed live in Chromium: the list and the run page change as the run writes, without a reload", {
  skip: needsChromium,
  timeout: 60_000,
}, async () => {
  const dir = join(runs, "live-page");
  const lock = join(dir, LOCK_FILE);
  const hold = () =>
    writeFileSync(lock, JSON.stringify({ pid: process.pid, command: "run", startedAt: new Date().toISOString() }));
  const row = (epoch: number) =>
    JSON.stringify({
      epoch,
      trainLoss: 2 / epoch,
      validLoss: 2.5 / epoch,
      trainAccuracy: 0.2 * epoch,
      validWindowAccuracy: 0.1 * epoch,
      validSongAccuracy: 0.1 * epoch,
    });
  const progress = (done: number) =>
    writeFileSync(
      join(dir, "stages", "progress.json"),
      JSON.stringify({
        stage: "classifier",
        done,
        total: 400,
        note: `loss ${(2 / done).toFixed(3)}`,
        etaSeconds: 90,
        updated: new Date().toISOString(),
      }),
    );
  for (const d of ["metrics", "stages", "generated"]) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify({ data: "demo" }));
  writeFileSync(join(dir, "metrics", "classifier.jsonl"), `${row(1)}\n`);
  progress(40);
  hold();
  const { browser, page, errors } = await headlessPage();
  try {
    const statusCell = "#runs tr:has(a[href='#/run/live-page']) td[class^=status]";
    await page.goto(`${base}/#/`);
    await page.waitForSelector(statusCell);
    assert.equal(await page.textContent(statusCell), "running");
    // A reload would lose this mark: every change below must reach the page through its event stream.
    await page.evaluate(() => {
      (window as unknown as { mark: number }).mark = 1;
    });

    await page.click("a[href='#/run/live-page']");
    // One epoch is one point: a line of no length, there but not visible.
    await page.waitForSelector("figure.chart[aria-label='Classifier loss'] .mark-line path", { state: "attached" });
    assert.match((await page.textContent("#progress"))!, /classifier · 40 \/ 400/);
    const line = () => page.getAttribute("figure.chart[aria-label='Classifier loss'] .mark-line path", "d");
    const oneEpoch = await line();
    writeFileSync(join(dir, "metrics", "classifier.jsonl"), `${row(1)}\n${row(2)}\n`);
    progress(80);
    await page.waitForFunction(() => /80 \/ 400/.test(document.getElementById("progress")!.textContent!));
    await page.waitForFunction(
      (d) =>
        document.querySelector("figure.chart[aria-label='Classifier loss'] .mark-line path")?.getAttribute("d") !== d,
      oneEpoch,
    );
    assert.notEqual(await line(), oneEpoch, "the new epoch is drawn");

    // New clips appear: the run's generate stage writes them and their index.
    assert.equal(await page.locator("#clips .clip").count(), 0);
    for (const f of ["jazz.0.wav", "jazz.0.seed.wav"])
      cpSync(join(runs, "tiny", "generated", f), join(dir, "generated", f));
    writeFileSync(
      join(dir, "generated", "clips.json"),
      JSON.stringify([{ genre: "jazz", name: "jazz.0", realWav: null }]),
    );
    await page.waitForSelector("#clips .clip audio.gen");
    assert.equal(await page.locator("#clips .clip").count(), 1);

    // The run stops (its lock goes): the page says so and is drawn afresh.
    rmSync(lock);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "stopped");
    assert.equal(await page.textContent("#progress"), "", "no progress once stopped");

    await page.click("nav a[href='#/']");
    await page.waitForSelector(statusCell);
    assert.equal(await page.textContent(statusCell), "stopped");
    await page.getByLabel("compare live-page").check();
    hold(); // resumed
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "running", statusCell);
    assert.equal(await page.getByLabel("compare live-page").isChecked(), true, "a ticked run stays ticked");
    rmSync(lock);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "stopped", statusCell);
    assert.equal(await page.evaluate(() => (window as unknown as { mark?: number }).mark), 1, "never reloaded");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a real --quick run followed live in Chromium, then killed: its page draws each epoch and says stopped, without " +
  "a reload", {
  skip: needsChromium,
  timeout: 120_000,
}, async () => {
  const out = join(runs, "quick-live");
  writeFileSync(join(work, "long.json"), JSON.stringify({ classifier: { epochs: 500 } }));
  const child = spawn(
    process.execPath,
    ["bin/genrelab.js", "run", "--data", data, "--out", out, "--quick", "--config", join(work, "long.json"), "--quiet"],
    { cwd: root, stdio: "ignore" },
  );
  const { browser, page, errors } = await headlessPage();
  try {
    await page.goto(`${base}/#/`);
    await page.evaluate(() => {
      (window as unknown as { mark: number }).mark = 1;
    });
    // The run appears in the open list by itself, running.
    const link = "a[href='#/run/quick-live']";
    await page.waitForSelector(link, { timeout: 60_000 });
    await page.waitForFunction(
      () =>
        document.querySelector("#runs tr:has(a[href='#/run/quick-live']) td[class^=status]")?.textContent === "running",
    );
    await page.click(link);
    await page.waitForFunction(
      () => /^classifier · \d+ \/ \d+/.test(document.getElementById("progress")?.textContent ?? ""),
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForSelector("figure.chart[aria-label='Classifier loss'] .mark-line path", {
      state: "attached",
      timeout: 60_000,
    });
    const first = await page.textContent("#progress");
    await page.waitForFunction((p) => document.getElementById("progress")?.textContent !== p, first);
    // More epochs drawn as they are logged.
    const path = () => page.getAttribute("figure.chart[aria-label='Classifier loss'] .mark-line path", "d");
    const before = await path();
    await page.waitForFunction(
      (d) =>
        document.querySelector("figure.chart[aria-label='Classifier loss'] .mark-line path")?.getAttribute("d") !== d,
      before,
      { timeout: 30_000 },
    );
    child.kill("SIGKILL");
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "stopped", undefined, {
      timeout: 15_000,
    });
    assert.equal(await page.evaluate(() => (window as unknown as { mark?: number }).mark), 1, "never reloaded");
    assert.deepEqual(errors, []);
  } finally {
    child.kill("SIGKILL");
    await browser.close();
    rmSync(out, { recursive: true, force: true });
  }
});
