// Training the spectral-token generator (models/token-generator.ts): first its tokens (token-fit.ts), then
// its language model, by cross-entropy on random crops of the songs' token sequences (every genre in one
// batch). Each epoch is validated on every training song's last second (never in a training crop), as the
// study validates on its 30th.
import { WORK_RATE } from "../audio/index.js";
import { Random, mixSeed, type Song } from "../data/index.js";
import { positionsForSong } from "../models/beat-clock.js";
import type { TokenGeneratorConfig } from "../models/token-config.js";
import { TokenGenerator } from "../models/token-generator.js";
import { F, manualSeed, noGrad, setNumThreads, stack, tensor, tidy } from "../torch/index.js";
import type { ProcessGroup, Tensor } from "../torch/index.js";
import { generatorLoop, runEpochs, type Best } from "./epochs.js";
import { shardRange, syncModel } from "./distributed.js";
import type { GeneratorTrainConfig } from "./generator-config.js";
import type { GeneratorMeta } from "./generator.js";
import type { EpochMetrics, TrainingHooks } from "./metrics-log.js";
import { fitTokens } from "./token-fit.js";

/**
 * A training song as tokens: its sequence [frames, stages], its genre, and for a model with a beat clock the
 * beat position of each frame after the first (positions[t] is frame t + 1's: what input frame t is told).
 */
interface TokenSong {
  tokens: Tensor;
  label: number;
  beats: Float32Array | null;
}

/**
 * B random crops of `length + 1` tokens from the songs' training frames (all but the last validFrames),
 * each labelled `noGenre` instead of its genre with probability `dropGenre` (for classifier-free guidance).
 */
function crops(
  songs: readonly TokenSong[],
  rng: Random,
  batch: number,
  length: number,
  validFrames: number,
  dropGenre = 0,
  noGenre = -1,
): { x: Tensor; y: Tensor; genre: Tensor; beats?: Float32Array[] } {
  const rows: Tensor[] = [];
  const labels: number[] = [];
  const beats: Float32Array[] = [];
  for (let i = 0; i < batch; i++) {
    const s = rng.pick(songs);
    const usable = s.tokens.size(0) - validFrames;
    const start = rng.int(0, usable - length - 1);
    rows.push(s.tokens.narrow(0, start, length + 1));
    if (s.beats) beats.push(s.beats.subarray(start, start + length));
    labels.push(dropGenre > 0 && rng.range(0, 1) < dropGenre ? noGenre : s.label);
  }
  const seq = stack(rows);
  return {
    x: seq.slice(1, 0, length),
    y: seq.slice(1, 1),
    genre: tensor(labels, [batch], "int64"),
    beats: beats.length ? beats : undefined,
  };
}

/** Cross-entropy of the next frames' tokens y [B, T, stages] from the recurrent output [B, T, hidden]; stages add. */
function tokenLoss(model: TokenGenerator, out: Tensor, y: Tensor): Tensor {
  const first = y.select(2, 0);
  const loss = F.crossEntropy(model.logits(out).reshape(-1, model.config.codebook), first.reshape(-1));
  if (!model.residual) return loss;
  // The second token is learnt given the true first one (teacher forcing), as it is drawn given the drawn one.
  const second = model.residualLogits(out, first);
  return loss.add(F.crossEntropy(second.reshape(-1, second.size(2)), y.select(2, 1).reshape(-1)));
}

/** Cross-entropy of each song's last `validFrames` tokens, after `context` tokens of the song before them. */
function validate(model: TokenGenerator, songs: readonly TokenSong[], context: number, validFrames: number): number {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() =>
      tidy(() => {
        // As much context as the shortest song has, up to `context`.
        const length = Math.min(context + validFrames + 1, ...songs.map((s) => s.tokens.size(0)));
        const seq = stack(songs.map((s) => s.tokens.narrow(0, s.tokens.size(0) - length, length)));
        const genre = tensor(
          songs.map((s) => s.label),
          [songs.length],
          "int64",
        );
        const beats = model.clock
          ? songs.map((s) => s.beats!.subarray(s.tokens.size(0) - length, s.tokens.size(0) - 1))
          : undefined;
        const [out] = model.forward(seq.slice(1, 0, seq.size(1) - 1), genre, undefined, beats);
        const last = (t: Tensor) => t.slice(1, t.size(1) - validFrames);
        return tokenLoss(model, last(out), last(seq.slice(1, 1))).item();
      }),
    );
  } finally {
    model.train(wasTraining);
  }
}

/**
 * Each song's beat positions (from its tracked beats) for a model with a beat clock, whose tempo for each
 * genre is set to the median of its songs'.
 */
function beatsOf(model: TokenGenerator, songs: readonly Song[], tokens: readonly Tensor[]): Float32Array[] {
  const periods: number[][] = Array.from({ length: model.clock!.periods.size(0) }, () => []);
  const beats = songs.map((s, i) => {
    const { positions, period } = positionsForSong(s.samples, tokens[i]!.size(0), model.config.hopLength, WORK_RATE);
    if (period !== null) periods[s.track.label]?.push(period);
    return positions;
  });
  model.clock!.setPeriods(periods);
  return beats;
}

export interface TokenTraining extends TrainingHooks {
  songs: readonly Song[];
  config: GeneratorTrainConfig;
  model: TokenGeneratorConfig;
  checkpointBase: string;
  /** The sidecar of a checkpoint after `epoch`. */
  meta: (epoch: number, metrics: EpochMetrics, best: Best | null) => GeneratorMeta;
  group?: ProcessGroup | null;
}

export function trainTokenGenerator(o: TokenTraining): { best: Best | null; epochs: number; path: string } {
  const c = o.config;
  const t = c.tokens;
  setNumThreads(c.threads);
  manualSeed(c.seed);
  const model = new TokenGenerator(o.model);
  const validFrames = Math.ceil(WORK_RATE / o.model.hopLength);
  let songs: TokenSong[] = [];
  let croppable: TokenSong[] = [];
  try {
    return runEpochs({
      ...o,
      ...generatorLoop(model, c),
      // Tokens are fitted once; a resumed model has them in its checkpoint.
      start: (resumed) => {
        const encodeAll = () => o.songs.map((s) => model.encode(tensor(s.samples).unsqueeze(0)).squeeze(0));
        let tokens = resumed ? encodeAll() : fitTokens(model, o.songs, t, c.seed);
        if (o.group && !resumed) {
          // Every rank ran k-means; all train on rank 0's codebook and the tokens it gives.
          syncModel(o.group, model);
          if (o.group.rank !== 0) {
            for (const x of tokens) x.dispose();
            tokens = encodeAll();
          }
        }
        const beats = model.clock ? beatsOf(model, o.songs, tokens) : null;
        songs = o.songs.map((s, i) => ({ tokens: tokens[i]!.keep(), label: s.track.label, beats: beats?.[i] ?? null }));
        // Crops come from songs long enough for one beside their validation second.
        croppable = songs.filter((s) => s.tokens.size(0) - validFrames > t.sequence);
        if (!croppable.length) {
          const seconds = ((t.sequence + 1) * o.model.hopLength) / WORK_RATE + 1;
          throw new Error(
            `train-generator: every training song is shorter than ${seconds.toFixed(1)} s, a training crop ` +
              `(tokens.sequence ${t.sequence}) and the validation second; lower tokens.sequence`,
          );
        }
      },
      steps: (epoch) => {
        const rng = new Random(mixSeed(c.seed, epoch, 3));
        const frames = croppable.reduce((n, s) => n + s.tokens.size(0) - validFrames, 0);
        // With several ranks the global batch is every rank's `batch` crops; each trains on its rows of it.
        const global = t.batch * (o.group?.worldSize ?? 1);
        const [from, to] = shardRange(o.group ?? null, global);
        return Array.from({ length: Math.max(1, Math.ceil(frames / (global * t.sequence))) }, (_, i) => ({
          label: `step ${i + 1}`,
          loss: () => {
            const b = crops(
              croppable,
              rng,
              global,
              t.sequence,
              validFrames,
              t.genreDropout,
              o.model.nullGenre ? model.noGenre : -1,
            );
            const [out] = model.forward(
              b.x.slice(0, from, to),
              b.genre.slice(0, from, to),
              undefined,
              b.beats?.slice(from, to),
            );
            return tokenLoss(model, out, b.y.slice(0, from, to));
          },
        }));
      },
      validate: () => ({ validLoss: validate(model, songs, t.sequence, validFrames) }),
    });
  } finally {
    songs.forEach((s) => s.tokens.dispose());
  }
}
