// The shared epoch loop (train/epochs.ts): its moving average of the weights (what it holds, that the best
// checkpoint and validation see it while training does not, that it resumes exactly) and its step log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCheckpoint } from "../../src/models/checkpoint.js";
import { stepsPathOf } from "../../src/train/metrics-log.js";
import type { StepRow } from "../../src/util/step-row.js";
import { readJsonLines } from "../../src/util/json.js";
import { Adam, F, manualSeed, nn, tensor, toArray, type Tensor } from "../../src/torch/index.js";
import { byValidLoss, runEpochs, type Best } from "../../src/train/epochs.js";

const x = tensor([1, 2, -1, 0.5, 0, 3], [3, 2]);
const y = tensor([1, -1, 2], [3, 1]);

/** Trains a Linear(2, 1) by Adam for `epochs` × 3 steps; records its weights after every step. */
function train(dir: string, epochs: number, average: number, resume = false) {
  manualSeed(1);
  const model = new nn.Linear(2, 1);
  const optimizer = new Adam(model.parameters(), { lr: 0.05 });
  const steps: number[][] = [];
  const validated: number[][] = [];
  const flat = () => [...toArray(model.weight), ...toArray(model.bias as Tensor)];
  const r = runEpochs<Best, { epoch: number; metrics: null; best: Best | null }>({
    command: "test",
    model,
    optimizer,
    checkpointBase: join(dir, "m"),
    metricsPath: join(dir, "m.jsonl"),
    resume,
    epochs,
    patience: 0,
    seed: 0,
    clipNorm: 0,
    average,
    bestBy: byValidLoss,
    meta: (epoch, _metrics, best) => ({ epoch, metrics: null, best }),
    steps: () =>
      Array.from({ length: 3 }, (_, i) => ({ label: `step ${i}`, loss: () => F.mseLoss(model.forward(x), y) })),
    // Each validation is better than the last, so every epoch's weights become the best checkpoint.
    validate: () => {
      validated.push(flat());
      return { validLoss: 1 / (validated.length + (resume ? 100 : 0)) };
    },
    onStep: () => steps.push(flat()),
  });
  return { r, steps, validated, final: flat() };
}

const weights = (base: string) => {
  const ck = loadCheckpoint(base);
  return [...toArray(ck.weights.get("weight") as Tensor), ...toArray(ck.weights.get("bias") as Tensor)];
};

const close = (a: number[], b: number[], what: string) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < 1e-6, `${what}: ${a} vs ${b}`));

test("validation and the best checkpoint see the moving average; training its own weights", () => {
  const plain = train(mkdtempSync(join(tmpdir(), "genrelab-avg-")), 2, 0);
  const dir = mkdtempSync(join(tmpdir(), "genrelab-avg-"));
  const averaged = train(dir, 2, 0.9);
  // The trained weights are those of a run without an average, step for step.
  averaged.steps.forEach((w, i) => close(w, plain.steps[i] as number[], `step ${i + 1}`));
  // The average, computed here: of the weights after each step, weighted 0.9^age, the weights summing to 1.
  const expected = [3, 6].map((n) => {
    const ws = averaged.steps.slice(0, n);
    const norm = ws.reduce((s, _, i) => s + 0.9 ** (n - 1 - i), 0);
    return (ws[0] as number[]).map(
      (_, j) => ws.reduce((s, w, i) => s + 0.9 ** (n - 1 - i) * (w[j] as number), 0) / norm,
    );
  });
  averaged.validated.forEach((w, e) => close(w, expected[e] as number[], `validated at epoch ${e + 1}`));
  close(weights(join(dir, "m.best")), expected[1] as number[], "best checkpoint");
  close(weights(join(dir, "m.last")), averaged.final, "last checkpoint (the trained weights)");
  assert.notDeepEqual(expected[1], averaged.final);
});

test("a run resumed with its average ends where one straight run does", () => {
  const straight = mkdtempSync(join(tmpdir(), "genrelab-avg-"));
  const whole = train(straight, 4, 0.8);
  const dir = mkdtempSync(join(tmpdir(), "genrelab-avg-"));
  train(dir, 2, 0.8);
  const resumed = train(dir, 4, 0.8, true);
  close(resumed.final, whole.final, "trained weights");
  close(resumed.validated.at(-1) as number[], whole.validated.at(-1) as number[], "average at epoch 4");
  close(weights(join(dir, "m.best")), weights(join(straight, "m.best")), "best checkpoint");
  // Every step's loss is logged once, numbered over the run, the resumed run's as the straight one's.
  const steps = (d: string) => readJsonLines<StepRow>(stepsPathOf(join(d, "m.jsonl")));
  assert.deepEqual(
    steps(dir).map((r) => [r.epoch, r.step]),
    Array.from({ length: 12 }, (_, i) => [Math.floor(i / 3) + 1, i + 1]),
  );
  close(
    steps(dir).map((r) => r.loss),
    steps(straight).map((r) => r.loss),
    "step losses",
  );
});
