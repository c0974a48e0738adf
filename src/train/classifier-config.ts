// The classifier's training configuration, validated once at the edge (zod) and passed down.
import { z } from "zod";
import { parseWith } from "../util/parse.js";

export const classifierConfigSchema = z.object({
  epochs: z.number().int().min(1).default(30),
  batchSize: z.number().int().min(1).default(32),
  /** The study's Adam learning rate. */
  lr: z.number().positive().default(1e-4),
  weightDecay: z.number().min(0).default(0),
  seed: z.number().int().min(0).default(0),
  /** Stop after this many epochs without a better validation accuracy; 0 = never. */
  patience: z.number().int().min(0).default(8),
  lrSchedule: z.enum(["none", "cosine"]).default("none"),
  /** Intra-op threads: the convolutional model gains from 2 on 2 cores. */
  threads: z.number().int().min(1).default(2),
  /** Window length in seconds: 5 s, the length of a generated clip, so both are judged alike. */
  windowSeconds: z.number().positive().default(5),
  mel: z.object({
    nFft: z.number().int().min(16).default(1024),
    hopLength: z.number().int().min(1).default(256),
    nMels: z.number().int().min(8).default(128),
    fMin: z.number().min(0).default(0),
    fMax: z.number().positive().default(5000),
    topDb: z.number().positive().nullable().default(80),
  }).default({}),
  model: z.object({
    channels: z.array(z.number().int().min(1)).min(1).default([16, 32, 64, 128, 256]),
    dropout: z.number().min(0).max(1).default(0.5),
    head: z.enum(["flatten", "avg"]).default("flatten"),
  }).default({}),
  augment: z.object({
    randomCrop: z.boolean().default(true),
    gainDb: z.number().min(0).default(0),
    freqMasks: z.number().int().min(0).default(0),
    freqMaskWidth: z.number().int().min(0).default(12),
    timeMasks: z.number().int().min(0).default(0),
    timeMaskWidth: z.number().int().min(0).default(20),
  }).default({}),
});

export type ClassifierTrainConfig = z.infer<typeof classifierConfigSchema>;

/** Validates user settings (from a file or flags); the message names the bad field. */
export const parseClassifierConfig = (input: unknown, source = "classifier config"): ClassifierTrainConfig =>
  parseWith(classifierConfigSchema, input, source);
