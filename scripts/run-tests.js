// Runs the compiled tests with node's test runner in genrelab's tuned native environment.
// Usage: node scripts/run-tests.js [name-filter ...]
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { nativeEnv } from "../bin/native-env.js";

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? find(p) : p.endsWith(".test.js") ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const files = find("dist/test")
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();
if (!files.length) {
  console.error("run-tests: no compiled tests found under dist/test (run `make build` first)");
  process.exit(1);
}
// The dashboard's load test measures latency and memory: it runs alone, after the rest (two files at a
// time on 2 cores: beside another test file its p99 rose from ~50-120 ms to 125-195 ms).
const alone = (f) => f.includes(join("test", "server"));
const run = (list, concurrency) =>
  list.length === 0
    ? 0
    : (spawnSync(process.execPath, [`--test`, `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...list], {
        stdio: "inherit",
        env: nativeEnv(),
      }).status ?? 1);
const first = run(
  files.filter((f) => !alone(f)),
  2,
);
const second = run(files.filter(alone), 1);
process.exit(first || second);
