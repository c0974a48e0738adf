// `genrelab run` end to end on a tiny demo set: the run folder, the report's figures and links, a run
// killed mid-training and resumed, and the report in headless Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "genrelab-run-"));
const data = join(work, "data");
const genrelab = (...args: string[]) => spawnSync(process.execPath, ["bin/genrelab.js", ...args], { cwd: root, encoding: "utf8" });

test("setup: a tiny demo set (3 songs of 12 s per genre)", () => {
  const r = genrelab("demo-data", "--out", data, "--songs", "3", "--seconds", "12", "--quiet");
  assert.equal(r.status, 0, r.stderr);
});

function checkImage(path: string): void {
  const bytes = readFileSync(path);
  if (path.endsWith(".png")) {
    assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${path} is a PNG`);
    assert.ok(bytes.readUInt32BE(16) > 10 && bytes.readUInt32BE(20) > 10, `${path} has a size`);
  } else {
    const text = bytes.toString("utf8");
    assert.match(text, /^<svg[^>]+width="\d+(\.\d+)?"/, `${path} is an SVG with a size`);
    assert.match(text, /<\/svg>\s*$/);
  }
}

test("run --quick writes the whole run folder and a report whose figures and links resolve", () => {
  const out = join(work, "quick");
  const r = genrelab("run", "--data", data, "--out", out, "--quick", "--quiet");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /report: .*index\.html/);
  for (const f of ["config.json", "eval/data.json", "eval/classifier-train.json", "eval/classifier-test.json", "eval/generated.json", "report/summary.json", "checkpoints/classifier.best.safetensors"]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  assert.deepEqual(readdirSync(join(out, "metrics")).sort(), ["classifier.jsonl", "generator-all.jsonl"], "the classifier and one genre-conditioned generator");
  const clips = readdirSync(join(out, "generated")).filter((f) => /^[a-z]+\.\d+\.wav$/.test(f));
  assert.equal(clips.length, 20, "2 clips per genre");
  for (const c of clips) assert.ok(existsSync(join(out, "generated", c.replace(".wav", ".json"))) && existsSync(join(out, "generated", c.replace(".wav", ".seed.wav"))));
  const figures = readdirSync(join(out, "report", "figures"));
  assert.ok(figures.length >= 30, `${figures.length} figures`);
  figures.forEach((f) => checkImage(join(out, "report", "figures", f)));
  const html = readFileSync(join(out, "report", "index.html"), "utf8");
  const links = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
  assert.ok(links.length >= 30 + 60, `${links.length} links`);
  for (const link of links) assert.ok(existsSync(resolve(join(out, "report"), link)), `broken link ${link}`);
  const summary = JSON.parse(readFileSync(join(out, "report", "summary.json"), "utf8"));
  assert.equal(summary.generated.perGenre.length, 10);
  assert.ok(summary.classifier.test.songAccuracy >= 0 && summary.classifier.test.songAccuracy <= 1);
  const again = genrelab("run", "--data", data, "--out", out, "--quick");
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already holds a run; add --resume/);
});

test("a run killed mid-training (SIGKILL) completes with --resume", async () => {
  const out = join(work, "killed");
  const config = join(work, "long.json");
  writeFileSync(config, JSON.stringify({ classifier: { epochs: 25 } }));
  const metrics = join(out, "metrics", "classifier.jsonl");
  const child = spawn(process.execPath, ["bin/genrelab.js", "run", "--data", data, "--out", out, "--quick", "--config", config, "--quiet"], { cwd: root, stdio: "ignore" });
  const exited = new Promise<void>((ok) => child.on("exit", () => ok()));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (existsSync(metrics) && readFileSync(metrics, "utf8").trim().split("\n").length >= 3) break;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  child.kill("SIGKILL");
  await exited;
  const before = readFileSync(metrics, "utf8").trim().split("\n").length;
  assert.ok(before >= 3 && before < 25, `killed after ${before} epochs`);
  assert.equal(existsSync(join(out, "report", "index.html")), false);
  const r = genrelab("run", "--data", data, "--out", out, "--resume", "--quiet");
  assert.equal(r.status, 0, r.stderr);
  const epochs = readFileSync(metrics, "utf8").trim().split("\n").map((l) => JSON.parse(l).epoch);
  assert.deepEqual(epochs, Array.from({ length: 25 }, (_, i) => i + 1), "every epoch once, in order");
  assert.ok(existsSync(join(out, "report", "index.html")));
  assert.equal(readdirSync(dirname(metrics)).filter((f) => f.includes(".tmp")).length, 0);
});

const chromium = "/usr/bin/chromium";
test("the report shows every figure and player in headless Chromium with no console errors", { skip: existsSync(chromium) ? false : "needs Debian's chromium (make test installs it)" }, async () => {
  const { chromium: pw } = await import("playwright-core");
  const out = join(work, "quick");
  const browser = await pw.launch({ executablePath: chromium, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const errors: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`file://${join(out, "report", "index.html")}`);
    await page.waitForLoadState("load");
    const images = await page.evaluate(() => [...document.images].map((i) => ({ src: i.src, ok: i.complete && i.naturalWidth > 0 })));
    assert.ok(images.length >= 30);
    assert.deepEqual(images.filter((i) => !i.ok), []);
    const players = await page.evaluate(() => document.querySelectorAll("audio").length);
    assert.ok(players >= 20 * 2 + 1, `${players} players`);
    const duration = await page.evaluate(async () => {
      const a = document.querySelector("table.players audio") as HTMLAudioElement;
      a.preload = "auto";
      a.load();
      await new Promise((ok) => a.addEventListener("loadedmetadata", ok, { once: true }));
      return a.duration;
    });
    assert.ok(Math.abs(duration - 0.9) < 0.05, `the seed plays (${duration} s)`);
    await page.screenshot({ path: join(out, "report", "screenshot.png"), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
