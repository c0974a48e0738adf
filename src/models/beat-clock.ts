// The beat as an input: where each frame falls in the beat (from a beat tracker in training, from the
// seed and its genre's usual tempo in generation), given to the token model as the sine and cosine of the
// beat's phase and of the two-beat cycle's. A frame-level language model left to count ~50 frames between
// beats places its onsets at random times (docs/GENERATOR.md, item 20); with a clock it only has to learn
// what falls where in the beat — as symbolic music models are given bar and beat positions (REMI, Huang &
// Yang 2020) and audio models rhythm controls (Music ControlNet, Wu et al. 2023).
import { beatOffset, beatPositions, trackBeats } from "../audio/index.js";
import { stack, tensor, tidy, toArray, zeros, nn, type Tensor } from "../torch/index.js";

/** The tempo a genre without songs of its own is given (seconds a beat: 120 beats a minute). */
const DEFAULT_PERIOD = 0.5;

export class BeatClock extends nn.Module {
  readonly linear: nn.Linear;
  /** The median beat period (seconds) of each genre's training songs: the tempo generation keeps. */
  readonly periods: Tensor;

  constructor(hiddenSize: number, genres: number) {
    super();
    this.linear = this.registerModule("linear", new nn.Linear(4, hiddenSize));
    this.periods = this.registerBuffer("periods", zeros([genres]).add(DEFAULT_PERIOD));
  }

  /** Beat positions [B][T] (beats, fractional) → what the model adds to its input [B, T, hidden]. */
  forward(positions: readonly ArrayLike<number>[]): Tensor {
    return tidy(() => {
      const t = positions[0]?.length ?? 0;
      const flat = new Float32Array(positions.length * t);
      positions.forEach((p, i) => flat.set(p, i * t));
      const beat = tensor(flat, [positions.length, t]).mul(2 * Math.PI);
      // The beat's phase and the two-beat cycle's (which beat of a pair: a backbeat alternates).
      const features = stack([beat.sin(), beat.cos(), beat.mul(0.5).sin(), beat.mul(0.5).cos()], 2);
      return this.linear.forward(features);
    });
  }

  /** Sets each genre's period to the median of its songs' (`periods[g]`; a genre with none keeps the default). */
  setPeriods(byGenre: readonly (readonly number[])[]): void {
    const medians = byGenre.map((p) => (p.length ? [...p].sort((a, b) => a - b)[p.length >> 1]! : DEFAULT_PERIOD));
    this.loadStateDict(new Map([["periods", tensor(medians, [medians.length])]]), false);
  }

  /**
   * Beat positions of `frames` frames (frame t centred on sample t · hop) after each seed: its genre's period
   * (or `period`, seconds), its beats placed where the seed's onsets fall. Position t is frame t + 1's, the
   * frame a model reading frame t predicts.
   */
  positionsForSeeds(
    seeds: readonly Float32Array[],
    genres: readonly number[],
    frames: number,
    hop: number,
    sampleRate: number,
    period?: number,
  ): Float64Array[] {
    const periods = toArray(this.periods);
    return seeds.map((seed, i) => {
      const beat = period ?? periods[Math.min(genres[i]!, periods.length - 1)] ?? DEFAULT_PERIOD;
      const offset = beatOffset(seed, sampleRate, beat);
      return Float64Array.from({ length: frames }, (_, t) => (((t + 1) * hop) / sampleRate - offset) / beat);
    });
  }
}

/** Slices [from, from + length) of each row's positions. */
export const slicePositions = <A extends Float32Array | Float64Array>(
  p: readonly A[],
  from: number,
  length: number,
): A[] => p.map((row) => row.subarray(from, from + length) as A);

/**
 * A song's beat positions for frames 1…frames (each the position of the frame after a model's input frame, as
 * `positionsForSeeds`), from its tracked beats, and its median beat period (null when no beat was found).
 */
export function positionsForSong(
  samples: Float32Array,
  frames: number,
  hop: number,
  sampleRate: number,
): { positions: Float32Array; period: number | null } {
  const beats = trackBeats(samples, sampleRate);
  const gaps = beats
    .slice(1)
    .map((b, i) => b - beats[i]!)
    .sort((a, b) => a - b);
  const period = gaps.length ? gaps[gaps.length >> 1]! : null;
  const times = Float64Array.from({ length: frames }, (_, t) => ((t + 1) * hop) / sampleRate);
  return { positions: Float32Array.from(beatPositions(beats, times, period ?? DEFAULT_PERIOD)), period };
}
