// Fréchet distance: zero for identical sets, the closed form for Gaussians, insensitive to dimension tricks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { frechetDistance, symmetricEigenvalues } from "../../src/eval/frechet.js";
import { manualSeed, randn, tensor, tidy } from "../../src/torch/index.js";

test("Jacobi eigenvalues of a symmetric matrix", () => {
  const eig = symmetricEigenvalues(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3).sort((a, b) => a - b);
  eig.forEach((v, i) => assert.ok(Math.abs(v - [1, 3, 5][i]!) < 1e-9, `${v}`));
});

test("identical sets are at distance 0; a shifted set at |shift|^2", () => {
  tidy(() => {
    manualSeed(0);
    const x = randn([20, 50]);
    assert.ok(Math.abs(frechetDistance(x, x)) < 1e-6);
    assert.ok(Math.abs(frechetDistance(x, x.add(2)) - 4 * 50) < 1e-6);
  });
});

test("matches the full-covariance formula on a small case", () => {
  tidy(() => {
    // 1-D: C1 = var(x), C2 = var(y): FD = (mx-my)^2 + vx + vy - 2 sqrt(vx vy).
    const x = tensor([0, 1, 2, 3]);
    const y = tensor([10, 14]);
    const vx = 5 / 3;
    const vy = 8;
    const expected = (1.5 - 12) ** 2 + vx + vy - 2 * Math.sqrt(vx * vy);
    assert.ok(Math.abs(frechetDistance(x.view(4, 1), y.view(2, 1)) - expected) < 1e-6);
    assert.throws(() => frechetDistance(x.view(4, 1), tensor([1]).view(1, 1)), /at least 2 embeddings/);
  });
});
