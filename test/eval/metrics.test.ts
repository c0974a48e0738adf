// Metrics and voting on hand-made predictions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { report } from "../../src/eval/metrics.js";
import { songVotes, windowClasses } from "../../src/eval/predict.js";

test("accuracy, confusion matrix and per-class precision/recall/F1", () => {
  const r = report([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], ["a", "b", "c"]);
  assert.equal(r.accuracy, 3 / 5);
  assert.deepEqual(r.confusion, [
    [1, 1, 0],
    [0, 2, 0],
    [1, 0, 0],
  ]);
  assert.deepEqual(
    r.perClass.map((c) => [c.precision, c.recall, c.support]),
    [
      [0.5, 0.5, 2],
      [2 / 3, 1, 2],
      [0, 0, 1],
    ],
  );
  assert.equal(r.perClass[1]!.f1, 0.8);
});

test("songs are decided by the mean probability of their windows", () => {
  const p = {
    classes: 2,
    probs: Float32Array.from([0.9, 0.1, 0.4, 0.6, 0.45, 0.55, 0.2, 0.8]),
    labels: [0, 0, 0, 1],
    songs: [0, 0, 0, 1],
    loss: 0,
  };
  assert.deepEqual(windowClasses(p), [0, 1, 1, 1]);
  const votes = songVotes(p);
  assert.equal(votes[0]!.predicted, 0, "one confident window outvotes two unsure ones");
  assert.equal(votes[0]!.windows, 3);
  assert.ok(Math.abs(votes[0]!.probs[0]! - 0.5833) < 1e-3);
  assert.equal(votes[1]!.predicted, 1);
});
