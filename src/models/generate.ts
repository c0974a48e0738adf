// Autoregressive generation: from 0.9 s seeds, predict 0.1 s, slide the window, repeat — every clip of
// a request in one batch per step.
import { mulawDecode } from "../audio/index.js";
import { assertFinite, cat, noGrad, tensor, tidy, type Tensor } from "../torch/index.js";
import type { Generator, GeneratorConfig } from "./generator.js";
import { sampleCategorical } from "./sampling.js";
import { isTokenConfig, type TokenGeneratorConfig } from "./token-config.js";
import { continueTokens } from "./token-continue.js";
import { TokenGenerator } from "./token-generator.js";

export interface GenerateOptions {
  /** Seconds of new audio per clip (the study: 5). */
  seconds: number;
  sampleRate: number;
  /** Sampling temperature of the mu-law head's levels and of the delay path's lags; default: defaultTemperature. */
  temperature?: number;
  /** Genre label of each seed, for a genre-conditioned model. */
  genres?: readonly number[];
  /** Beats a minute of a model with a beat clock (default: each seed's genre's usual tempo). */
  tempo?: number;
}

/**
 * The temperature a model generates at unless told otherwise. A token model samples at the temperature it
 * was trained for (`tokens.temperature`; 1.15 in checkpoints before it was recorded), where its clips change
 * from frame to frame as much as real music does (spectral flux ~0.9-1.0× the real continuation's); the
 * mu-law head samples its levels at 1 (at 0 its most likely level is near silence); the delay path takes
 * its most likely lag (0). All measured on the demo set (docs/GENERATOR.md).
 */
export const TOKEN_TEMPERATURE = 1.15;
export const defaultTemperature = (c: GeneratorConfig | TokenGeneratorConfig): number =>
  isTokenConfig(c) ? (c.temperature ?? TOKEN_TEMPERATURE) : c.head === "mulaw" ? 1 : 0;

/** Whether a model draws anything (tokens, mu-law levels, the delay path's lags): the temperature matters. */
export const usesTemperature = (c: GeneratorConfig | TokenGeneratorConfig): boolean =>
  isTokenConfig(c) || c.head === "mulaw" || (c.delay ?? "off") !== "off";

/**
 * Continues each seed (rows of [clips, inputSamples]) by `seconds` of audio; returns one Float32Array
 * of new samples per clip. Output is clipped to [-1, 1]; NaN or Inf stops with an error naming the step.
 */
export function generate(model: Generator | TokenGenerator, seeds: Float32Array[], o: GenerateOptions): Float32Array[] {
  const c = model.config;
  const total = Math.round(o.seconds * o.sampleRate);
  if (!seeds.length) return [];
  for (const s of seeds)
    if (s.length !== c.inputSamples)
      throw new Error(`generate: each seed must have ${c.inputSamples} samples, got ${s.length}`);
  if (c.genres > 0 && (!o.genres || o.genres.length !== seeds.length))
    throw new Error("generate: a genre-conditioned model needs one genre per seed");
  const temperature = o.temperature ?? defaultTemperature(c);
  if (o.tempo !== undefined && !(model instanceof TokenGenerator && model.clock))
    throw new Error("generate: a tempo needs a model trained with the beat clock (tokens.beat)");
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() =>
      tidy(() => {
        const genre = c.genres > 0 ? tensor(o.genres!, [seeds.length], "int64") : undefined;
        const x = tensor(Float32Array.from(seeds.flatMap((s) => Array.from(s))), [seeds.length, c.inputSamples]);
        let all: Tensor;
        if (model instanceof TokenGenerator) {
          all = continueTokens(model, x, genre!, total, temperature, o.tempo);
          assertFinite(all, "generation");
        } else {
          all = continueWaveform(model, x, genre, total, temperature);
        }
        const flat = all.clamp(-1, 1).contiguous().toTypedArray() as Float32Array;
        return seeds.map((_, i) => flat.slice(i * total, (i + 1) * total));
      }),
    );
  } finally {
    model.train(wasTraining);
  }
}

/** The waveform model's loop: predict 0.1 s from the last 0.9 s, slide the window, repeat; [B, total]. */
function continueWaveform(
  model: Generator,
  x: Tensor,
  genre: Tensor | undefined,
  total: number,
  temperature: number,
): Tensor {
  const c = model.config;
  const steps = Math.ceil(total / c.outputSamples);
  let window = x;
  const outputs: Tensor[] = [];
  for (let step = 1; step <= steps; step++) {
    const next = tidy(() => {
      const y = model.forward(window, genre, { temperature });
      const samples = c.head === "mulaw" ? mulawDecode(sampleCategorical(y, temperature)) : y;
      assertFinite(samples, `generation step ${step} of ${steps}`);
      return samples.clamp(-1, 1);
    });
    outputs.push(next);
    const slid = cat([window.slice(1, c.outputSamples), next], 1);
    if (window !== x) window.dispose();
    window = slid;
  }
  return cat(outputs, 1).slice(1, 0, total);
}
