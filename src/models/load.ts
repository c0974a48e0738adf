// Trained models from their checkpoints. What a sidecar must hold before a model is built from it: an
// edited or damaged sidecar (a window of 0 s, a hidden size of 1e9) is one clear error, not a crash or a
// huge allocation. Fields that only describe training (metrics, settings) pass through unchecked.
import { z } from "zod";
import { RATE_RANGE, type MelSettings } from "../audio/index.js";
import type { Tensor } from "../torch/index.js";
import { parseWith } from "../util/parse.js";
import { checkpointBase, loadCheckpoint } from "./checkpoint.js";
import { Classifier, type ClassifierConfig } from "./classifier.js";
import { Generator, studyGenerator, type GeneratorConfig } from "./generator.js";
import { isTokenConfig, type TokenGeneratorConfig } from "./token-config.js";
import { TokenGenerator } from "./token-generator.js";

/**
 * What using a trained classifier needs from its sidecar (training adds its settings and scores:
 * train/classifier.ts).
 */
export interface ClassifierInfo {
  kind: "classifier";
  genres: string[];
  sampleRate: number;
  windowSeconds: number;
  mel: MelSettings;
  model: ClassifierConfig;
  epoch: number;
}

/** What using a trained generator needs from its sidecar (training adds the rest: train/generator.ts). */
export interface GeneratorInfo {
  kind: "generator";
  /** The genre this model was trained on, or "all" for a conditioned model. */
  genre: string;
  genres: string[];
  sampleRate: number;
  model: GeneratorConfig | TokenGeneratorConfig;
  /** The training split's seed. */
  train: { seed: number };
  /** Training songs (their seeds must never be used for generation). */
  trainSongs: string[];
  epoch: number;
}

const size = (max: number) => z.number().int().min(1).max(max);
const common = {
  genres: z.array(z.string().min(1)).min(1).max(1000),
  sampleRate: z.number().int().min(RATE_RANGE[0]).max(RATE_RANGE[1]),
  epoch: z.number().int().min(0),
};

const melSettings = z
  .object({
    sampleRate: z.number().int().min(RATE_RANGE[0]).max(RATE_RANGE[1]),
    nFft: size(65_536),
    winLength: size(65_536),
    hopLength: size(65_536),
    nMels: size(1024),
    fMin: z.number().min(0),
    fMax: z.number().positive(),
    power: z.number().positive(),
    center: z.boolean(),
    padMode: z.enum(["reflect", "constant"]),
    norm: z.enum(["slaney"]).nullable(),
    melScale: z.enum(["htk", "slaney"]),
    topDb: z.number().positive().nullable(),
  })
  .refine(
    (m) => m.winLength <= m.nFft && m.fMin < m.fMax,
    "mel: winLength must not exceed nFft, fMin must be below fMax",
  );

export const classifierMetaSchema = z
  .object({
    kind: z.literal("classifier"),
    ...common,
    windowSeconds: z.number().positive().max(600),
    mel: melSettings,
    model: z.object({
      inputShape: z.tuple([size(1024), size(100_000)]),
      channels: z.array(size(4096)).min(1).max(16),
      numClasses: size(1000),
      dropout: z.number().min(0).max(1),
      head: z.enum(["flatten", "avg"]),
    }),
  })
  .passthrough();

// Keys added after the first checkpoints are optional: the loader fills them with the study's values.
const waveformModel = z
  .object({
    kind: z.literal("waveform").optional(),
    inputSamples: size(1_000_000),
    outputSamples: size(100_000),
    convChannels: size(4096),
    convKernel: size(100_000),
    convStride: size(100_000),
    cell: z.enum(["gru", "lstm"]),
    hiddenSize: size(8192),
    numLayers: size(16),
    bidirectional: z.boolean(),
    genres: z.number().int().min(0).max(1000),
    genreEmbedding: size(4096),
    head: z.enum(["linear", "mulaw"]),
    mulawFeatures: size(4096).optional(),
    noise: z.number().int().min(0).max(4096).optional(),
    delay: z.enum(["off", "add", "only"]).optional(),
    delayReference: size(100_000).optional(),
  })
  .refine(
    (m) => m.convKernel <= m.inputSamples && m.outputSamples < m.inputSamples,
    "model: the kernel and the output must fit in the input window",
  );

const tokenModel = z
  .object({
    kind: z.literal("tokens"),
    inputSamples: size(1_000_000),
    nFft: size(8192),
    hopLength: size(8192),
    codebook: size(65_536),
    melBands: z.number().int().min(0).max(1024).optional(),
    hiddenSize: size(8192),
    numLayers: size(16),
    dropout: z.number().min(0).max(1).optional(),
    genres: size(1000),
    griffinLimIterations: z.number().int().min(0).max(1000),
    residualCodebook: z.number().int().min(0).max(65_536).optional(),
    nullGenre: z.boolean().optional(),
    guidance: z.number().min(0).max(20).optional(),
    attentionHeads: z.number().int().min(0).max(64).optional(),
    attentionWindow: z.number().int().min(1).max(100_000).optional(),
    beatClock: z.boolean().optional(),
    beatGuidance: z.number().min(0).max(20).optional(),
    temperature: z.number().min(0).max(100).optional(),
  })
  .refine((m) => m.nFft % 2 === 0 && m.nFft <= m.inputSamples, "model: nFft must be even and fit in the seed")
  // Each table is codebook rows of bins or hidden values; 2^26 floats (256 MB) bounds what a sidecar can ask for.
  .refine(
    (m) => (m.guidance ?? 1) === 1 || m.nullGenre === true,
    "model: guidance needs the 'no genre' row (nullGenre)",
  )
  .refine(
    (m) => (m.beatGuidance ?? 1) === 1 || (m.beatClock === true && (m.guidance ?? 1) === 1),
    "model: beat guidance needs the beat clock, and no genre guidance",
  )
  .refine(
    (m) => !m.attentionHeads || (m.hiddenSize % m.attentionHeads === 0 && (m.hiddenSize / m.attentionHeads) % 2 === 0),
    "model: hiddenSize must split into attentionHeads heads of an even size",
  )
  .refine(
    (m) =>
      Math.max(m.codebook, m.residualCodebook ?? 0) * Math.max(m.nFft / 2 + 1, m.hiddenSize, m.melBands ?? 0) <=
      2 ** 26,
    "model: codebook × (frequency bins, mel bands or hidden size) exceeds 2^26",
  );

// Keys added after the first checkpoints are optional: the loader fills them with the study's values.
export const generatorMetaSchema = z
  .object({
    kind: z.literal("generator"),
    ...common,
    genre: z.string().min(1),
    model: z.union([tokenModel, waveformModel]),
    train: z.object({ seed: z.number().int().min(0) }).passthrough(),
    trainSongs: z.array(z.string()).max(1_000_000),
  })
  .passthrough();

/** Validates a sidecar read from `path` (throws naming the file and the first bad field). */
export function checkMeta(schema: z.ZodTypeAny, meta: unknown, path: string): void {
  parseWith(schema, meta, `${path}: damaged checkpoint sidecar`, "strip");
}

interface Loadable {
  loadStateDict(state: ReadonlyMap<string, Tensor>): void;
  eval(): unknown;
}

/**
 * A trained model from checkpoint `path` of `kind`, in evaluation mode: its sidecar checked against
 * `schema` before `build` makes the model from it; a weight that does not fit is an error naming the file.
 */
export function loadModel<M extends { kind: string }, T extends Loadable>(
  path: string,
  kind: M["kind"],
  schema: z.ZodTypeAny,
  build: (meta: M) => T,
): { model: T; meta: M } {
  const ck = loadCheckpoint(path, (meta, sidecar) => {
    const found = (meta as { kind?: unknown } | null)?.kind;
    if (found !== kind) throw new Error(`${path}: not a ${kind} checkpoint (kind ${String(found)})`);
    checkMeta(schema, meta, sidecar);
    return meta as M;
  });
  const model = build(ck.meta);
  try {
    model.loadStateDict(ck.weights);
  } catch (err) {
    throw new Error(`${checkpointBase(path)}.safetensors: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    ck.weights.forEach((t) => t.dispose());
  }
  model.eval();
  return { model, meta: ck.meta };
}

/** A trained classifier from a checkpoint (best or last), in evaluation mode. */
export function loadClassifier(path: string): { model: Classifier; meta: ClassifierInfo } {
  return loadModel<ClassifierInfo, Classifier>(
    path,
    "classifier",
    classifierMetaSchema,
    (meta) => new Classifier(meta.model),
  );
}

/** A trained generator (either kind) from a checkpoint, in evaluation mode. */
export function loadGenerator(path: string): { model: Generator | TokenGenerator; meta: GeneratorInfo } {
  // Checkpoints from before an option existed lack its key: the study's value is "off".
  return loadModel<GeneratorInfo, Generator | TokenGenerator>(path, "generator", generatorMetaSchema, (meta) =>
    isTokenConfig(meta.model) ? new TokenGenerator(meta.model) : new Generator({ ...studyGenerator, ...meta.model }),
  );
}
