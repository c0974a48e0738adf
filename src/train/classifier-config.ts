// The classifier's training configuration, validated once at the edge (zod) and passed down.
import { z } from "zod";
import { defaultMelSettings as mel } from "../audio/index.js";
import { studyClassifier as study } from "../models/classifier.js";
import { parseWith } from "../util/parse.js";

// The mel and network defaults are the audio and model layers' own (the study's), stated once there.

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
  /** With several ranks: batch norm statistics over all ranks' batches (else each rank's own, as DDP). */
  syncBatchNorm: z.boolean().default(false),
  /** Intra-op threads: the convolutional model gains from 2 on 2 cores. */
  threads: z.number().int().min(1).default(2),
  /** Window length in seconds: 5 s, the length of a generated clip, so both are judged alike. */
  windowSeconds: z.number().positive().default(5),
  /**
   * Training windows of songs in the cache are cut from each song's mel, computed once and stored beside
   * its audio (crops start on a frame); false computes every window's mel afresh each epoch.
   */
  storeMels: z.boolean().default(true),
  mel: z
    .object({
      nFft: z.number().int().min(16).default(mel.nFft),
      hopLength: z.number().int().min(1).default(mel.hopLength),
      nMels: z.number().int().min(8).default(mel.nMels),
      fMin: z.number().min(0).default(mel.fMin),
      fMax: z.number().positive().default(mel.fMax),
      topDb: z.number().positive().nullable().default(mel.topDb),
    })
    .default({}),
  model: z
    .object({
      channels: z
        .array(z.number().int().min(1))
        .min(1)
        .default([...study.channels]),
      dropout: z.number().min(0).max(1).default(study.dropout),
      head: z.enum(["flatten", "avg"]).default(study.head),
    })
    .default({}),
  augment: z
    .object({
      randomCrop: z.boolean().default(true),
      gainDb: z.number().min(0).default(0),
      freqMasks: z.number().int().min(0).default(0),
      freqMaskWidth: z.number().int().min(0).default(12),
      timeMasks: z.number().int().min(0).default(0),
      timeMaskWidth: z.number().int().min(0).default(20),
    })
    .default({}),
});

export type ClassifierTrainConfig = z.infer<typeof classifierConfigSchema>;

/** Validates user settings (from a file or flags); the message names the bad field. */
export const parseClassifierConfig = (input: unknown, source = "classifier config"): ClassifierTrainConfig =>
  parseWith(classifierConfigSchema, input, source);
