// Stopping genrelab: the worker dies with its launcher, a run folder has one writer, and signals end
// with the shell's exit codes and a line on what was kept.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { processAlive } from "../../src/util/fs.js";
import { LOCK_FILE } from "../../src/util/lock.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "genrelab-signals-"));
const data = join(work, "data");
// As a user starts it: without the tuned environment the test runner has, so the launcher re-executes.
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "GENRELAB_NATIVE_ENV"));

before(() => {
  const r = spawnSync(
    process.execPath,
    ["bin/genrelab.js", "demo-data", "--out", data, "--songs", "3", "--seconds", "6", "--quiet"],
    { cwd: root, encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
});

/** A long training run through the launcher, and the pid of its worker once it holds the folder's lock. */
async function startTraining(
  out: string,
): Promise<{ launcher: ChildProcess; worker: number; exit: Promise<{ code: number | null; stderr: string }> }> {
  const args = ["train-classifier", "--data", data, "--out", out, "--epochs", "1000", "--patience", "0", "--quiet"];
  const launcher = spawn(process.execPath, ["bin/genrelab.js", ...args], {
    cwd: root,
    env: userEnv,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  launcher.stderr!.on("data", (d) => (stderr += d));
  const exit = new Promise<{ code: number | null; stderr: string }>((done) =>
    launcher.on("exit", (code) => done({ code, stderr })),
  );
  const lock = join(out, LOCK_FILE);
  for (let i = 0; i < 600 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
  const worker = (JSON.parse(readFileSync(lock, "utf8")) as { pid: number }).pid;
  assert.notEqual(worker, launcher.pid, "the launcher re-executes itself: the worker is its child");
  // Training is under way (an epoch's metrics line is written), so the worker is busy, not starting.
  for (let i = 0; i < 600 && !existsSync(join(out, "metrics", "classifier.jsonl")); i++)
    await new Promise((r) => setTimeout(r, 50));
  assert.ok(processAlive(worker), stderr);
  return { launcher, worker, exit };
}

const gone = async (pid: number, ms: number): Promise<boolean> => {
  for (let t = 0; t < ms; t += 50) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
};

test("kill -9 of the launcher takes its worker with it", async () => {
  const { launcher, worker } = await startTraining(join(work, "orphan"));
  launcher.kill("SIGKILL");
  assert.ok(await gone(worker, 5000), `worker ${worker} outlived its launcher`);
});

test("a second writer of a run folder is refused, naming the holder", async () => {
  const out = join(work, "locked");
  const { launcher, worker, exit } = await startTraining(out);
  const second = spawnSync(
    process.execPath,
    ["bin/genrelab.js", "train-classifier", "--data", data, "--out", out, "--epochs", "1", "--resume", "--quiet"],
    { cwd: root, env: userEnv, encoding: "utf8" },
  );
  assert.equal(second.status, 1);
  assert.match(
    second.stderr.trim(),
    new RegExp(
      `^genrelab: ${out} is in use by another genrelab \\(pid ${worker}: train-classifier, since .+\\); wait for it ` +
        "or stop it$",
    ),
  );
  launcher.kill("SIGTERM");
  const { code, stderr } = await exit;
  assert.equal(code, 143, "SIGTERM: 128 + 15");
  assert.match(
    stderr,
    new RegExp(`genrelab: stopped by SIGTERM; finished epochs and stages are kept in ${out}: add --resume to continue`),
  );
  assert.ok(await gone(worker, 5000));
  // The holder is gone: its lock no longer stands in the way.
  const third = spawnSync(
    process.execPath,
    ["bin/genrelab.js", "train-classifier", "--data", data, "--out", out, "--epochs", "1", "--resume", "--quiet"],
    { cwd: root, env: userEnv, encoding: "utf8" },
  );
  assert.equal(third.status, 0, third.stderr);
  assert.equal(existsSync(join(out, LOCK_FILE)), false, "the lock is removed at exit");
});

test("Ctrl-C (SIGINT to the process group) exits 130", async () => {
  const out = join(work, "interrupted");
  const { launcher, worker, exit } = await startTraining(out);
  process.kill(worker, "SIGINT"); // what the terminal sends the worker; the launcher ignores its own copy
  const { code, stderr } = await exit;
  assert.equal(code, 130);
  assert.match(stderr, /stopped by SIGINT/);
  assert.ok(launcher.pid);
});
