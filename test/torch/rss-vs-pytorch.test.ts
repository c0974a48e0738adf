// Peak memory of a study-generator training run: genrelab within 1.3× of PyTorch for the same work.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
// @ts-expect-error plain JS module shared with the launcher
import { nativeEnv } from "../../../bin/native-env.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const python = "/usr/bin/python3";
const hasTorch = spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;

test("peak RSS of 20 generator training steps is within 1.3x of PyTorch's", {
  skip: hasTorch ? false : "needs Debian's python3-torch (dev only)",
}, () => {
  const env = nativeEnv(process.env) as NodeJS.ProcessEnv;
  const py = spawnSync(python, ["bench/reference.py", "g-train", "--iterations", "18", "--warmup", "2"], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  assert.equal(py.status, 0, py.stderr);
  const pytorchMB = (JSON.parse(py.stdout) as { max_rss_mb: number }).max_rss_mb;
  const js = spawnSync(process.execPath, ["bin/genrelab.js", "selfcheck", "--only", "generator", "--steps", "20"], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  assert.equal(js.status, 0, js.stderr);
  const genrelabMB = Number(/peak RSS (\d+) MB/.exec(js.stdout)?.[1]);
  assert.ok(genrelabMB > 0, js.stdout);
  assert.ok(genrelabMB <= 1.3 * pytorchMB, `genrelab peak ${genrelabMB} MB vs PyTorch ${pytorchMB.toFixed(0)} MB`);
});
