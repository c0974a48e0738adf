// Training on the binding: a GRU learns a sine continuation, memory stays flat over 2000 steps,
// and optimizer state saved mid-run resumes to identical weights.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Adam,
  F,
  arange,
  liveTensors,
  loadSafetensors,
  manualSeed,
  nn,
  rand,
  saveSafetensors,
  setNumThreads,
  tidy,
  toArray,
  type Tensor,
} from "../../src/torch/index.js";
import { rssMB } from "../helpers.js";

setNumThreads(1);

class SineNet extends nn.Module {
  readonly gru = this.registerModule("gru", new nn.GRU(1, 24, { batchFirst: true }));
  readonly fc = this.registerModule("fc", new nn.Linear(24, 10));
  forward(x: Tensor): Tensor {
    const [out] = this.gru.forward(x.unsqueeze(2));
    return this.fc.forward(out.select(1, out.size(1) - 1));
  }
}

/** Sines of random frequency and phase: the first 40 samples in, the next 10 out. */
function sineBatch(batch: number): [Tensor, Tensor] {
  return tidy(() => {
    const freq = rand([batch, 1]).mul(0.25).add(0.1);
    const phase = rand([batch, 1]).mul(2 * Math.PI);
    const wave = arange(0, 50).unsqueeze(0).mul(freq).add(phase).sin();
    return [wave.slice(1, 0, 40), wave.slice(1, 40, 50)];
  });
}

function trainStep(model: SineNet, opt: Adam, batch: [Tensor, Tensor]): number {
  return tidy(() => {
    const loss = F.mseLoss(model.forward(batch[0]), batch[1]);
    opt.zeroGrad();
    loss.backward();
    F.clipGradNorm(model.parameters(), 1.0);
    opt.step();
    return loss.item();
  });
}

test("a GRU + Linear model learns a sine continuation (loss falls at least 10x)", () => {
  manualSeed(0);
  const model = new SineNet();
  const opt = new Adam(model.parameters(), { lr: 1e-2 });
  const losses: number[] = [];
  for (let step = 0; step < 400; step++) {
    const batch = sineBatch(32);
    losses.push(trainStep(model, opt, batch));
    batch.forEach((t) => t.dispose());
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(losses.slice(0, 10));
  const last = mean(losses.slice(-10));
  assert.ok(first / last >= 10, `loss fell only from ${first.toFixed(4)} to ${last.toFixed(4)}`);
});

test("2000 training steps keep native memory and RSS flat", () => {
  manualSeed(1);
  const model = new SineNet();
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const live = liveTensors();
  let warm = 0;
  for (let step = 0; step < 2000; step++) {
    const batch = sineBatch(64);
    trainStep(model, opt, batch);
    batch.forEach((t) => t.dispose());
    if (step === 200) warm = rssMB();
  }
  const growth = rssMB() - warm;
  assert.equal(liveTensors(), live, "every step's tensors were released");
  assert.ok(growth < 50, `RSS grew by ${growth.toFixed(1)} MB after warm-up`);
});

test("optimizer and model state saved mid-run resume to identical weights", () => {
  const dir = mkdtempSync(join(tmpdir(), "genrelab-resume-"));
  const batches = (() => {
    manualSeed(3);
    return Array.from({ length: 10 }, () => sineBatch(8).map((t) => t.keep()) as [Tensor, Tensor]);
  })();
  manualSeed(4);
  const a = new SineNet();
  const optA = new Adam(a.parameters(), { lr: 1e-2 });
  const b = new SineNet();
  b.loadStateDict(a.stateDict());
  batches.slice(0, 5).forEach((batch) => trainStep(a, optA, batch));
  tidy(() => {
    saveSafetensors(join(dir, "model.safetensors"), a.stateDict());
    saveSafetensors(join(dir, "optim.safetensors"), optA.stateDict());
  });
  batches.slice(5).forEach((batch) => trainStep(a, optA, batch));

  b.loadStateDict(loadSafetensors(join(dir, "model.safetensors")).tensors);
  const optB = new Adam(b.parameters(), { lr: 1e-2 });
  optB.loadStateDict(loadSafetensors(join(dir, "optim.safetensors")).tensors);
  batches.slice(5).forEach((batch) => trainStep(b, optB, batch));
  const sa = a.stateDict();
  for (const [name, t] of b.stateDict()) assert.deepEqual(toArray(t), toArray(sa.get(name)!), name);
});
