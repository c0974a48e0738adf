// One-line summaries of training epochs, shared by the run and the single-stage commands.
import type { EpochMetrics } from "../train/metrics-log.js";

export const pct = (x: unknown): string => `${(100 * Number(x ?? 0)).toFixed(1)}%`;
const sci = (x: unknown): string => Number(x ?? NaN).toExponential(3);

export const describeClassifierEpoch = (r: EpochMetrics): string =>
  `train loss ${Number(r.trainLoss).toFixed(4)} acc ${pct(r.trainAccuracy)}, valid loss ` +
  `${Number(r.validLoss).toFixed(4)} window ${pct(r.validWindowAccuracy)} song ${pct(r.validSongAccuracy)} ` +
  `(${Number(r.seconds).toFixed(1)} s)`;

export const describeGeneratorEpoch = (r: EpochMetrics): string =>
  r.validMse === undefined
    ? `next-token cross-entropy: train ${Number(r.trainLoss).toFixed(3)}, valid ${Number(r.validLoss).toFixed(3)} ` +
      `(${Number(r.seconds).toFixed(1)} s)`
    : `train ${sci(r.trainLoss)} (valid ${sci(r.validLoss)}), valid MSE ${sci(r.validMse)} (silence ` +
      `${sci(r.silenceMse)}, repeat ${sci(r.repeatMse)}) ${Number(r.seconds).toFixed(1)} s`;
