// The study's generator batches: for one song, one-second clips from seconds 0–28, each split into
// 0.9 s of input and the next 0.1 s as target; the song's 30th second is kept for validation.
import { tensor, tidy, type Tensor } from "../torch/index.js";

export interface ClipLayout {
  sampleRate: number;
  /** Samples of input per clip (the study: 9000 = 0.9 s). */
  inputSamples: number;
  /** Samples to predict per clip (the study: 1000 = 0.1 s). */
  targetSamples: number;
  /** Seconds of the song used: all but the last are training clips, the last is validation. */
  songSeconds: number;
}
export const studyClips: ClipLayout = { sampleRate: 10_000, inputSamples: 9000, targetSamples: 1000, songSeconds: 30 };

export interface SongBatch {
  /** [clips, inputSamples] and [clips, targetSamples]: the training batch. */
  x: Tensor;
  y: Tensor;
  /** [1, inputSamples] and [1, targetSamples]: the validation second. */
  validX: Tensor;
  validY: Tensor;
  /** Whole clips the song had (30 for a full GTZAN song; 29 for one of 29.9 s). */
  clips: number;
}

/**
 * Cuts one song into the study's batch. A song shorter than `songSeconds` uses every whole second it
 * has (its last whole second for validation); fewer than two whole seconds is an error.
 */
export function songBatch(samples: Float32Array, layout: ClipLayout = studyClips, what = "song"): SongBatch {
  const clipLen = layout.inputSamples + layout.targetSamples;
  const seconds = Math.min(layout.songSeconds, Math.floor(samples.length / clipLen));
  if (seconds < 2) {
    throw new Error(`${what}: ${(samples.length / layout.sampleRate).toFixed(2)} s is too short for generator training (need 2 clips of ${clipLen} samples)`);
  }
  return tidy(() => {
    const clips = tensor(samples.subarray(0, seconds * clipLen), [seconds, clipLen]);
    const train = clips.slice(0, 0, seconds - 1);
    const valid = clips.slice(0, seconds - 1, seconds);
    return {
      x: train.slice(1, 0, layout.inputSamples).contiguous(),
      y: train.slice(1, layout.inputSamples).contiguous(),
      validX: valid.slice(1, 0, layout.inputSamples).contiguous(),
      validY: valid.slice(1, layout.inputSamples).contiguous(),
      clips: seconds,
    };
  });
}
