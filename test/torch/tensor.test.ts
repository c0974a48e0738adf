// Tensor basics: creation, dtypes, data round trips, seeding, scopes and autograd switches.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  arange,
  cat,
  full,
  liveTensors,
  manualSeed,
  noGrad,
  ones,
  randn,
  stack,
  tensor,
  tidy,
  toArray,
  zeros,
  isGradEnabled,
} from "../../src/torch/index.js";

test("creation functions give the requested shape, dtype and values", () => {
  tidy(() => {
    assert.deepEqual(zeros([2, 3]).shape, [2, 3]);
    assert.equal(ones([4], "float64").dtype, "float64");
    assert.deepEqual(toArray(full([2], 7, "int64")), [7, 7]);
    assert.deepEqual(toArray(arange(0, 5, 2)), [0, 2, 4]);
    assert.equal(zeros([3], "bool").dtype, "bool");
    assert.equal(ones([2, 2]).sum().item(), 4);
  });
});

test("typed arrays round-trip for every dtype", () => {
  tidy(() => {
    const f32 = new Float32Array([1.5, -2, 3.25, 0]);
    assert.deepEqual(tensor(f32, [2, 2]).toTypedArray(), f32);
    const f64 = new Float64Array([Math.PI, Math.E]);
    assert.deepEqual(tensor(f64).toTypedArray(), f64);
    const i64 = new BigInt64Array([1n, -5n, 9007199254740993n]);
    assert.deepEqual(tensor(i64).toTypedArray(), i64);
    const i32 = new Int32Array([7, -8]);
    assert.deepEqual(tensor(i32).toTypedArray(), i32);
    const b = tensor(new Uint8Array([1, 0, 1]), [3], "bool");
    assert.equal(b.dtype, "bool");
    assert.deepEqual(b.toTypedArray(), new Uint8Array([1, 0, 1]));
    assert.deepEqual(toArray(tensor([1, 2, 3], [3], "int64")), [1, 2, 3]);
  });
});

test("reshaping, slicing and joining follow PyTorch semantics", () => {
  tidy(() => {
    const x = arange(0, 12).reshape(3, 4);
    assert.deepEqual(x.transpose(0, 1).shape, [4, 3]);
    assert.deepEqual(toArray(x.slice(1, 1, 3).select(0, 2)), [9, 10]);
    assert.deepEqual(toArray(x.narrow(0, 1, 1).flatten()), [4, 5, 6, 7]);
    assert.deepEqual(x.permute(1, 0).contiguous().view([2, 6]).shape, [2, 6]);
    assert.deepEqual(cat([x, x], 0).shape, [6, 4]);
    assert.deepEqual(stack([x, x], 1).shape, [3, 2, 4]);
    assert.deepEqual(toArray(x.indexSelect(0, tensor([2, 0], [2], "int64")).select(1, 0)), [8, 0]);
    assert.deepEqual(toArray(x.argmax(1)), [3, 3, 3]);
    assert.deepEqual(toArray(x.sum(0)), [12, 15, 18, 21]);
    assert.deepEqual(x.unfold(1, 2, 2).shape, [3, 2, 2]);
    assert.deepEqual([x.size(0), x.size(1), x.size(-1), x.size(-2)], [3, 4, 4, 3]);
    assert.throws(() => x.size(2), /size\(2\) of a 2-D tensor/);
    assert.throws(() => x.size(-3), RangeError);
  });
});

test("manualSeed makes the random generator reproducible", () => {
  tidy(() => {
    manualSeed(42);
    const a = toArray(randn([5]));
    manualSeed(42);
    assert.deepEqual(toArray(randn([5])), a);
  });
});

test("tidy releases intermediates and keeps the returned tensors", () => {
  const before = liveTensors();
  const kept = tidy(() => {
    const a = ones([100, 100]);
    const b = a.mul(2);
    return { sum: b.sum(), parts: [b.mean()] };
  });
  assert.equal(kept.sum.item(), 20000);
  assert.equal(kept.parts[0]!.item(), 2);
  assert.equal(liveTensors(), before + 2);
  kept.sum.dispose();
  kept.parts[0]!.dispose();
  assert.equal(liveTensors(), before);
});

test("nested tidy moves results to the enclosing scope, and errors release everything", () => {
  const before = liveTensors();
  let inner: ReturnType<typeof ones> | undefined;
  tidy(() => {
    inner = tidy(() => ones([3]).add(1));
    assert.equal(inner.isDisposed, false);
  });
  assert.equal(inner!.isDisposed, true);
  assert.throws(
    () =>
      tidy(() => {
        ones([3]);
        throw new Error("boom");
      }),
    /boom/,
  );
  assert.equal(liveTensors(), before);
});

test("a disposed tensor cannot be used", () => {
  const t = ones([2]);
  t.dispose();
  assert.equal(t.isDisposed, true);
  assert.throws(() => t.shape, /disposed/);
  assert.throws(() => ones([2]).add(t), /disposed/);
});

test("autograd computes gradients and noGrad records no graph", () => {
  tidy(() => {
    const w = tensor([1, 2, 3]);
    w.requiresGrad = true;
    w.mul(w).sum().backward();
    assert.deepEqual(toArray(w.grad!), [2, 4, 6]);
    w.zeroGrad();
    assert.equal(w.grad, undefined);
    const y = noGrad(() => {
      assert.equal(isGradEnabled(), false);
      return w.mul(2);
    });
    assert.equal(isGradEnabled(), true);
    assert.equal(y.requiresGrad, false);
  });
});
