// The run configuration: every setting of a `genrelab run`, validated once and saved, fully resolved,
// as the run folder's config.json.
import { z } from "zod";
import { parseSplit, type SplitName } from "../data/index.js";
import { TOKEN_TEMPERATURE } from "../models/generate.js";
import { classifierConfigSchema } from "../train/classifier-config.js";
import { generatorConfigSchema } from "../train/generator-config.js";
import { isPlain } from "../util/merge.js";
import { parseWith } from "../util/parse.js";

/** seed, fault-filtered, fma, fold:K/N or file:PATH (data/splits.ts). */
const splitSchema = z
  .string()
  .superRefine((s, ctx) => {
    try {
      parseSplit(s);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
    }
  })
  .transform((s) => s as SplitName);

export const runConfigSchema = z.object({
  split: splitSchema.default("seed"),
  /** Seed of the split (the seed split's shuffle). */
  seed: z.number().int().min(0).default(0),
  classifier: classifierConfigSchema.default({}),
  generator: generatorConfigSchema.default({}),
  generation: z
    .object({
      seconds: z.number().positive().max(120).default(5),
      perGenre: z.number().int().min(1).max(1000).default(10),
      /**
       * Sampling temperature of a token model, a mu-law head or the delay path's lags; unset: the model's
       * default (tokens: their own, mu-law 1, delay 0).
       */
      temperature: z.number().min(0).optional(),
      seed: z.number().int().min(0).default(0),
    })
    .default({}),
});

export type RunConfig = z.infer<typeof runConfigSchema>;

/** `--quick`: tiny models and short runs, to see the whole pipeline work in a minute or two. */
export const quickPreset = {
  classifier: { epochs: 3, patience: 0, lr: 2e-3, model: { channels: [8, 16, 32, 32, 32], head: "avg" } },
  generator: {
    epochs: 2,
    lr: 3e-3,
    tokens: { codebook: 256, hiddenSize: 64, kmeansFrames: 20_000 },
    model: { convChannels: 16, hiddenSize: 32 },
  },
  generation: { perGenre: 2, seconds: 2 },
};

export const parseRunConfig = (
  input: unknown,
  source = "run config",
  unknown: "error" | "strip" = "error",
): RunConfig => parseWith(runConfigSchema, input, source, unknown);

/**
 * A run folder's saved config.json, for resuming. One saved before generator presets existed holds
 * every setting of its time and none of the options added since, which must stay off rather than take
 * today's defaults: the study preset's values for them are exactly "off". One saved before the token
 * model holds no model.kind: its model was the waveform one. Settings since removed are dropped.
 */
export function parseSavedRunConfig(saved: unknown, source: string): RunConfig {
  const s = saved as {
    generator?: Record<string, unknown> & { model?: Record<string, unknown> };
    classifier?: unknown;
  } | null;
  if (!s || typeof s !== "object") return parseRunConfig(saved, source, "strip");
  const g = s.generator ?? {};
  const beforeTokens = g.model?.kind === undefined;
  const model = beforeTokens ? { ...g.model, kind: "waveform" } : g.model;
  // Its "genrelab" was today's "copy" preset.
  const preset = g.preset === undefined ? "study" : beforeTokens && g.preset === "genrelab" ? "copy" : g.preset;
  // A token model saved before the beat clock (and the temperature kept with it) had neither.
  const tokens = isPlain(g.tokens) ? { beat: false, temperature: TOKEN_TEMPERATURE, ...g.tokens } : g.tokens;
  // A classifier saved before the mel store computed every window's mel: it resumes so.
  const classifier = isPlain(s.classifier) ? { storeMels: false, ...s.classifier } : s.classifier;
  return parseRunConfig(
    { ...s, classifier, generator: { ...g, preset, model, ...(tokens ? { tokens } : {}) } },
    source,
    "strip",
  );
}
