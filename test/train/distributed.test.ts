// Data-parallel training on c10d: two ranks equal one process with their global batch (token model),
// the classifier trains under `launch` with rank 0 writing alone, a killed rank stops the other with
// a message within the timeout, and the torchrun variables are checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { distEnvFrom } from "../../src/train/distributed.js";
import { loadSafetensors, toArray } from "../../src/torch/index.js";
import { tinyGenerator } from "../helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "genrelab-ddp-"));
const data = join(work, "data");
const genrelab = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/genrelab.js", ...args], { cwd: root, encoding: "utf8" });
/** A command on two local ranks (`genrelab launch --nproc 2 -- …`). */
const launch2 = (...args: string[]) => genrelab("launch", "--nproc", "2", "--", ...args);

test("setup: a tiny demo set", () => {
  assert.equal(genrelab("demo-data", "--out", data, "--songs", "3", "--seconds", "12", "--quiet").status, 0);
});

/** The last checkpoint of the generator a run in `work/dir` trained. */
const weightsOf = (dir: string): string => join(work, dir, "checkpoints", "generator-all.last.safetensors");

/** A config file `work/name` holding `value`; its path. */
function configFile(name: string, value: unknown): string {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/**
 * The largest element difference between two checkpoints' tensors of the same names (those `only`
 * keeps), each relative to its tensor's largest magnitude when that exceeds 1 (`relative`).
 */
function maxDiff(a: string, b: string, o: { only?: (name: string) => boolean; relative?: boolean } = {}): number {
  const x = loadSafetensors(a).tensors;
  const y = loadSafetensors(b).tensors;
  assert.deepEqual([...x.keys()].sort(), [...y.keys()].sort());
  let worst = 0;
  for (const [k, t] of x) {
    if (o.only && !o.only(k)) continue;
    const u = toArray(t);
    const v = toArray(y.get(k)!);
    const scale = o.relative ? Math.max(1, ...[...u].map(Math.abs)) : 1;
    for (let i = 0; i < u.length; i++) worst = Math.max(worst, Math.abs(u[i]! - v[i]!) / scale);
  }
  return worst;
}

test("token generator: 2 ranks × 4 crops train to the weights of 1 process × 8 crops, resumed or not", () => {
  // Dropout off: each rank would draw its own masks.
  const config = (batch: number) =>
    configFile(`g${batch}.json`, {
      epochs: 2,
      ...tinyGenerator,
      tokens: { ...tinyGenerator.tokens, batch, dropout: 0 },
    });
  const one = genrelab("train-generator", "--data", data, "--out", join(work, "g1"), "--config", config(8), "--quiet");
  assert.equal(one.status, 0, one.stderr);
  const two = launch2("train-generator", "--data", data, "--out", join(work, "g2"), "--config", config(4), "--quiet");
  assert.equal(two.status, 0, two.stderr);
  const d = maxDiff(weightsOf("g1"), weightsOf("g2"));
  console.log(`# largest weight difference after 2 epochs: ${d.toExponential(1)}`);
  assert.ok(d < 1e-5, `weights differ by ${d}`);
  assert.equal(
    readFileSync(join(work, "g2", "metrics", "generator-all.jsonl"), "utf8")
      .trim()
      .split("\n").length,
    2,
    "rank 0 alone writes the metrics",
  );
  // The group stopped after one epoch and resumed for the second ends where the others did.
  const g3 = ["train-generator", "--data", data, "--out", join(work, "g3"), "--config", config(4), "--quiet"];
  const first = launch2(...g3, "--epochs", "1");
  assert.equal(first.status, 0, first.stderr);
  const resumed = launch2(...g3, "--resume");
  assert.equal(resumed.status, 0, resumed.stderr);
  const r = maxDiff(weightsOf("g1"), weightsOf("g3"));
  assert.ok(r < 1e-5, `resumed: weights differ by ${r}`);
});

/** Two network namespaces joined by a veth pair, as two hosts (root only); null where they cannot be made. */
function twoHosts(): {
  run: (host: 0 | 1, argv: string[]) => string[];
  address: string[];
  iface: string[];
  remove: () => void;
} | null {
  const tag = `gl${process.pid % 100_000}`;
  const ns = [`${tag}a`, `${tag}b`];
  const iface = [`${tag}x`, `${tag}y`];
  const net = 1 + (process.pid % 250);
  const address = [`10.213.${net}.1`, `10.213.${net}.2`];
  const ip = (...args: string[]) => spawnSync("ip", args, { encoding: "utf8" });
  const remove = () => ns.forEach((n) => ip("netns", "del", n));
  if (process.getuid?.() !== 0 || ip("netns", "add", ns[0]!).status !== 0) return null;
  const steps = [
    ["netns", "add", ns[1]!],
    ["link", "add", iface[0]!, "netns", ns[0]!, "type", "veth", "peer", "name", iface[1]!, "netns", ns[1]!],
    ...[0, 1].flatMap((i) => [
      ["-n", ns[i]!, "addr", "add", `${address[i]}/30`, "dev", iface[i]!],
      ["-n", ns[i]!, "link", "set", iface[i]!, "up"],
      ["-n", ns[i]!, "link", "set", "lo", "up"],
    ]),
  ];
  for (const step of steps) {
    const r = ip(...step);
    if (r.status !== 0) {
      remove();
      throw new Error(`ip ${step.join(" ")}: ${r.stderr}`);
    }
  }
  return { run: (host, argv) => ["ip", "netns", "exec", ns[host]!, ...argv], address, iface, remove };
}

test(
  "two hosts (network namespaces joined by a veth pair): " + "2 ranks train the token model to one process's weights",
  async (t) => {
    const hosts = twoHosts();
    if (!hosts) return t.skip("needs root and network namespaces");
    try {
      const config = join(work, "g4.json"); // written by the first test: 4 crops a rank
      const out = join(work, "g-veth");
      const port = String(20_000 + Math.floor(Math.random() * 20_000));
      const start = (rank: 0 | 1) => {
        const [cmd, ...args] = hosts.run(rank, [
          process.execPath,
          "bin/genrelab.js",
          "train-generator",
          "--data",
          data,
          "--out",
          out,
          "--config",
          config,
          "--quiet",
        ]);
        const env = {
          ...process.env,
          WORLD_SIZE: "2",
          RANK: String(rank),
          MASTER_ADDR: hosts.address[0]!,
          MASTER_PORT: port,
          GLOO_SOCKET_IFNAME: hosts.iface[rank]!,
          GENRELAB_DIST_TIMEOUT: "30",
        };
        const child = spawn(cmd!, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr!.on("data", (d) => {
          err += d;
        });
        return new Promise<{ code: number | null; err: string }>((ok) => child.on("exit", (code) => ok({ code, err })));
      };
      const [a, b] = await Promise.all([start(0), start(1)]);
      assert.equal(a.code, 0, a.err);
      assert.equal(b.code, 0, b.err);
      const d = maxDiff(weightsOf("g1"), weightsOf("g-veth"));
      assert.ok(d < 1e-5, `weights differ by ${d}`);
    } finally {
      hosts.remove();
    }
  },
);

test("waveform generator (the study's): 2 ranks × 1 song a step train to the weights of 1 process × 2 songs", () => {
  // One genre-conditioned model: every training song, so that steps hold different songs.
  const config = (songsPerStep: number) =>
    configFile(`w${songsPerStep}.json`, {
      preset: "study",
      epochs: 2,
      songsPerStep,
      model: { ...tinyGenerator.model, conditioned: true },
    });
  const one = genrelab("train-generator", "--data", data, "--out", join(work, "w1"), "--config", config(2), "--quiet");
  assert.equal(one.status, 0, one.stderr);
  const two = launch2("train-generator", "--data", data, "--out", join(work, "w2"), "--config", config(1), "--quiet");
  assert.equal(two.status, 0, two.stderr);
  const d = maxDiff(weightsOf("w1"), weightsOf("w2"));
  assert.ok(d < 1e-5, `weights differ by ${d}`);
  // One song a step in one process is another training: the comparison can fail.
  const solo = genrelab("train-generator", "--data", data, "--out", join(work, "w0"), "--config", config(1), "--quiet");
  assert.equal(solo.status, 0, solo.stderr);
  assert.ok(maxDiff(weightsOf("w0"), weightsOf("w2")) > 1e-3);
});

test(
  "run under launch: both ranks train (the generator as one process with their global batch would), rank 0 alone " +
    "generates, judges and reports; resumed as a group it skips what is done",
  () => {
    const config = (batch: number) =>
      configFile(`run-${batch}.json`, {
        classifier: { epochs: 2, batchSize: 8 },
        generator: { epochs: 2, ...tinyGenerator, tokens: { ...tinyGenerator.tokens, batch, dropout: 0 } },
      });
    const one = genrelab(
      "run",
      "--data",
      data,
      "--out",
      join(work, "run-1"),
      "--quick",
      "--config",
      config(8),
      "--quiet",
    );
    assert.equal(one.status, 0, one.stderr);
    const out = join(work, "run-dp");
    const r = launch2("run", "--data", data, "--out", out, "--quick", "--config", config(4));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^results: classifier: \d+ % of the test songs; generated clips heard as their genre/m);
    assert.doesNotMatch(r.stdout, /rank 1: /, "rank 1 is quiet");
    assert.ok(existsSync(join(out, "report", "index.html")));
    assert.equal(
      readFileSync(join(out, "metrics", "classifier.jsonl"), "utf8")
        .trim()
        .split("\n").length,
      2,
      "rank 0 alone writes the metrics",
    );
    const d = maxDiff(weightsOf("run-1"), weightsOf("run-dp"));
    assert.ok(d < 1e-5, `the generator of 2 ranks × 4 crops differs from 1 process × 8's by ${d}`);
    const again = launch2("run", "--data", data, "--out", out, "--resume");
    assert.equal(again.status, 0, again.stderr);
    for (const stage of ["classifier", "generator-all", "generate", "evaluate"])
      assert.match(again.stdout, new RegExp(`${stage}: done already`));
  },
);

test(
  "classifier: 2 ranks × 4 windows with synchronised batch norm train to the weights of 1 process × 8; per-rank " +
    "statistics do not",
  () => {
    // Dropout off: each rank would draw its own masks.
    const config = configFile("c-sync.json", {
      epochs: 2,
      model: { channels: [4, 4, 4, 4, 4], dropout: 0, head: "avg" },
    });
    const train = (out: string, ranks: number, ...flags: string[]) => {
      const command = [
        "train-classifier",
        "--data",
        data,
        "--out",
        join(work, out),
        "--config",
        config,
        "--quiet",
        ...flags,
      ];
      const r = ranks > 1 ? genrelab("launch", "--nproc", String(ranks), "--", ...command) : genrelab(...command);
      assert.equal(r.status, 0, r.stderr);
      return join(work, out, "checkpoints", "classifier.last.safetensors");
    };
    const one = train("c1", 1, "--batch-size", "8");
    const [synced, own] = [
      train("c2", 2, "--batch-size", "4", "--sync-batch-norm"),
      train("c3", 2, "--batch-size", "4"),
    ];
    // A convolution's bias before batch norm has no gradient (the norm removes it) but rounding's, which
    // Adam turns into steps of ±lr whatever its size: those biases, and the running means that carry them,
    // agree only to within 2 × lr × steps (each run ±lr a step). Everything else to 1e-5 (the running variances,
    // ~100, relatively).
    const free = (k: string) => /conv\.bias|running_mean/.test(k);
    const rest = { only: (k: string) => !free(k), relative: true };
    const [d, dOwn] = [maxDiff(one, synced, rest), maxDiff(one, own, rest)];
    const steps = readFileSync(join(work, "c1", "metrics", "steps", "classifier.jsonl"), "utf8")
      .trim()
      .split("\n").length;
    const dFree = maxDiff(one, synced, { only: free });
    console.log(
      `# largest difference after 2 epochs: synchronised ${d.toExponential(1)} (biases before the norm ` +
        `${dFree.toExponential(1)}), per-rank ${dOwn.toExponential(1)}`,
    );
    assert.ok(d < 1e-5, `weights differ by ${d}`);
    assert.ok(dFree <= 2 * 1e-4 * steps, `biases before the norm differ by ${dFree} after ${steps} steps of lr 1e-4`);
    assert.ok(dOwn > 1e-3, `per-rank statistics: ${dOwn}`);
  },
);

test("classifier under launch: both ranks train, rank 0 writes checkpoints, metrics and the test evaluation", () => {
  const r = launch2("train-classifier", "--data", data, "--out", join(work, "c"), "--epochs", "2", "--batch-size", "8");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /test: song accuracy/);
  assert.doesNotMatch(r.stdout, /rank 1: /, "rank 1 is quiet");
  assert.ok(existsSync(join(work, "c", "checkpoints", "classifier.best.safetensors")));
  assert.equal(
    readFileSync(join(work, "c", "metrics", "classifier.jsonl"), "utf8")
      .trim()
      .split("\n").length,
    2,
  );
});

test("a rank killed mid-training: the other exits non-zero within the timeout, naming its group", async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const out = join(work, "killed");
  const args = ["train-classifier", "--data", data, "--out", out, "--epochs", "200", "--batch-size", "8", "--quiet"];
  const start = (rank: number) =>
    spawn(process.execPath, ["bin/genrelab.js", ...args], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        WORLD_SIZE: "2",
        RANK: String(rank),
        MASTER_ADDR: "127.0.0.1",
        MASTER_PORT: String(port),
        GENRELAB_DIST_TIMEOUT: "10",
      },
    });
  const [r0, r1] = [start(0), start(1)];
  let stderr = "";
  r0.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((ok) => r0.on("exit", (code) => ok(code)));
  const metrics = join(out, "metrics", "classifier.jsonl");
  for (let t = 0; !existsSync(metrics) && t < 600; t++) await new Promise((ok) => setTimeout(ok, 100));
  assert.ok(existsSync(metrics), "training got going");
  r1.kill("SIGKILL");
  const t0 = Date.now();
  const code = await exited;
  assert.notEqual(code, 0);
  assert.ok(Date.now() - t0 < 15_000, `rank 0 took ${Date.now() - t0} ms to give up`);
  assert.match(stderr, /process group \(rank 0 of 2, store 127\.0\.0\.1:\d+\): /);
});

test("launch: a failing rank stops the others and its code is the exit code; wrong variables are one line", () => {
  const r = launch2("train-classifier", "--data", join(work, "nowhere"), "--out", join(work, "x"));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /genrelab launch: rank \d exited with code 1; stopping the other ranks/);
  assert.match(r.stderr, /rank \d: genrelab: .*nowhere: data folder not found/);
  assert.equal(distEnvFrom({}), null);
  assert.equal(distEnvFrom({ WORLD_SIZE: "1" }), null);
  assert.throws(
    () => distEnvFrom({ WORLD_SIZE: "2", RANK: "2", MASTER_ADDR: "h", MASTER_PORT: "1" }),
    /RANK=2: expected an integer from 0 to 1/,
  );
  assert.throws(
    () => distEnvFrom({ WORLD_SIZE: "2", RANK: "0", MASTER_PORT: "1" }),
    /MASTER_ADDR: rank 0's address is needed/,
  );
  assert.throws(
    () => distEnvFrom({ WORLD_SIZE: "2", RANK: "0", MASTER_ADDR: "h", MASTER_PORT: "99999" }),
    /MASTER_PORT=99999/,
  );
  assert.deepEqual(distEnvFrom({ WORLD_SIZE: "4", RANK: "3", MASTER_ADDR: "10.0.0.1", MASTER_PORT: "29500" }), {
    worldSize: 4,
    rank: 3,
    localRank: 3,
    host: "10.0.0.1",
    port: 29500,
    timeoutMs: 60_000,
  });
});
