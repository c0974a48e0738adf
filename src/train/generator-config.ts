// The generator's training configuration, validated once at the edge (zod).
import { z } from "zod";
import { parseWith } from "./parse.js";

export const generatorConfigSchema = z.object({
  epochs: z.number().int().min(1).default(10),
  lr: z.number().positive().default(1e-3),
  /** Global gradient-norm clip. */
  clipNorm: z.number().positive().default(1),
  seed: z.number().int().min(0).default(0),
  patience: z.number().int().min(0).default(0),
  /**
   * Seconds each training clip's start may move per epoch (random crop; 0: the study's fixed clips).
   * On the demo set the fixed clips overfit within 2-3 epochs; with 0.5 every genre beats silence.
   */
  jitter: z.number().min(0).max(1).default(0.5),
  /**
   * 1: a second thread gained 1.3x in the benchmark but 0.8-1.3x over real runs on a 2-core VM
   * (small sequential GRU matmuls leave it idle, then it competes with the rest of the machine).
   */
  threads: z.number().int().min(1).default(1),
  model: z.object({
    cell: z.enum(["gru", "lstm"]).default("gru"),
    bidirectional: z.boolean().default(true),
    hiddenSize: z.number().int().min(1).default(256),
    numLayers: z.number().int().min(1).default(1),
    convChannels: z.number().int().min(1).default(64),
    convKernel: z.number().int().min(1).default(200),
    convStride: z.number().int().min(1).default(100),
    /** One model for all genres with a learned genre embedding (else one model per genre, the study). */
    conditioned: z.boolean().default(false),
    genreEmbedding: z.number().int().min(1).default(16),
    head: z.enum(["linear", "mulaw"]).default("linear"),
    mulawFeatures: z.number().int().min(1).default(16),
  }).default({}),
});

export type GeneratorTrainConfig = z.infer<typeof generatorConfigSchema>;

export const parseGeneratorConfig = (input: unknown, source = "generator config"): GeneratorTrainConfig =>
  parseWith(generatorConfigSchema, input, source);
