// The multi-resolution STFT loss: exact values where they are known, phase invariance (the property
// that makes it useful where MSE rewards silence), and finite gradients.
import { test } from "node:test";
import assert from "node:assert/strict";
import { multiResolutionStftLoss } from "../../src/audio/index.js";
import { F, cat, tensor, tidy, toArray } from "../../src/torch/index.js";

const fftSizes = [64, 256, 1024];
const tone = (phase: number, n = 4000, f = 440) =>
  Float32Array.from(
    { length: n },
    (_, i) =>
      0.5 * Math.sin((2 * Math.PI * f * i) / 10_000 + phase) + 0.2 * Math.sin((2 * Math.PI * 3 * f * i) / 10_000),
  );

test(
  "spectral loss: 0 for equal signals; for x against 2x, " + "convergence 1/2 plus log-magnitude log 2 at every size",
  () => {
    tidy(() => {
      let s = 7;
      const x = tensor(
        Float32Array.from({ length: 4000 }, () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5),
        [1, 4000],
      );
      assert.ok(multiResolutionStftLoss(x, x, { fftSizes }).item() < 1e-6);
      // |X| against |2X|: ‖|X| − 2|X|‖ / ‖2|X|‖ = 1/2 and |log|X| − log 2|X|| = log 2 (away from the 1e-7 floor).
      const v = multiResolutionStftLoss(x, x.mul(2), { fftSizes }).item();
      assert.ok(Math.abs(v - (0.5 + Math.log(2))) < 0.02, `loss ${v}`);
      // The loudness envelope: each frame's energy is 4x lower, |log E − log 4E| = log 4.
      const withEnvelope = multiResolutionStftLoss(x, x.mul(2), { fftSizes, envelope: 1 }).item();
      assert.ok(Math.abs(withEnvelope - v - Math.log(4)) < 0.02, `envelope term ${withEnvelope - v}`);
    });
  },
);

test("spectral loss ignores phase where MSE does not, and prefers a phase-shifted tone to silence", () => {
  tidy(() => {
    const target = tensor(tone(0), [1, 4000]);
    const shifted = tensor(tone(Math.PI / 2), [1, 4000]);
    const silence = target.mul(0);
    const spectral = (p: typeof target) => multiResolutionStftLoss(p, target, { fftSizes }).item();
    assert.ok(
      F.mseLoss(shifted, target).item() > F.mseLoss(silence, target).item(),
      "MSE: silence beats the right tone with another phase",
    );
    assert.ok(
      spectral(shifted) < 0.1 * spectral(silence),
      `spectral: shifted ${spectral(shifted)} vs silence ${spectral(silence)}`,
    );
  });
});

test("spectral loss has finite gradients (also for near-silent input) and refuses sizes longer than the signal", () => {
  tidy(() => {
    const p = tensor(new Float32Array(2000).fill(1e-4), [2, 1000]);
    p.requiresGrad = true;
    multiResolutionStftLoss(p, tensor(tone(0, 2000), [2, 1000]), { fftSizes }).backward();
    const g = p.grad!;
    assert.ok(g.isfinite().all().item(), "gradient is finite");
    assert.ok(g.abs().sum().item() > 0, "gradient is not zero");
    assert.throws(() => multiResolutionStftLoss(p, p, { fftSizes: [4096] }), /too long for 1000 samples/);
  });
});

test("spectral loss per row: each row's own loss, the batch loss when rows are alike", () => {
  tidy(() => {
    const a = tensor(tone(0), [1, 4000]);
    const b = tensor(tone(1.3, 4000, 660), [1, 4000]);
    const target = tensor(tone(0.4), [1, 4000]);
    const both = multiResolutionStftLoss(cat([a, b]), cat([target, target]), { fftSizes, perRow: true });
    assert.deepEqual(both.shape, [2]);
    const [la, lb] = toArray(both) as [number, number];
    assert.ok(Math.abs(la - multiResolutionStftLoss(a, target, { fftSizes }).item()) < 1e-4);
    assert.ok(Math.abs(lb - multiResolutionStftLoss(b, target, { fftSizes }).item()) < 1e-4);
    assert.ok(la < lb, "the same tone with another phase is closer than another tone");
  });
});
