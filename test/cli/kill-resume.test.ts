// A command killed at each of its file renames (strace injects SIGKILL at the Nth rename), then
// resumed, must end exactly as the run that was never stopped: checkpoints, metrics, clips,
// evaluation, report data. `run` has ~120 renames: every 6th is tried.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { tinyGenerator } from "../helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "genrelab-kill-"));
const data = join(work, "data");
const strace = "/usr/bin/strace";
// The test runner's environment is already tuned, so bin/genrelab.js runs in this one process.
const genrelab = (args: string[], killAtRename?: number) =>
  spawnSync(
    killAtRename ? strace : process.execPath,
    killAtRename
      ? [
          "-f",
          "-qq",
          "-o",
          "/dev/null",
          "-e",
          "trace=rename",
          "-e",
          `inject=rename:signal=KILL:when=${killAtRename}`,
          process.execPath,
          "bin/genrelab.js",
          ...args,
        ]
      : ["bin/genrelab.js", ...args],
    { cwd: root, encoding: "utf8" },
  );

before(() => {
  const r = genrelab(["demo-data", "--out", data, "--songs", "3", "--seconds", "6", "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(genrelab(["prepare", "--data", data, "--quiet"]).status, 0); // the decode cache is not under test
});

const TIMED = new Set(["seconds", "finishedAt", "timings"]);

/** Every file of a run folder (JSON without its timings), for comparing two runs. */
function contents(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== ".genrelab.lock" && e.name !== "index.html") {
        // the report page shows timings
        const text = readFileSync(p);
        const untimed = (json: string) => JSON.stringify(JSON.parse(json), (k, v) => (TIMED.has(k) ? undefined : v));
        const lines = e.name.endsWith(".jsonl")
          ? text.toString("utf8").split("\n").filter(Boolean)
          : e.name.endsWith(".json")
            ? [text.toString("utf8")]
            : null;
        // Paths name the run folder (an evaluation names its checkpoint): the same run in another folder.
        out.set(
          relative(dir, p),
          lines ? lines.map(untimed).join("\n").replaceAll(dir, "<run>") : text.toString("base64"),
        );
      }
    }
  };
  walk(dir);
  return out;
}

/** Kills `command` at its renames 1, 1 + every, 1 + 2·every, ... and resumes each. */
function killAtEveryRename(command: string, config: object, every = 1): void {
  const cfg = join(work, `${command}.json`);
  writeFileSync(cfg, JSON.stringify(config));
  const args = (out: string) => [command, "--data", data, "--out", out, "--config", cfg, "--quiet"];
  const ref = join(work, `${command}-ref`);
  assert.equal(genrelab(args(ref)).status, 0);
  const expected = contents(ref);
  let kills = 0;
  for (let n = 1; ; n += every) {
    const out = join(work, `${command}-kill${n}`);
    const killed = genrelab(args(out), n);
    if (killed.status === 0) break; // fewer than n renames: every one has been tried
    assert.equal(killed.signal ?? killed.status, killed.signal ? "SIGKILL" : 137, `rename ${n}: ${killed.stderr}`);
    kills++;
    const resumed = genrelab([...args(out), "--resume"]); // a run killed before its config.json starts again from these
    assert.equal(resumed.status, 0, `rename ${n}: resume failed: ${resumed.stderr}`);
    const got = contents(out);
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort(), `rename ${n}: the same files, no leftovers`);
    for (const [file, text] of expected)
      assert.ok(got.get(file) === text, `rename ${n}: ${file} differs from the uninterrupted run`);
  }
  assert.ok(kills >= 10, `only ${kills} kills`);
  console.log(
    `# ${command}: killed and resumed at ${every === 1 ? "each" : `every ${every}th`} of its renames (${kills} kills)`,
  );
}

const skip = existsSync(strace) ? false : "needs strace (make test installs it)";

test("train-classifier killed at every rename resumes to the uninterrupted result", { skip }, () => {
  killAtEveryRename("train-classifier", {
    epochs: 2,
    patience: 0,
    threads: 1,
    model: { channels: [4, 4, 4, 4, 4], head: "avg" },
  });
});

test("train-generator killed at every rename resumes to the uninterrupted result", { skip }, () => {
  killAtEveryRename("train-generator", { epochs: 2, threads: 1, rolloutClips: 2, ...tinyGenerator });
});

test("run killed at every 6th rename resumes to the uninterrupted result", { skip }, () => {
  killAtEveryRename(
    "run",
    {
      classifier: { epochs: 2, patience: 0, threads: 1, model: { channels: [4, 4, 4, 4, 4], head: "avg" } },
      generator: { epochs: 1, threads: 1, rolloutClips: 2, ...tinyGenerator },
      generation: { perGenre: 1, seconds: 1 },
    },
    6,
  );
});
