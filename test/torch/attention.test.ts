// Causal self-attention with rotary positions: what generation relies on (frame by frame = the whole
// sequence at once), what training relies on (no frame sees a later one or one beyond the window), and
// what rotary positions promise (only distances matter).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cat, manualSeed, noGrad, randn, tidy, toArray, nn, type Tensor } from "../../src/torch/index.js";

const close = (a: Tensor, b: Tensor, tol = 1e-5) => {
  const [x, y] = [toArray(a), toArray(b)];
  assert.equal(x.length, y.length);
  const worst = Math.max(...x.map((v, i) => Math.abs(v - y[i]!)));
  assert.ok(worst < tol, `differ by ${worst}`);
  return worst;
};

test("attention: frame by frame with its cache gives what the whole sequence gives, window and all", () => {
  manualSeed(1);
  const att = new nn.CausalSelfAttention(16, 4, 5);
  noGrad(() =>
    tidy(() => {
      const x = randn([2, 12, 16]);
      const [whole] = att.forward(x);
      // A prefix, then one frame at a time, as generation runs.
      let [first, cache] = att.forward(x.narrow(1, 0, 3));
      const parts = [first];
      for (let t = 3; t < 12; t++) {
        const [y, next] = att.forward(x.narrow(1, t, 1), cache);
        parts.push(y);
        cache = next;
      }
      close(cat(parts, 1), whole);
      assert.equal(cache.position, 12);
      assert.equal(cache.keys.shape[2], 4); // window − 1 frames kept
    }),
  );
});

test("attention: no frame sees a later frame or one a window or more back", () => {
  manualSeed(2);
  const att = new nn.CausalSelfAttention(8, 2, 4);
  noGrad(() =>
    tidy(() => {
      const x = randn([1, 10, 8]);
      const [y] = att.forward(x);
      // Change frame 5: frames 0-4 (before it) and 9 (4 frames after it: outside its window) stay.
      const changed = cat([x.narrow(1, 0, 5), randn([1, 1, 8]), x.narrow(1, 6, 4)], 1);
      const [z] = att.forward(changed);
      close(y.narrow(1, 0, 5), z.narrow(1, 0, 5), 1e-6);
      close(y.narrow(1, 9, 1), z.narrow(1, 9, 1), 1e-6);
      // Frames 5-8 see it.
      for (let t = 5; t <= 8; t++)
        assert.ok(
          toArray(
            y
              .narrow(1, t, 1)
              .sub(z.narrow(1, t, 1))
              .abs()
              .amax(),
          )[0]! > 1e-3,
          `frame ${t} should see frame 5`,
        );
    }),
  );
});

test("attention: a window of one frame is the frame's own value through the output layer", () => {
  manualSeed(3);
  const att = new nn.CausalSelfAttention(8, 2, 1);
  noGrad(() =>
    tidy(() => {
      const x = randn([2, 6, 8]);
      const [y] = att.forward(x);
      const v = att.qkv.forward(x).narrow(2, 16, 8);
      close(y, att.out.forward(v));
    }),
  );
});

test("attention: rotary positions make scores depend on distances only, not on where a sequence starts", () => {
  manualSeed(4);
  const att = new nn.CausalSelfAttention(8, 2, 6);
  noGrad(() =>
    tidy(() => {
      const x = randn([1, 7, 8]);
      const [at0] = att.forward(x);
      const empty = { keys: randn([1, 2, 0, 4]), values: randn([1, 2, 0, 4]), position: 1000 };
      const [at1000] = att.forward(x, empty);
      close(at0, at1000, 1e-4);
      // Without the rotation positions would not matter at all; with it, the order of earlier frames does.
      const swapped = cat([x.narrow(1, 1, 1), x.narrow(1, 0, 1), x.narrow(1, 2, 5)], 1);
      const [s] = att.forward(swapped);
      assert.ok(
        toArray(
          s
            .narrow(1, 6, 1)
            .sub(at0.narrow(1, 6, 1))
            .abs()
            .amax(),
        )[0]! > 1e-4,
        "the order of earlier frames must matter",
      );
    }),
  );
});

test("attention: a size that does not split into heads of an even size is refused", () => {
  assert.throws(() => new nn.CausalSelfAttention(10, 4, 5), /heads of an even size/);
  assert.throws(() => new nn.CausalSelfAttention(12, 4, 5), /heads of an even size/);
});
