// The spectral-token generator's tokens (models/token-generator.ts), fitted to the training songs: k-means
// of frames (their log-mel or log-magnitude spectra) sampled from the songs, each token's magnitude, and
// the residual stage's centroids.
import { Random, mixSeed, type Song } from "../data/index.js";
import { nearest, type TokenGenerator } from "../models/token-generator.js";
import { cat, noGrad, ones, stack, tensor, tidy, where, zeros, type Tensor } from "../torch/index.js";
import type { GeneratorTrainConfig } from "./generator-config.js";

export type TokenTrainConfig = GeneratorTrainConfig["tokens"];

/** Runs k-means on `frames` [N, D] from `init` [K, D]; an emptied cluster restarts at a random frame. */
export function kMeans(frames: Tensor, init: Tensor, iterations: number, rng: Random): Tensor {
  let c = init.clone();
  const k = c.size(0);
  for (let i = 0; i < iterations; i++) {
    const next = tidy(() => {
      const a = nearest(frames, c);
      const sums = zeros(c.shape).indexAdd(0, a, frames);
      const counts = zeros([k]).indexAdd(0, a, ones([a.size(0)]));
      const restart = tensor(
        Array.from({ length: k }, () => rng.int(0, frames.size(0) - 1)),
        [k],
        "int64",
      );
      return where(counts.eq(0).unsqueeze(1), frames.indexSelect(0, restart), sums.div(counts.clamp(1).unsqueeze(1)));
    });
    c.dispose();
    c = next;
  }
  return c;
}

/** Up to `total` frames [N, D] drawn from the songs (about as many from each, with replacement). */
export function sampleFrames(
  songs: readonly Song[],
  framesOf: (song: Song, index: number) => Tensor,
  total: number,
  rng: Random,
): Tensor {
  const perSong = Math.ceil(total / songs.length);
  return cat(
    songs.map((s, i) =>
      tidy(() => {
        const f = framesOf(s, i);
        const n = f.size(0);
        return f.indexSelect(
          0,
          tensor(
            Array.from({ length: Math.min(perSong, n) }, () => rng.int(0, n - 1)),
            undefined,
            "int64",
          ),
        );
      }),
    ),
  );
}

/** k-means of `sample` [N, D] into `k` centroids, started from k distinct rows of it. */
export function kMeansOf(sample: Tensor, k: number, iterations: number, rng: Random): Tensor {
  return tidy(() => {
    const init = sample.indexSelect(
      0,
      tensor(rng.shuffle(Array.from({ length: sample.size(0) }, (_, i) => i)).slice(0, k), undefined, "int64"),
    );
    return kMeans(sample, init, iterations, rng);
  });
}

/**
 * Fits the model's tokens to `songs`: k-means on a seeded sample of their frames, then each token's mean
 * magnitude, then the residual stage's centroids if it has one. Returns each song's tokens [frames, stages],
 * which those passes find anyway.
 */
export function fitTokens(
  model: TokenGenerator,
  songs: readonly Song[],
  t: Pick<TokenTrainConfig, "kmeansFrames" | "kmeansIterations" | "magnitude">,
  seed: number,
): Tensor[] {
  const rng = new Random(mixSeed(seed, 7));
  const k = model.config.codebook;
  const framesOf = (s: Song): Tensor => model.frames(tensor(s.samples).unsqueeze(0)).squeeze(0);
  return noGrad(() =>
    tidy(() => {
      const sample = sampleFrames(songs, (s) => model.features(framesOf(s)), t.kmeansFrames, rng);
      if (sample.size(0) < k)
        throw new Error(
          `train-generator: ${sample.shape[0]} frames cannot make ${k} tokens (fewer tokens, or more songs)`,
        );
      const centroids = kMeansOf(sample, k, t.kmeansIterations, rng);
      // Each token sounds as the mean of its frames' magnitudes, or their root mean square, which keeps their
      // energy; the mean measured better (docs/GENERATOR.md). The mean of their logs would be quieter.
      const rms = t.magnitude === "rms";
      let sums = zeros([k, model.config.nFft / 2 + 1]);
      let counts = zeros([k]);
      const tokens: Tensor[] = [];
      for (const s of songs) {
        const [ns, nc, a] = tidy(() => {
          const f = framesOf(s);
          const a = nearest(model.features(f), centroids);
          const m = model.linear(f);
          return [sums.indexAdd(0, a, rms ? m.square() : m), counts.indexAdd(0, a, ones([a.size(0)])), a];
        });
        sums.dispose();
        counts.dispose();
        [sums, counts] = [ns, nc];
        tokens.push(a);
      }
      // A token no frame chose sounds as its centroid, or (a mel centroid has no inverse) as the average frame.
      const unused = model.config.melBands
        ? sums
            .sum(0, true)
            .div(counts.sum())
            .pow(rms ? 0.5 : 1)
        : model.linear(centroids);
      const magnitudes = where(
        counts.eq(0).unsqueeze(1),
        unused,
        sums.div(counts.clamp(1).unsqueeze(1)).pow(rms ? 0.5 : 1),
      );
      model.loadStateDict(
        new Map([
          ["centroids", centroids],
          ["magnitudes", magnitudes],
        ]),
        false,
      );
      const r = model.residual;
      if (!r) return tokens.map((a) => a.unsqueeze(1));
      // The second stage: k-means of what each frame's first token leaves of its log-magnitude.
      const left = (s: Song, i: number) => model.residualOf(framesOf(s), tokens[i]!);
      const book = kMeansOf(
        sampleFrames(songs, left, t.kmeansFrames, rng),
        r.centroids.size(0),
        t.kmeansIterations,
        rng,
      );
      model.loadStateDict(new Map([["residual_centroids", book]]), false);
      return songs.map((s, i) => tidy(() => stack([tokens[i]!, nearest(left(s, i), book)], 1)));
    }),
  );
}
