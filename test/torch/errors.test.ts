// libtorch errors become JS Errors with libtorch's message; the process survives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  F,
  assertFinite,
  loadSafetensors,
  ones,
  randn,
  saveSafetensors,
  tensor,
  tidy,
  zeros,
} from "../../src/torch/index.js";

test("a conv1d on a wrong-shaped input throws libtorch's message", () => {
  tidy(() => {
    assert.throws(
      () => F.conv1d(randn([3]), randn([4, 1, 2])),
      /Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d/,
    );
    assert.throws(() => F.conv1d(randn([2, 3, 50]), randn([4, 1, 2])), /expected input\[2, 3, 50\] to have 1 channels/);
  });
});

test("mismatched shapes and dtypes throw", () => {
  tidy(() => {
    assert.throws(() => ones([2, 3]).matmul(ones([2, 3])), /cannot be multiplied/);
    assert.throws(() => ones([2, 3]).matmul(ones([3, 2], "int64")), /expected .*same dtype|expected scalar type/i);
    assert.throws(() => ones([6]).view(4), /invalid for input of size 6/);
    assert.throws(() => tensor(new Float32Array(5), [2, 3]), /shape holds 6 elements but the array has 5/);
    assert.throws(() => tensor(new Float32Array(2), [2], "int64"), /cannot hold dtype int64/);
    assert.throws(() => zeros([2], "complex" as never), /unknown dtype/);
  });
});

test("wrong argument types are clear TypeErrors", () => {
  assert.throws(() => F.relu(42 as never), /argument 0: expected a Tensor/);
});

test("assertFinite names the tensor holding NaN or Inf", () => {
  tidy(() => {
    assert.doesNotThrow(() => assertFinite(ones([3]), "x"));
    assert.throws(() => assertFinite(tensor([1, NaN]), "step 7 output"), /step 7 output: contains NaN or Inf/);
    assert.throws(() => assertFinite(tensor([Infinity]), "y"), /y: contains NaN or Inf/);
  });
});

test("bad checkpoint files give one clear error naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-"));
  assert.throws(
    () => loadSafetensors(join(dir, "missing.safetensors")),
    /missing\.safetensors: checkpoint file not found/,
  );
  const tiny = join(dir, "tiny.safetensors");
  writeFileSync(tiny, "abc");
  assert.throws(() => loadSafetensors(tiny), /tiny\.safetensors: not a valid safetensors file \(only 3 bytes\)/);
  const huge = join(dir, "huge.safetensors");
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(1000n);
  writeFileSync(huge, b);
  assert.throws(() => loadSafetensors(huge), /header length 1000 exceeds the file size/);
  const notJson = join(dir, "notjson.safetensors");
  const h = Buffer.from("{not json");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  writeFileSync(notJson, Buffer.concat([len, h]));
  assert.throws(() => loadSafetensors(notJson), /header is not JSON/);
  tidy(() => {
    const good = join(dir, "good.safetensors");
    saveSafetensors(good, new Map([["w", ones([64])]]));
    const truncated = join(dir, "truncated.safetensors");
    const full = readFileSync(good);
    writeFileSync(truncated, full.subarray(0, full.length - 10));
    assert.throws(() => loadSafetensors(truncated), /w: data runs past the end of the file/);
  });
});
