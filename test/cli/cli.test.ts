// The command line as a user meets it: help, the demo data set, prepare, and one-line errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const genrelab = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/genrelab.js", ...args], { cwd: root, encoding: "utf8" });

test("--help lists the commands", () => {
  const r = genrelab("--help");
  assert.equal(r.status, 0);
  for (const cmd of ["doctor", "selfcheck", "demo-data", "prepare"]) assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`));
});

test("--version prints the package's version", () => {
  const r = genrelab("--version");
  assert.equal(r.status, 0);
  assert.equal(
    r.stdout.trim(),
    (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version,
  );
});

test("doctor reports the engine and passes --strict on a set-up machine", () => {
  const r = genrelab("doctor", "--strict");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /libtorch\s+1\.13/);
  assert.match(r.stdout, /BLAS\s+openblas-openmp/);
  assert.match(r.stdout, /allocator\s+tcmalloc/);
  const json = JSON.parse(genrelab("doctor", "--json").stdout) as { blas: { kind: string } };
  assert.equal(json.blas.kind, "openblas-openmp");
});

test("demo-data then prepare: the pipeline's data stage end to end", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-cli-"));
  const made = genrelab("demo-data", "--out", dir, "--songs", "3", "--seconds", "4", "--quiet");
  assert.equal(made.status, 0, made.stderr);
  assert.deepEqual(readdirSync(join(dir, "genres_original")).length, 10);
  const r = genrelab("prepare", "--data", dir, "--quiet");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /30 found, 30 decoded at 10000 Hz/);
  assert.match(r.stdout, /split\s+seed: train 10, valid 10, test 10/);
  assert.match(r.stdout, /30 songs are shorter than 30 s/);
});

test("bad input: one line naming the problem, non-zero exit", () => {
  const r = genrelab("prepare", "--data", "/no/such/gtzan");
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), "genrelab: /no/such/gtzan: data folder not found");
  const bad = genrelab("prepare", "--data", "x", "--split", "random");
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /split .random.: expected seed, fault-filtered, fma, fold:K\/N/);
});

test(
  "train-generator: --jitter 0 trains on the study's fixed " + "clips and is recorded; out-of-range values are refused",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "genrelab-cli-"));
    assert.equal(
      genrelab("demo-data", "--out", join(dir, "data"), "--songs", "2", "--seconds", "4", "--quiet").status,
      0,
    );
    writeFileSync(join(dir, "tiny.json"), JSON.stringify({ model: { convChannels: 8, hiddenSize: 16 } }));
    const args = [
      "train-generator",
      "--data",
      join(dir, "data"),
      "--out",
      join(dir, "run"),
      "--preset",
      "study",
      "--genre",
      "jazz",
      "--epochs",
      "1",
      "--config",
      join(dir, "tiny.json"),
      "--quiet",
    ];
    const r = genrelab(...args, "--jitter", "0");
    assert.equal(r.status, 0, r.stderr);
    const meta = JSON.parse(readFileSync(join(dir, "run", "checkpoints", "generator-jazz.best.json"), "utf8")) as {
      train: { jitter: number };
    };
    assert.equal(meta.train.jitter, 0);
    const best = join(dir, "run", "checkpoints", "generator-jazz.best");
    const guided = genrelab("generate", best, "--seed-from", join(dir, "data"), "--out", dir, "--beat-guidance", "2");
    assert.notEqual(guided.status, 0);
    assert.match(guided.stderr, /--beat-guidance needs a token model trained with the beat clock/);
    const waveformOnly = genrelab(
      "train-generator",
      "--data",
      join(dir, "data"),
      "--out",
      join(dir, "run2"),
      "--head",
      "mulaw",
      "--quiet",
    );
    assert.notEqual(waveformOnly.status, 0);
    assert.match(waveformOnly.stderr, /--head: for the waveform generator; add --preset copy or --preset study/);
    const bad = genrelab(...args, "--jitter", "2");
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--jitter <s>' argument '2' is invalid\. expected seconds from 0 to 1/);
  },
);

test("limits and mistakes: out-of-range numbers, misspelt settings, a folder that is not a run", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-cli-"));
  const refused = (args: string[], pattern: RegExp) => {
    const r = genrelab(...args);
    assert.notEqual(r.status, 0, args.join(" "));
    assert.match(r.stderr, pattern, args.join(" "));
  };
  const generate = ["generate", "x.best", "--seed-from", "demo", "--out", dir];
  refused(
    [...generate, "--seconds", "10000"],
    /--seconds <s>' argument '10000' is invalid\. expected a number from 0\.1 to 600/,
  );
  refused(
    [...generate, "--count", "20000"],
    /--count <n>' argument '20000' is invalid\. expected an integer from 1 to 1000/,
  );
  refused([...generate, "--temperature", "abc"], /--temperature <t>' argument 'abc' is invalid/);
  refused(
    [...generate, "--tempo", "500"],
    /--tempo <bpm>' argument '500' is invalid\. expected a number from 30 to 240/,
  );
  refused(
    [...generate, "--beat-guidance", "0.5"],
    /--beat-guidance <w>' argument '0\.5' is invalid\. expected a number from 1 to 5/,
  );
  refused(["demo-data", "--out", dir, "--songs", "5000"], /expected an integer from 1 to 1000/);
  refused(["serve", "--port", "70000"], /expected an integer from 0 to 65535/);
  writeFileSync(join(dir, "typo.json"), JSON.stringify({ classifier: { epoch: 3 } }));
  refused(
    ["run", "--data", "demo", "--out", join(dir, "r1"), "--config", join(dir, "typo.json")],
    /typo\.json: classifier\.epoch: unknown setting/,
  );
  writeFileSync(join(dir, "flat.json"), JSON.stringify({ epochs: 1, modle: {} }));
  refused(
    ["train-classifier", "--data", "demo", "--out", join(dir, "r2"), "--config", join(dir, "flat.json")],
    /flat\.json: modle: unknown setting/,
  );
  refused(
    ["run", "--data", "demo", "--out", dir, "--resume"],
    /: nothing to resume \(no config\.json; is it a run folder\?\)/,
  );
});

// A read-only file system refuses root too; a mount namespace makes one of the cache without touching the host.
const mountNamespace = spawnSync("unshare", ["-m", "true"]).status === 0;
test("train-classifier on a read-only cache computes each window's mel, with one warning, and writes nothing there", {
  skip: mountNamespace ? false : "needs root and mount namespaces (unshare -m)",
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-rocache-"));
  const data = join(dir, "data");
  assert.equal(genrelab("demo-data", "--out", data, "--songs", "4", "--seconds", "6", "--quiet").status, 0);
  assert.equal(genrelab("prepare", "--data", data, "--quiet").status, 0);
  const cache = join(data, "genres_original", ".genrelab-cache");
  const before = readdirSync(cache).sort();
  const script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"';
  const args = ["train-classifier", "--data", data, "--out", join(dir, "run"), "--epochs", "1", "--quiet"];
  const r = spawnSync(
    "unshare",
    ["-m", "sh", "-c", script, "sh", cache, process.execPath, "bin/genrelab.js", ...args],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  assert.equal(r.status, 0, r.stderr);
  // The folder named is the cache's subfolder that refused the probe.
  assert.match(r.stderr, /warning: the cache .*\.genrelab-cache\/\w+ is read-only: each training window's mel/);
  assert.deepEqual(readdirSync(cache).sort(), before, "nothing written to the cache");
  assert.ok(readdirSync(join(dir, "run", "checkpoints")).includes("classifier.best.safetensors"));
});
