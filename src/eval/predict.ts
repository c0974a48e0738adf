// Running the classifier over windows of songs (or clips) and voting per song.
import { UNLABELLED, type ClassifierExamples } from "../data/index.js";
import type { Classifier } from "../models/classifier.js";
import { F, noGrad, tidy } from "../torch/index.js";

export interface WindowPredictions {
  classes: number;
  /** Softmax probabilities, row-major [windows, classes]. */
  probs: Float32Array;
  labels: number[];
  songs: number[];
  /** Mean cross-entropy over the labelled windows (0 if none is). */
  loss: number;
}

/** Probabilities for every window, in eval mode without autograd. */
export function predictWindows(model: Classifier, examples: ClassifierExamples, batchSize = 64): WindowPredictions {
  const wasTraining = model.training;
  model.eval();
  const classes = model.config.numClasses;
  const probs = new Float32Array(examples.windows.length * classes);
  const labels: number[] = [];
  const songs: number[] = [];
  let lossSum = 0;
  try {
    noGrad(() => {
      for (const batch of examples.batches(batchSize)) {
        tidy(() => {
          const logits = model.forward(batch.x);
          lossSum += F.crossEntropy(logits, batch.y, { reduction: "sum" }).item();
          probs.set(F.softmax(logits, 1).toTypedArray() as Float32Array, labels.length * classes);
          labels.push(...Array.from(batch.y.toTypedArray() as BigInt64Array, Number));
          songs.push(...batch.songs);
          batch.x.dispose();
          batch.y.dispose();
        });
      }
    });
  } finally {
    model.train(wasTraining);
  }
  // Cross-entropy skips unlabelled windows (their label is its ignore_index), so the mean is over the rest.
  const labelled = labels.filter((l) => l !== UNLABELLED).length;
  return { classes, probs, labels, songs, loss: labelled ? lossSum / labelled : 0 };
}

export const argmax = (xs: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
};

/** Window-level predicted classes. */
export function windowClasses(p: WindowPredictions): number[] {
  return p.labels.map((_, i) => argmax(p.probs.subarray(i * p.classes, (i + 1) * p.classes)));
}

export interface SongVote {
  song: number;
  label: number;
  /** Mean of the windows' probabilities. */
  probs: number[];
  predicted: number;
  windows: number;
}

/** Per-song decision: the class with the highest mean probability over the song's windows. */
export function songVotes(p: WindowPredictions): SongVote[] {
  const bySong = new Map<number, SongVote>();
  p.songs.forEach((song, i) => {
    let v = bySong.get(song);
    if (!v)
      bySong.set(
        song,
        (v = { song, label: p.labels[i]!, probs: new Array<number>(p.classes).fill(0), predicted: 0, windows: 0 }),
      );
    for (let c = 0; c < p.classes; c++) v.probs[c]! += p.probs[i * p.classes + c]!;
    v.windows++;
  });
  const votes = [...bySong.values()].sort((a, b) => a.song - b.song);
  for (const v of votes) {
    v.probs = v.probs.map((x) => x / v.windows);
    v.predicted = argmax(v.probs);
  }
  return votes;
}
