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

/** Whole clips a song has, up to `songSeconds`; fewer than two (one to train, one to validate) is an error. */
function wholeClips(samples: Float32Array, layout: ClipLayout, what: string): number {
  const clipLen = layout.inputSamples + layout.targetSamples;
  const seconds = Math.min(layout.songSeconds, Math.floor(samples.length / clipLen));
  if (seconds < 2) {
    throw new Error(
      `${what}: ${(samples.length / layout.sampleRate).toFixed(2)} s is too short for generator training (need 2 ` +
        `clips of ${clipLen} samples)`,
    );
  }
  return seconds;
}

/**
 * Cuts one song into the study's batch. A song shorter than `songSeconds` uses every whole second it
 * has (its last whole second for validation); fewer than two whole seconds is an error.
 */
export function songBatch(samples: Float32Array, layout: ClipLayout = studyClips, what = "song"): SongBatch {
  const clipLen = layout.inputSamples + layout.targetSamples;
  const seconds = wholeClips(samples, layout, what);
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

/**
 * The study's batch with each clip's start moved by up to ±`jitter` seconds (random crop), so every
 * epoch sees new 0.9 s → 0.1 s pairs. Clips stay inside the training seconds: none reaches into the
 * validation second.
 */
export function jitteredBatch(
  samples: Float32Array,
  rng: { next(): number },
  jitter: number,
  layout: ClipLayout = studyClips,
  what = "song",
): { x: Tensor; y: Tensor } {
  const clipLen = layout.inputSamples + layout.targetSamples;
  const clips = wholeClips(samples, layout, what) - 1;
  const end = clips * clipLen; // the validation second starts here
  const shift = Math.round(jitter * layout.sampleRate);
  const out = new Float32Array(clips * clipLen);
  for (let k = 0; k < clips; k++) {
    const start = Math.max(0, Math.min(end - clipLen, k * clipLen + Math.round((2 * rng.next() - 1) * shift)));
    out.set(samples.subarray(start, start + clipLen), k * clipLen);
  }
  return tidy(() => {
    const t = tensor(out, [clips, clipLen]);
    return { x: t.slice(1, 0, layout.inputSamples).contiguous(), y: t.slice(1, layout.inputSamples).contiguous() };
  });
}

/**
 * `count` windows of `length` samples at uniformly random starts within the song's training seconds
 * (none reaches into the validation second): [count, length]. For training on longer continuations.
 */
export function randomCrops(
  samples: Float32Array,
  rng: { next(): number },
  count: number,
  length: number,
  layout: ClipLayout = studyClips,
  what = "song",
): Tensor {
  const end = (wholeClips(samples, layout, what) - 1) * (layout.inputSamples + layout.targetSamples);
  if (length > end)
    throw new Error(
      `${what}: ${(end / layout.sampleRate).toFixed(2)} s of training audio is shorter than a ` +
        `${(length / layout.sampleRate).toFixed(2)} s training example`,
    );
  const out = new Float32Array(count * length);
  for (let k = 0; k < count; k++) {
    const start = Math.floor(rng.next() * (end - length + 1));
    out.set(samples.subarray(start, start + length), k * length);
  }
  return tensor(out, [count, length]);
}
