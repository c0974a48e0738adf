// c10d's Gloo process group through the addon: two ranks on loopback agree on sums, averages, maxima
// and broadcasts (bucketed or not); a rank killed mid-way or a rank that never comes is an error
// within the timeout, never a hang.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../src/util/net.js";

const rankScript = fileURLToPath(new URL("./dist-rank.js", import.meta.url));

interface Ended {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function rank(port: number, world: number, r: number, scenario: string, timeoutMs = 20_000): Promise<Ended> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [rankScript, String(port), String(world), String(r), scenario, String(timeoutMs)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  return new Promise((ok) =>
    child.on("exit", (code, signal) => ok({ code, signal, stdout, stderr, ms: Date.now() - t0 })),
  );
}

test("two ranks: sum (in buckets), average, maximum, broadcast, barrier and a differentiable sum", async () => {
  const port = await freePort();
  const [a, b] = await Promise.all([rank(port, 2, 0, "collectives"), rank(port, 2, 1, "collectives")]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const ra = JSON.parse(a.stdout);
  assert.deepEqual(ra, JSON.parse(b.stdout), "every rank ends with the same values");
  assert.deepEqual(ra.sum, [[3, 5], [10, 2, 4, 6], Array.from({ length: 12 }, (_, i) => 3 * i)]);
  assert.deepEqual(ra.avg, [0.5, 2]);
  assert.deepEqual(ra.max, [1, 0]);
  assert.deepEqual(ra.broadcast, [0.5, 1.5], "rank 0's values");
  assert.deepEqual(ra.differentiable, [3, 2]);
  assert.deepEqual(ra.grad, [2, 3], "the sum over ranks of each rank's output gradient");
  assert.match(ra.afterDestroy, /the process group of this graph was destroyed/);
});

test("a rank killed mid-way: the other's collective fails within the timeout, naming its group", async () => {
  const port = await freePort();
  const [a, b] = await Promise.all([rank(port, 2, 0, "die", 5000), rank(port, 2, 1, "die", 5000)]);
  assert.equal(b.signal, "SIGKILL");
  assert.equal(a.code, 1, `rank 0 must fail: ${a.stdout}`);
  assert.match(a.stderr, /^process group \(rank 0 of 2, store 127\.0\.0\.1:\d+\): \S/);
  assert.ok(a.ms < 15_000, `rank 0 gave up after ${a.ms} ms`);
});

test("a rank that never comes (wrong world size): the rendezvous fails within the timeout", async () => {
  const port = await freePort();
  const a = await rank(port, 3, 0, "collectives", 3000);
  assert.equal(a.code, 1);
  assert.match(a.stderr, /^process group \(rank 0 of 3, store 127\.0\.0\.1:\d+\): /);
  assert.ok(a.ms < 12_000, `gave up after ${a.ms} ms`);
});
