// The generator's training configuration, validated once at the edge (zod).
import { z } from "zod";
import { studyGenerator as study } from "../models/generator.js";
import { parseWith } from "../util/parse.js";
import { GENERATOR_PRESETS, withPreset } from "./generator-presets.js";

const generatorFields = z.object({
  /** The recipe the other settings start from (recorded, so a report can name it). */
  preset: z.enum(GENERATOR_PRESETS).default("genrelab"),
  /** Epochs (the waveform presets: 10; the token model's validation loss is lowest near 12). */
  epochs: z.number().int().min(1).default(12),
  /** Adam's learning rate (the waveform presets: 1e-3). */
  lr: z.number().positive().default(2e-3),
  /** Global gradient-norm clip. */
  clipNorm: z.number().positive().default(1),
  seed: z.number().int().min(0).default(0),
  patience: z.number().int().min(0).default(0),
  /**
   * Decay of a moving average of the weights that is validated and kept (train/weight-average.ts); 0: none
   * (the genrelab preset: 0.99).
   */
  average: z.number().min(0).max(0.9999).default(0),
  /**
   * Seconds each training clip's start may move per epoch (random crop; 0: the study's fixed clips).
   * On the demo set the fixed clips overfit within 2-3 epochs; with 0.5 every genre beats silence.
   */
  jitter: z.number().min(0).max(1).default(0.5),
  /**
   * Intra-op threads. The token model's large matmuls use both cores; the waveform presets take 1: a
   * second thread gained 1.3x in the benchmark but 0.8-1.3x over real runs on a 2-core VM (small
   * sequential GRU matmuls leave it idle, then it competes with the rest of the machine).
   */
  threads: z.number().int().min(1).default(2),
  /**
   * Free-running steps per training example: the model continues a real 0.9 s window K times from its
   * own output (K × 0.1 s) and the loss is on all K outputs, backpropagated through every step, so what
   * is trained is what generation does. 1: teacher forcing (the study).
   */
  rollout: z.number().int().min(1).max(50).default(4),
  /**
   * Up to this many free-running steps without gradients before the trained rollout (drawn per batch),
   * so training also starts from the model's own drifted output, as generation is seconds into a clip.
   */
  warmup: z.number().int().min(0).max(100).default(0),
  /**
   * Noise draws per step for a model with a noise input (model.noise > 0): the loss is on the draw
   * nearest the real continuation (multiple-choice learning). 1: no choice, the loss on one draw.
   */
  choices: z.number().int().min(1).max(64).default(1),
  /** Training examples per batch when rollout > 1 (random crops of one song; the study's 29 otherwise). */
  rolloutClips: z.number().int().min(1).default(8),
  /**
   * Waveform models: songs a step, their losses averaged (the study: 1, one song's clips a batch). Across
   * processes it is each rank's: a step of 2 ranks takes 2 songs, as one process with 2 here does.
   */
  songsPerStep: z.number().int().min(1).max(64).default(1),
  loss: z
    .object({
      /** Weight of the sample MSE (the study's loss). */
      mse: z.number().min(0).default(1),
      /** Weight of the multi-resolution STFT loss (magnitudes only: no reward for the silent mean). */
      spectral: z.number().min(0).default(0),
      fftSizes: z.array(z.number().int().min(16).multipleOf(4)).min(1).default([64, 128, 256, 512, 1024]),
      /** Weight, inside the spectral loss, of the L1 distance of frame log energies (the loudness envelope). */
      envelope: z.number().min(0).default(0),
    })
    .default({}),
  /** The spectral-token generator's settings (model.kind "tokens"; models/token-generator.ts). */
  tokens: z
    .object({
      /** Number of tokens: k-means centroids of STFT frames. */
      codebook: z.number().int().min(2).max(65536).default(2048),
      /**
       * Frames are tokenized by their log-mel spectra in this many bands, or by their log-magnitude bins (0).
       * Log-mel: 91 % against 85 % on 300 clips (docs/GENERATOR.md, item 12).
       */
      melBands: z.number().int().min(0).max(1024).default(128),
      /**
       * Tokens of a second, residual stage (0: none): each frame is also tokenized by what its first token
       * leaves of its log-magnitude, and the model draws that token given the first.
       */
      residual: z.number().int().min(0).max(65536).default(0),
      /**
       * Share of training crops given "no genre" instead of their genre (0: none), so that generation can
       * use classifier-free guidance.
       */
      genreDropout: z.number().min(0).max(0.9).default(0),
      /**
       * Heads of a causal self-attention layer over the GRU's output, each frame seeing the last `sequence`
       * frames (0: none).
       */
      attention: z.number().int().min(0).max(64).default(0),
      /**
       * Tell the model where each frame falls in the beat: beats tracked in the training songs; in generation,
       * the seed's genre's median tempo, its beats placed by the seed's onsets.
       */
      beat: z.boolean().default(false),
      /**
       * The temperature generation samples at unless told otherwise: where the clips' spectral flux is nearest
       * the real music's on the validation songs' seeds (docs/GENERATOR.md, items 13 and 20).
       */
      temperature: z.number().min(0).max(100).default(1.15),
      /** Classifier-free guidance scale at generation (1: none; other values need genreDropout > 0). */
      guidance: z.number().min(0).max(20).default(1),
      /** Beat guidance scale at generation (1: none; other values need the beat clock and no genre guidance). */
      beatGuidance: z.number().min(0).max(20).default(1),
      nFft: z.number().int().min(16).max(8192).multipleOf(2).default(512),
      hopLength: z.number().int().min(1).max(8192).default(128),
      hiddenSize: z.number().int().min(1).max(8192).default(384),
      numLayers: z.number().int().min(1).max(16).default(2),
      /** Dropout between the recurrent layers in training (0.3: 85 % against 80 % without, docs/GENERATOR.md). */
      dropout: z.number().min(0).max(0.9).default(0.3),
      /** Tokens per training crop (200 at hop 128: 2.6 s). */
      sequence: z.number().int().min(2).max(100_000).default(200),
      batch: z.number().int().min(1).max(4096).default(32),
      /** Frames sampled (seeded) from the training songs for k-means, and its iterations. */
      kmeansFrames: z.number().int().min(2).max(10_000_000).default(100_000),
      kmeansIterations: z.number().int().min(0).max(1000).default(15),
      /** What a token sounds as: the mean magnitude of its training frames, or their RMS (which keeps energy). */
      magnitude: z.enum(["mean", "rms"]).default("mean"),
      /**
       * Griffin-Lim iterations when rendering tokens as audio: 16 scored as 32 (92 % and 89 % on 300 clips,
       * docs/GENERATOR.md) in two thirds of the time.
       */
      griffinLim: z.number().int().min(0).max(1000).default(16),
    })
    .default({}),
  model: z
    .object({
      /**
       * "waveform": the study's family (Conv1d → GRU → a 0.1 s chunk of samples, with the options below);
       * "tokens": the spectral-token generator (the `tokens` settings; the options below are unused).
       */
      kind: z.enum(["waveform", "tokens"]).default("tokens"),
      cell: z.enum(["gru", "lstm"]).default(study.cell),
      bidirectional: z.boolean().default(study.bidirectional),
      hiddenSize: z.number().int().min(1).default(study.hiddenSize),
      numLayers: z.number().int().min(1).default(study.numLayers),
      convChannels: z.number().int().min(1).default(study.convChannels),
      convKernel: z.number().int().min(1).default(study.convKernel),
      convStride: z.number().int().min(1).default(study.convStride),
      /** One model for all genres with a learned genre embedding (else one model per genre, the study). */
      conditioned: z.boolean().default(true),
      genreEmbedding: z.number().int().min(1).default(study.genreEmbedding),
      head: z.enum(["linear", "mulaw"]).default(study.head),
      mulawFeatures: z.number().int().min(1).default(study.mulawFeatures),
      /** Size of the random input per output chunk (0: a deterministic model, the study). */
      noise: z.number().int().min(0).default(0),
      /**
       * A long-term predictor: each chunk copies the window's own past at a chosen lag of 0.1-0.9 s ("add":
       * plus the output layer; "only": alone).
       */
      delay: z.enum(["off", "add", "only"]).default("only"),
      /** Samples of the window's end that the delay path looks for earlier in the window (its match prior). */
      delayReference: z.number().int().min(1).max(8000).default(study.delayReference),
    })
    .default({}),
});

export type GeneratorTrainConfig = z.infer<typeof generatorFields>;

// The waveform model's options only constrain each other when that model is trained.
const tokens = (c: GeneratorTrainConfig): boolean => c.model.kind === "tokens";

export const generatorConfigSchema = z
  .preprocess(withPreset, generatorFields)
  .refine((c) => tokens(c) || c.loss.mse > 0 || c.loss.spectral > 0, {
    message: "at least one loss weight must be positive",
    path: ["loss"],
  })
  .refine(
    (c) => tokens(c) || c.choices === 1 || (c.model.noise > 0 && c.model.head === "linear" && c.model.delay === "off"),
    {
      message: "choices > 1 needs a noise input (model.noise > 0), the linear head and no delay path",
      path: ["choices"],
    },
  )
  .refine((c) => !tokens(c) || c.model.conditioned, {
    message: "the token model is always genre-conditioned (model.conditioned must stay true)",
    path: ["model", "conditioned"],
  })
  .refine(
    (c) =>
      !c.tokens.attention ||
      (c.tokens.hiddenSize % c.tokens.attention === 0 && (c.tokens.hiddenSize / c.tokens.attention) % 2 === 0),
    {
      message: "tokens.hiddenSize must split into tokens.attention heads of an even size",
      path: ["tokens", "attention"],
    },
  )
  .refine((c) => c.tokens.beatGuidance === 1 || (c.tokens.beat && c.tokens.guidance === 1), {
    message: "beat guidance needs the beat clock (tokens.beat) and no genre guidance (tokens.guidance 1)",
    path: ["tokens", "beatGuidance"],
  })
  .refine((c) => c.tokens.guidance === 1 || c.tokens.genreDropout > 0, {
    message: "guidance needs a model that also learnt to predict without a genre (tokens.genreDropout > 0)",
    path: ["tokens", "guidance"],
  })
  .refine((c) => tokens(c) || c.model.delay === "off" || c.model.head === "linear", {
    message: "the delay path needs the linear head",
    path: ["model", "delay"],
  })
  .refine(
    (c) => tokens(c) || c.model.head === "linear" || (c.loss.spectral === 0 && c.rollout === 1 && c.warmup === 0),
    {
      message:
        "the mu-law head samples its output, which is not differentiable: it needs loss.spectral 0, rollout 1 and " +
        "warmup 0",
      path: ["model", "head"],
    },
  );

export const parseGeneratorConfig = (input: unknown, source = "generator config"): GeneratorTrainConfig =>
  parseWith(generatorConfigSchema, input, source);
