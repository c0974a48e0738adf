// Is a generated clip a near-copy of training audio? The best normalised cross-correlation (over every
// lag) of an excerpt of each clip against every training song of its genre, beside the same score for
// the real continuation of its seed — held-out audio, which shares the genre's sounds but copies nothing.
import { resample } from "../audio/index.js";
import { F, cat, noGrad, tensor, tidy, type Tensor } from "../torch/index.js";

export interface CopyCheckOptions {
  sampleRate: number;
  /** Length of the excerpt in seconds, taken from the end of each clip (the most free-running part). */
  excerptSeconds: number;
  /**
   * Rate the comparison runs at: a copy stays a copy below 1.25 kHz, and the work shrinks with the square of
   * the rate.
   */
  compareRate: number;
}

export const defaultCopyCheck: CopyCheckOptions = { sampleRate: 10_000, excerptSeconds: 0.2, compareRate: 2500 };

/**
 * For each excerpt row of [E, M] samples, the highest normalised cross-correlation with any M-sample
 * stretch of any song: 1 = an exact (scaled) copy somewhere.
 */
function bestCorrelation(excerpts: Tensor, songs: readonly Tensor[]): Float32Array {
  const m = excerpts.size(1);
  return noGrad(() =>
    tidy(() => {
      const e = excerpts.sub(excerpts.mean(1, true));
      const w = e.div(e.square().sum(1, true).sqrt().clamp(1e-8)).unsqueeze(1); // [E, 1, M], unit norm
      const best = songs.map((song) =>
        tidy(() => {
          const x = song.view(1, 1, -1);
          const dot = F.conv1d(x, w).squeeze(0); // [E, L - M + 1]
          // Each stretch's norm after removing its mean: sum(x²) − (sum x)² / M, by running sums.
          const sum = F.avgPool1d(x, m, { stride: 1 }).mul(m).view(1, -1);
          const sumSq = F.avgPool1d(x.square(), m, { stride: 1 }).mul(m).view(1, -1);
          const norm = sumSq.sub(sum.square().div(m)).clamp(1e-8).sqrt();
          // The mean of the excerpt is already 0, so dot with the raw stretch equals dot with the centred one.
          return dot.div(norm).amax(1); // [E]
        }),
      );
      return cat(best.map((b) => b.unsqueeze(0)))
        .amax(0)
        .toTypedArray() as Float32Array;
    }),
  );
}

export interface CopyScores {
  /** Per clip: best correlation of the generated excerpt and of the real continuation's excerpt. */
  generated: number[];
  real: (number | null)[];
}

/** Scores clips (and their real continuations, where given) against training songs, all of one genre. */
export function copyScores(
  clips: readonly { generated: Float32Array; real: Float32Array | null }[],
  trainSongs: readonly Float32Array[],
  o: CopyCheckOptions = defaultCopyCheck,
): CopyScores {
  if (!clips.length || !trainSongs.length) return { generated: [], real: [] };
  const length = Math.round(o.excerptSeconds * o.sampleRate);
  return tidy(() => {
    const down = (x: Float32Array): Tensor => resample(tensor(x), o.sampleRate, o.compareRate);
    const excerpts = clips.flatMap((c) => [c.generated, ...(c.real ? [c.real] : [])]);
    const short = excerpts.find((x) => x.length < length + o.sampleRate / o.compareRate);
    if (short)
      throw new Error(
        `copy check: a clip of ${short.length} samples is shorter than the ${o.excerptSeconds} s excerpt`,
      );
    // A copy may sit at any offset of the full-rate song: each excerpt is tried at every sub-sample phase
    // of the decimation (shifted by 0 … ratio−1 samples), and its best phase counts.
    const phases = Math.max(1, Math.round(o.sampleRate / o.compareRate));
    const excerpt = (x: Float32Array): Tensor =>
      cat(Array.from({ length: phases }, (_, p) => down(x.subarray(x.length - length - p, x.length - p)).unsqueeze(0)));
    const songs = trainSongs.map(down);
    const byPhase = bestCorrelation(cat(excerpts.map(excerpt)), songs);
    const scores = excerpts.map((_, i) => Math.max(...byPhase.subarray(i * phases, (i + 1) * phases)));
    let k = 0;
    const generated: number[] = [];
    const real: (number | null)[] = [];
    for (const c of clips) {
      generated.push(scores[k++]!);
      real.push(c.real ? scores[k++]! : null);
    }
    return { generated, real };
  });
}

/**
 * How much each clip repeats itself: the best correlation of its last excerpt with anything before it
 * (its seed and its own earlier audio); the same for the real continuation after the same seed. A loop
 * scores 1; real music repeats too, so the real continuation is the reference.
 */
export function repetitionScores(
  clips: readonly { seed: Float32Array; generated: Float32Array; real: Float32Array | null }[],
  o: CopyCheckOptions = defaultCopyCheck,
): CopyScores {
  const length = Math.round(o.excerptSeconds * o.sampleRate);
  const before = (seed: Float32Array, x: Float32Array): Float32Array => {
    const out = new Float32Array(seed.length + x.length - length);
    out.set(seed);
    out.set(x.subarray(0, x.length - length), seed.length);
    return out;
  };
  const generated: number[] = [];
  const real: (number | null)[] = [];
  for (const c of clips) {
    generated.push(
      copyScores([{ generated: c.generated, real: null }], [before(c.seed, c.generated)], o).generated[0]!,
    );
    real.push(
      c.real ? copyScores([{ generated: c.real, real: null }], [before(c.seed, c.real)], o).generated[0]! : null,
    );
  }
  return { generated, real };
}
