// Training the generator. The token model (genrelab's default) trains in token-generator.ts; this file
// trains the waveform model. The study's way: one batch = the 29 one-second clips of one song (0.9 s
// in, the next 0.1 s out), songs in shuffled order, Adam, gradient clipping; each clip's start may move
// by up to ±jitter s per epoch (a random crop; 0 = the study's fixed clips). The copy preset instead
// trains on random crops run K steps on the model's own output (`rollout`, `warmup`); the objectives
// are in generator-loss.ts. Each epoch is validated on every training song's 30th second, beside two
// baselines on the same data: silence, and repeating the input's last 0.1 s.
import { join } from "node:path";
import { mulawDecode, WORK_RATE } from "../audio/index.js";
import {
  fileStem,
  Random,
  jitteredBatch,
  mixSeed,
  randomCrops,
  songBatch,
  studyClips,
  type Song,
  type SongBatch,
} from "../data/index.js";
import { Generator, studyGenerator, type GeneratorConfig } from "../models/generator.js";
import type { GeneratorInfo } from "../models/load.js";
import { isTokenConfig, type TokenGeneratorConfig } from "../models/token-config.js";
import { F, cat, manualSeed, noGrad, setNumThreads, stack, tensor, tidy } from "../torch/index.js";
import type { ProcessGroup, Tensor } from "../torch/index.js";
import { shardRange } from "./distributed.js";
import type { GeneratorTrainConfig } from "./generator-config.js";
import { lossOf, rollout, trainingLoss } from "./generator-loss.js";
import { generatorLoop, runEpochs, type Best } from "./epochs.js";
import type { EpochMetrics, TrainingHooks } from "./metrics-log.js";
import { trainTokenGenerator } from "./token-generator.js";

/** Everything a generator checkpoint's sidecar records. */
export interface GeneratorMeta extends GeneratorInfo {
  train: GeneratorTrainConfig;
  metrics: EpochMetrics | null;
  best: Best | null;
}

export interface TrainGeneratorOptions extends TrainingHooks {
  songs: readonly Song[];
  /** A genre name for the study's per-genre model, or "all" (requires a conditioned model). */
  genre: string;
  /** The data set's label names (stored in the checkpoint; a song's `track.label` indexes them). */
  labels: readonly string[];
  config: GeneratorTrainConfig;
  checkpointBase: string;
  /** Data-parallel training across processes (the token model only). */
  group?: ProcessGroup | null;
}

export function modelConfigOf(c: GeneratorTrainConfig, labels: number): GeneratorConfig | TokenGeneratorConfig {
  const m = c.model;
  if (m.kind === "tokens") {
    const t = c.tokens;
    return {
      kind: "tokens",
      inputSamples: studyGenerator.inputSamples,
      nFft: t.nFft,
      hopLength: t.hopLength,
      codebook: t.codebook,
      melBands: t.melBands,
      hiddenSize: t.hiddenSize,
      numLayers: t.numLayers,
      dropout: t.dropout,
      genres: labels,
      griffinLimIterations: t.griffinLim,
      residualCodebook: t.residual,
      nullGenre: t.genreDropout > 0,
      guidance: t.guidance,
      ...(t.attention ? { attentionHeads: t.attention, attentionWindow: t.sequence } : {}),
      ...(t.beat ? { beatClock: true } : {}),
      ...(t.beatGuidance !== 1 ? { beatGuidance: t.beatGuidance } : {}),
      temperature: t.temperature,
    };
  }
  return {
    ...studyGenerator,
    cell: m.cell,
    bidirectional: m.bidirectional,
    hiddenSize: m.hiddenSize,
    numLayers: m.numLayers,
    convChannels: m.convChannels,
    convKernel: m.convKernel,
    convStride: m.convStride,
    genres: m.conditioned ? labels : 0,
    genreEmbedding: m.genreEmbedding,
    head: m.head,
    mulawFeatures: m.mulawFeatures,
    noise: m.noise,
    delay: m.delay,
    delayReference: m.delayReference,
  };
}

/** A training song: its samples, genre and validation second (and the fixed clips when not jittered). */
interface Prepared extends Pick<SongBatch, "validX" | "validY"> {
  id: string;
  label: Tensor;
  samples: Float32Array;
  fixed: { x: Tensor; y: Tensor } | null;
}

export interface ValidationScores {
  validLoss: number;
  /** Sample MSE of the model's prediction (for the mu-law head: of its most likely levels). */
  validMse: number;
  silenceMse: number;
  repeatMse: number;
}

const mulawDecodeArgmax = (logits: Tensor): Tensor => mulawDecode(logits.argmax(-1));

/** Validation on each song's last second (the training objective, and the sample MSE), with the two baselines. */
export function validate(
  model: Generator,
  songs: readonly Prepared[],
  loss: GeneratorTrainConfig["loss"],
): ValidationScores {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() =>
      tidy(() => {
        const x = cat(songs.map((s) => s.validX));
        const y = cat(songs.map((s) => s.validY));
        const label = cat(songs.map((s) => s.label));
        const genre = model.config.genres ? label : undefined;
        const out = model.forward(x, genre);
        const samples = model.config.head === "linear" ? out : mulawDecodeArgmax(out);
        const n = model.config.outputSamples;
        // A delay path is trained on its lag distribution: validate that (the MSE of one argmax copy is noisy).
        const objective = model.delay
          ? trainingLoss(model, x, y, { rollout: 1, choices: 1, loss }, genre)
          : lossOf(model, out, y, loss);
        return {
          validLoss: objective.item(),
          validMse: F.mseLoss(samples, y).item(),
          silenceMse: y.square().mean().item(),
          repeatMse: F.mseLoss(x.slice(1, x.size(1) - n), y).item(),
        };
      }),
    );
  } finally {
    model.train(wasTraining);
  }
}

/**
 * One batch of one song: the study's clips (fixed or jittered), or random crops long enough for the
 * warm-up and the rollout; after a warm-up, x is the model's own window and y what really followed.
 */
function trainingExamples(
  model: Generator,
  s: Prepared,
  rng: Random,
  c: GeneratorTrainConfig,
  genreOf: (rows: number) => Tensor | undefined,
): { x: Tensor; y: Tensor } {
  if (c.rollout === 1 && !c.warmup) return s.fixed ?? jitteredBatch(s.samples, rng, c.jitter);
  const { inputSamples: input, targetSamples: step } = studyClips;
  const crops = randomCrops(s.samples, rng, c.rolloutClips, input + (c.warmup + c.rollout) * step);
  const free = Math.floor(rng.next() * (c.warmup + 1));
  const start = crops.slice(1, 0, input);
  const x = free
    ? noGrad(() => cat([start, rollout(model, start, free, genreOf(c.rolloutClips))], 1).slice(1, free * step))
    : start;
  return { x, y: crops.slice(1, input + free * step, input + (free + c.rollout) * step) };
}

export function trainGenerator(o: TrainGeneratorOptions): { best: Best | null; epochs: number; path: string } {
  const c = o.config;
  const conditioned = c.model.conditioned;
  if (o.genre === "all" && !conditioned)
    throw new Error("train-generator: --genre all needs a genre-conditioned model (--conditioned)");
  const songs = o.genre === "all" ? o.songs : o.songs.filter((s) => s.track.genre === o.genre);
  if (!songs.length) throw new Error(`train-generator: no training songs of genre ${o.genre}`);
  const modelConfig = modelConfigOf(c, o.labels.length);
  const meta = (epoch: number, metrics: EpochMetrics | null, best: Best | null): GeneratorMeta => ({
    kind: "generator",
    genre: o.genre,
    genres: [...o.labels],
    sampleRate: WORK_RATE,
    model: modelConfig,
    train: c,
    trainSongs: songs.map((s) => s.track.id),
    epoch,
    metrics,
    best,
  });
  if (isTokenConfig(modelConfig)) return trainTokenGenerator({ ...o, songs, model: modelConfig, meta });
  setNumThreads(c.threads);
  const prepared: Prepared[] = songs.map((s) =>
    tidy(() => {
      const b = songBatch(s.samples, studyClips, s.track.id);
      return {
        id: s.track.id,
        samples: s.samples,
        label: tensor([s.track.label], [1], "int64").keep(),
        validX: b.validX.keep(),
        validY: b.validY.keep(),
        fixed: c.jitter || c.rollout > 1 || c.warmup ? null : { x: b.x.keep(), y: b.y.keep() },
      };
    }),
  );
  manualSeed(c.seed);
  const model = new Generator(modelConfig);
  try {
    return runEpochs({
      ...o,
      ...generatorLoop(model, c),
      meta,
      steps: (epoch) => {
        const order = new Random(mixSeed(c.seed, epoch, 2)).shuffle(prepared);
        const crops = new Random(mixSeed(c.seed, epoch, 3));
        return songSteps(order, c.songsPerStep, o.group ?? null).map((songs) => ({
          label: `song ${songs.map((s) => s.id).join(", ")}`,
          loss: () => {
            // Every rank draws every song's examples, in order, so the random stream is one process's;
            // its loss is that of its own songs.
            const [from, to] = shardRange(o.group ?? null, songs.length);
            const losses = songs.flatMap((s, k) => {
              const genreOf = (rows: number) => (conditioned ? s.label.expand(rows) : undefined);
              const { x, y } = trainingExamples(model, s, crops, c, genreOf);
              return k >= from && k < to ? [trainingLoss(model, x, y, c, genreOf(x.size(0)))] : [];
            });
            return losses.length === 1 ? losses[0]! : stack(losses).mean();
          },
        }));
      },
      validate: () => ({ ...validate(model, prepared, c.loss) }),
    });
  } finally {
    prepared.forEach((p) => [p.fixed?.x, p.fixed?.y, p.validX, p.validY, p.label].forEach((t) => t?.dispose()));
  }
}

/**
 * The epoch's songs in steps of `perStep` songs a rank (all ranks' songs of a step together); the last
 * step is filled from the epoch's first songs, as PyTorch's DistributedSampler pads, so no rank idles.
 */
function songSteps<T>(order: readonly T[], perStep: number, group: ProcessGroup | null): T[][] {
  const n = perStep * (group?.worldSize ?? 1);
  return Array.from({ length: Math.ceil(order.length / n) }, (_, i) =>
    Array.from({ length: n }, (_, k) => order[(i * n + k) % order.length]!),
  );
}

export const generatorCheckpointBase = (dir: string, genre: string): string =>
  join(dir, `generator-${fileStem(genre)}`);
