// The engine this test process runs on: libtorch 1.13, an optimised BLAS, tcmalloc (set by the test runner).
import { test } from "node:test";
import assert from "node:assert/strict";
import { getNumThreads, runtimeInfo, setNumThreads } from "../../src/torch/index.js";
import { blasKind } from "../../src/torch/runtime.js";

test("runtimeInfo reports libtorch 1.13, OpenBLAS-openmp and tcmalloc", () => {
  const info = runtimeInfo();
  assert.match(info.torchVersion, /^1\.13\./);
  assert.equal(info.blas.kind, "openblas-openmp", `BLAS loaded: ${info.blas.path}`);
  assert.equal(info.allocator, "tcmalloc");
  assert.deepEqual(info.warnings, []);
});

test("BLAS paths are classified, and the reference BLAS is recognised", () => {
  assert.equal(blasKind("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"), "reference");
  assert.equal(blasKind("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"), "openblas-pthread");
  assert.equal(blasKind("/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so"), "openblas-openmp");
});

test("thread count can be set and read back", () => {
  const before = getNumThreads();
  setNumThreads(2);
  assert.equal(getNumThreads(), 2);
  setNumThreads(before);
  assert.throws(() => setNumThreads(0), /at least 1 thread/);
});
