// The generator recipes of the experiment table (docs/GENERATOR.md), as `genrelab run --config` files:
// each changes only the generator; the demo set, the split, the seeds and the judge are shared. Every
// recipe but the last starts from the study's preset and names what it changes, so a change of
// genrelab's defaults cannot change them.
export interface Recipe {
  name: string;
  description: string;
  config: { generator: Record<string, unknown>; generation?: Record<string, unknown> };
}

const study = { preset: "study" };
const cond = (model: Record<string, unknown> = {}) => ({ model: { conditioned: true, ...model } });
const stft = { loss: { mse: 1, spectral: 1 } };
const roll = (rollout: number, rolloutClips: number) => ({ rollout, rolloutClips });
const tokens = {
  ...study,
  lr: 2e-3,
  threads: 2,
  ...cond({ kind: "tokens" }),
  tokens: { dropout: 0, melBands: 0, griffinLim: 32 },
};
// genrelab's default before its tokens were found among log-mel spectra (item 12).
// genrelab's default of items 12–18 (tokens of log-mel spectra, no moving average of the weights).
// Its tokens settings are pinned where the default moved on (the beat clock and its temperature, item 20):
// every recipe derived from it spreads `mel` into its own tokens settings.
const mel = { beat: false, temperature: 1.15 };
const tokensMel = { preset: "genrelab", average: 0, tokens: mel };
const logMag = { ...tokensMel, tokens: { ...mel, melBands: 0, griffinLim: 32 } };
// The token recipes before the default temperature moved to 1.15 were measured at 1.
const t1 = { temperature: 1 };

export const RECIPES: Recipe[] = [
  { name: "study", description: "the study: 10 per-genre models, MSE, fixed clips", config: { generator: study } },
  {
    name: "study-jitter",
    description: "per-genre, MSE, clips jittered ±0.5 s (genrelab's default before this table)",
    config: { generator: { ...study, jitter: 0.5 } },
  },
  {
    name: "cond-mse",
    description: "one genre-conditioned model on all songs, MSE, jitter",
    config: { generator: { ...study, jitter: 0.5, ...cond() } },
  },
  {
    name: "cond-stft",
    description: "conditioned, multi-resolution STFT loss + MSE, one step",
    config: { generator: { ...study, jitter: 0.5, ...cond(), ...stft } },
  },
  {
    name: "cond-stft-only",
    description: "conditioned, STFT loss alone, one step",
    config: { generator: { ...study, jitter: 0.5, ...cond(), loss: { mse: 0, spectral: 1 } } },
  },
  {
    name: "cond-stft-roll4",
    description: "conditioned, STFT + MSE on a 4-step (0.4 s) rollout, 8 crops per batch",
    config: { generator: { ...study, ...cond(), ...roll(4, 8), ...stft } },
  },
  {
    name: "cond-stft-roll8",
    description: "conditioned, STFT + MSE on an 8-step (0.8 s) rollout, 4 crops per batch",
    config: { generator: { ...study, ...cond(), ...roll(8, 4), ...stft } },
  },
  {
    name: "cond-stft-roll4-w20",
    description: "cond-stft-roll4 after 0-20 free-running warm-up steps without gradients",
    config: { generator: { ...study, ...cond(), ...roll(4, 8), warmup: 20, ...stft } },
  },
  {
    name: "cond-noise-c8",
    description: "conditioned, STFT + MSE, a 32-d noise input, best of 8 draws per step (multiple-choice learning)",
    config: { generator: { ...study, jitter: 0.5, choices: 8, ...stft, ...cond({ noise: 32 }) } },
  },
  {
    name: "cond-noise-roll4-c4",
    description: "conditioned, noise input, best of 4 draws per step of a 4-step rollout, 8 crops",
    config: { generator: { ...study, ...roll(4, 8), choices: 4, ...stft, ...cond({ noise: 32 }) } },
  },
  {
    name: "cond-noise-c8-env",
    description: "cond-noise-c8 with the loudness-envelope term (weight 1)",
    config: {
      generator: {
        ...study,
        jitter: 0.5,
        choices: 8,
        loss: { mse: 1, spectral: 1, envelope: 1 },
        ...cond({ noise: 32 }),
      },
    },
  },
  {
    name: "copy-add",
    description:
      "conditioned, the delay path (a lag chosen per step, trained on soft best-lag targets) plus the output layer",
    config: { generator: { ...study, jitter: 0.5, ...stft, ...cond({ delay: "add" }) } },
  },
  {
    name: "copy-only",
    description: "conditioned, the delay path alone (no output layer)",
    config: { generator: { ...study, jitter: 0.5, ...cond({ delay: "only" }) } },
  },
  {
    name: "copy-only-ref300",
    description: "copy-only with a 0.3 s reference for the match prior",
    config: { generator: { ...study, jitter: 0.5, ...cond({ delay: "only", delayReference: 3000 }) } },
  },
  {
    name: "copy-only-roll8",
    description: "copy-only trained on 8-step rollouts, 4 crops",
    config: { generator: { ...study, ...roll(8, 4), ...cond({ delay: "only" }) } },
  },
  {
    name: "copy-only-roll4-e20",
    description: "copy-only trained on 4-step rollouts for 20 epochs",
    config: { generator: { ...study, epochs: 20, ...roll(4, 8), ...cond({ delay: "only" }) } },
  },
  {
    name: "cond-mulaw",
    description: "conditioned, the mu-law 256-way head sampled at temperature 1, jitter",
    config: { generator: { ...study, jitter: 0.5, ...cond({ head: "mulaw" }) } },
  },
  {
    name: "tokens",
    description:
      "spectral tokens (k-means of 2048 STFT frames) + a 2-layer GRU language model, sampled at T 1; Griffin-Lim",
    config: { generator: tokens, generation: t1 },
  },
  {
    name: "tokens-e20",
    description: "tokens, 20 epochs",
    config: { generator: { ...tokens, epochs: 20 }, generation: t1 },
  },
  {
    name: "tokens-d3-e15",
    description: "tokens, dropout 0.3 between the GRU layers, 15 epochs",
    config: {
      generator: { ...tokens, epochs: 15, tokens: { dropout: 0.3, melBands: 0, griffinLim: 32 } },
      generation: t1,
    },
  },
  {
    name: "tokens-rms",
    description: "tokens-logmag with each token rendered at the RMS of its frames' magnitudes (not their mean)",
    config: {
      generator: { ...logMag, tokens: { ...mel, melBands: 0, griffinLim: 32, magnitude: "rms" } },
      generation: t1,
    },
  },
  {
    name: "tokens-kmeans-all",
    description: "tokens-logmag with its tokens fitted on every training frame (as drawn) for 25 iterations",
    config: {
      generator: {
        ...logMag,
        tokens: { ...mel, melBands: 0, griffinLim: 32, kmeansFrames: 450_000, kmeansIterations: 25 },
      },
    },
  },
  {
    name: "tokens-logmag",
    description: "genrelab's default before item 12: tokens found among the frames' log-magnitudes",
    config: { generator: logMag },
  },
  {
    name: "tokens-long",
    description: "tokens-mel trained on 400-token crops (5.1 s, as long as a clip's continuation), 16 a batch",
    config: { generator: { ...tokensMel, tokens: { ...mel, sequence: 400, batch: 16, griffinLim: 32 } } },
  },
  {
    name: "tokens-residual",
    description:
      "tokens-mel with a second, residual stage of 2048 tokens (what each frame's first token leaves of its " +
      "log-magnitude), drawn given the first",
    config: { generator: { ...tokensMel, tokens: { ...mel, residual: 2048 } } },
  },
  {
    name: "tokens-cfg",
    description: "tokens-mel trained with 20 % of its crops given no genre, sampled with classifier-free guidance 1.5",
    config: { generator: { ...tokensMel, tokens: { ...mel, genreDropout: 0.2, guidance: 1.5 } } },
  },
  {
    name: "tokens-e16",
    description: "tokens-mel trained for 16 epochs instead of 12",
    config: { generator: { ...tokensMel, epochs: 16 } },
  },
  {
    name: "tokens-ema99",
    description:
      "tokens-mel validated and kept as a moving average of its weights (decay 0.99: ~100 steps, 1.5 epochs)",
    config: { generator: { ...tokensMel, average: 0.99 } },
  },
  {
    name: "tokens-k4096",
    description:
      "the default of item 19 (tokens-ema99) with 4096 tokens instead of 2048 (more of each frame kept: item 12)",
    config: { generator: { ...tokensMel, average: 0.99, tokens: { ...mel, codebook: 4096 } } },
  },
  {
    name: "copy",
    description:
      "genrelab's earlier default (--preset copy): copy-only trained on 4-step rollouts from sampled lags, 8 crops",
    config: { generator: { preset: "copy" } },
  },
  {
    name: "tokens-hop256",
    description:
      "the default of item 19 (tokens-ema99) with a frame every 25.6 ms instead of 12.8 (hop 256): half the steps " +
      "between beats, crops of 5.1 s",
    config: { generator: { ...tokensMel, average: 0.99, tokens: { ...mel, hopLength: 256 } } },
  },
  {
    name: "tokens-attn",
    description:
      "the default of item 19 (tokens-ema99) with a causal self-attention layer (4 heads, rotary positions) over the " +
      "GRU's output, each frame seeing the last 200 (2.6 s)",
    config: { generator: { ...tokensMel, average: 0.99, tokens: { ...mel, attention: 4 } } },
  },
  {
    name: "tokens-beat",
    description:
      "the default of item 19 (tokens-ema99) told where each frame falls in the beat (a beat tracker's beats in " +
      "training; the genre's median tempo placed on the seed's onsets in generation), sampled at T 1.05 (item 20)",
    config: {
      generator: { ...tokensMel, average: 0.99, tokens: { ...mel, beat: true, temperature: 1.05 } },
      generation: { temperature: 1.05 },
    },
  },
  {
    name: "tokens-mel",
    description:
      "genrelab's default of items 12–18: tokens of log-mel spectra, dropout 0.3, 12 epochs, sampled at T 1.15",
    config: { generator: tokensMel },
  },
  {
    name: "genrelab",
    description: "genrelab's default (--preset genrelab): tokens-mel kept as a moving average of its weights (item 19)",
    config: { generator: { preset: "genrelab" } },
  },
];

/**
 * The recipe trained with another generator seed (initialisation, k-means sample, crops) and, when not 10,
 * another number of clips a genre: one more training run of it, to tell recipes apart from run-to-run spread.
 */
export function variant(r: Recipe, seed: number, perGenre: number): Recipe {
  if (seed === 0 && perGenre === 10) return r;
  const name = `${r.name}${seed ? `-seed${seed}` : ""}${perGenre === 10 ? "" : `-x${perGenre}`}`;
  const generation = perGenre === 10 ? r.config.generation : { ...r.config.generation, perGenre };
  return {
    name,
    description: `${r.description}; seed ${seed}, ${perGenre} clips a genre`,
    config: { generator: { ...r.config.generator, seed }, ...(generation ? { generation } : {}) },
  };
}

/** The recipe a variant's name comes from ("genrelab-seed1-x30" → "genrelab"), if any. */
export const baseOf = (name: string): Recipe | undefined =>
  RECIPES.find((r) => r.name === name.replace(/(-seed\d+)?(-x\d+)?$/, ""));
