// Decoding on several processes: the same samples as in one process, a broken file fails alone, and a
// `prepare` killed mid-way resumes from what it had decoded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeWav16 } from "../../src/audio/index.js";
import { demoSong, loadDataset } from "../../src/data/index.js";
import { writeCollection } from "../helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

test("two decoding processes give the same songs as one, and a broken file is skipped alone", async () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-pool-"));
  writeCollection(dir, 2, 3);
  writeFileSync(join(dir, "zz organ", "broken.mp3"), Buffer.from("ID3\x03\x00\x00\x00\x00\x00\x00not an mp3"));
  const one = await loadDataset(dir, { cacheDir: join(dir, ".one"), jobs: 1 });
  const warnings: string[] = [];
  let progress = 0;
  const two = await loadDataset(dir, {
    cacheDir: join(dir, ".two"),
    jobs: 2,
    onWarning: (w) => warnings.push(w),
    onProgress: (d) => {
      progress = d;
    },
  });
  assert.equal(two.songs.length, 27, "24 songs and 3 tones");
  assert.equal(progress, 28);
  assert.deepEqual(
    two.songs.map((s) => s.track.id),
    one.songs.map((s) => s.track.id),
  );
  two.songs.forEach((s, i) => assert.deepEqual(s.samples, one.songs[i]!.samples, s.track.id));
  assert.deepEqual(
    two.skipped.map((s) => s.path),
    [join(dir, "zz organ", "broken.mp3")],
  );
  assert.equal(warnings.length, 1);
  assert.deepEqual(two.duplicates, [], "no two files alike");
});

test("the same file twice is reported as a duplicate", async () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-dup-"));
  for (const label of ["a", "b"]) mkdirSync(join(dir, label));
  const song = encodeWav16(demoSong(0, 0, { seconds: 1, sampleRate: 22050, seed: 0 }), 22050);
  writeFileSync(join(dir, "a", "x.wav"), song);
  writeFileSync(join(dir, "b", "copy of x.wav"), song);
  writeFileSync(
    join(dir, "b", "y.wav"),
    encodeWav16(demoSong(1, 0, { seconds: 1, sampleRate: 22050, seed: 0 }), 22050),
  );
  const data = await loadDataset(dir, { cacheDir: join(dir, ".c"), jobs: 1 });
  assert.deepEqual(data.duplicates, [["a/x.wav", "b/copy of x.wav"]]);
});

test("prepare killed mid-way (SIGKILL) continues where it stopped", async () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-resume-"));
  for (let k = 0; k < 48; k++) {
    mkdirSync(join(dir, `label ${k % 2}`), { recursive: true });
    writeFileSync(
      join(dir, `label ${k % 2}`, `${k}.wav`),
      encodeWav16(demoSong(k % 10, k, { seconds: 30, sampleRate: 22050, seed: 0 }), 22050),
    );
  }
  const cache = join(dir, ".genrelab-cache");
  const entries = (): string[] => {
    try {
      return readdirSync(cache).flatMap((d) =>
        readdirSync(join(cache, d))
          .filter((f) => f.endsWith(".i16"))
          .map((f) => join(cache, d, f)),
      );
    } catch {
      return [];
    }
  };
  const child = spawn(process.execPath, ["bin/genrelab.js", "prepare", "--data", dir, "--jobs", "2", "--quiet"], {
    cwd: root,
    stdio: "ignore",
  });
  const exited = new Promise<void>((ok) => child.on("exit", () => ok()));
  const deadline = Date.now() + 60_000;
  while (entries().length < 8 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 10));
  child.kill("SIGKILL");
  await exited;
  // The decoding processes go with their parent (their IPC channel closes).
  const alive = () => spawnSync("pgrep", ["-f", `decode-worker.js ${cache}`]).status === 0;
  for (let t = 0; alive() && t < 100; t++) await new Promise((ok) => setTimeout(ok, 50));
  assert.ok(!alive(), "no decoding process outlives a killed prepare");
  const before = new Map(entries().map((f) => [f, statSync(f).mtimeMs]));
  assert.ok(before.size >= 8 && before.size < 48, `killed after ${before.size} of 48 files`);
  const again = spawnSync(process.execPath, ["bin/genrelab.js", "prepare", "--data", dir, "--jobs", "2", "--quiet"], {
    cwd: root,
    encoding: "utf8",
  });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /48 found, 48 decoded/);
  const after = entries();
  assert.equal(after.length, 48);
  for (const [f, t] of before) assert.equal(statSync(f).mtimeMs, t, `${f} was decoded again`);
});
