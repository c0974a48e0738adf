// Drawing a token model's continuation of seeds: the seed's tokens prime it, each next frame's tokens are
// sampled (optionally guided by the genre, classifier-free), and the frames are rendered by Griffin-Lim.
import { WORK_RATE } from "../audio/load.js";
import { cat, noGrad, stack, tensor, tidy, toArray, type Tensor } from "../torch/index.js";
import { slicePositions } from "./beat-clock.js";
import { guide, sampleCategorical } from "./sampling.js";
import type { TokenGenerator, TokenState } from "./token-generator.js";

/** Whether drawing mixes logits with and without the genre (the batch then holds both, genre rows first). */
const isGuided = (m: TokenGenerator): boolean => (m.config.guidance ?? 1) !== 1;

/** Beat positions of every frame after each seed (twice when guided), for a model with a beat clock. */
function seedBeats(
  m: TokenGenerator,
  seeds: Tensor,
  genre: Tensor,
  frames: number,
  tempo?: number,
): Float64Array[] | undefined {
  if (!m.clock) return undefined;
  const all = seeds.contiguous().toTypedArray() as Float32Array;
  const n = seeds.size(1);
  const rows = Array.from({ length: seeds.size(0) }, (_, i) => all.subarray(i * n, (i + 1) * n));
  const period = tempo && 60 / tempo;
  const beats = m.clock.positionsForSeeds(rows, toArray(genre), frames, m.config.hopLength, WORK_RATE, period);
  return isGuided(m) ? [...beats, ...beats] : beats;
}

/** Logits [2B, K] of the genre rows and the no-genre rows → the guided logits [B, K]; unguided: as they are. */
function guided(m: TokenGenerator, logits: Tensor): Tensor {
  if (!isGuided(m)) return logits;
  const [conditional, unconditional] = logits.chunk(2, 0) as [Tensor, Tensor];
  return guide(conditional, unconditional, m.config.guidance ?? 1);
}

/**
 * Draws the next frame's tokens [B, 1, stages] from the recurrent output at the last frame [B, hidden]
 * (guided: [2B, hidden], and the drawn tokens are repeated for both halves).
 */
function draw(m: TokenGenerator, y: Tensor, temperature: number): Tensor {
  const topP = m.config.topP ?? 1;
  const both = (t: Tensor) => (isGuided(m) ? cat([t, t]) : t);
  return tidy(() => {
    const first = both(sampleCategorical(guided(m, m.logits(y)), temperature, topP));
    if (!m.residual) return first.view(-1, 1, 1);
    const second = both(sampleCategorical(guided(m, m.residualLogits(y, first)), temperature, topP));
    return stack([first, second], 1).unsqueeze(1);
  });
}

/**
 * Continues each seed (audio [B, inputSamples]) by `samples` new samples: the seed's tokens prime the
 * model, `temperature` scales the sampled tokens' logits, and Griffin-Lim renders the continuation
 * after the seed's last frames (so its phase runs on from theirs); returns the new samples [B, samples].
 * A model with a beat clock keeps `tempo` (beats a minute; default: each seed's genre's median).
 */
export function continueTokens(
  m: TokenGenerator,
  seeds: Tensor,
  genre: Tensor,
  samples: number,
  temperature: number,
  tempo?: number,
): Tensor {
  const c = m.config;
  return noGrad(() =>
    tidy(() => {
      const seed = m.encode(seeds);
      const seedFrames = seed.size(1);
      // Frame t is centred on sample t·hop; as many frames as stft makes of the whole clip.
      const total = Math.floor((c.inputSamples + samples) / c.hopLength) + 1;
      // Guided, each clip runs twice in one batch: with its genre, then with "no genre".
      const twice = isGuided(m);
      const genres = twice
        ? cat([genre, tensor(Array(genre.size(0)).fill(m.noGenre), [genre.size(0)], "int64")])
        : genre;
      const g = m.genreEmbedding.forward(genres).unsqueeze(1);
      const beats = seedBeats(m, seeds, genre, total, tempo);
      const [y, state] = m.step(
        twice ? cat([seed, seed]) : seed,
        g,
        undefined,
        beats && slicePositions(beats, 0, seedFrames),
      );
      let h: TokenState = state;
      let last = y.select(1, seedFrames - 1);
      const drawn: Tensor[] = [];
      for (let t = seedFrames; t < total; t++) {
        const next = draw(m, last, temperature);
        drawn.push(next);
        const out = tidy(() => {
          const [l, s] = m.step(next, g, h, beats && slicePositions(beats, t, 1));
          return [l.select(1, 0), s] as const;
        });
        for (const x of [last, h.gru, h.attention?.keys, h.attention?.values]) x?.dispose();
        [last, h] = out;
      }
      // Griffin-Lim renders the seed's last frames too, twice the nFft/hop frames a sample shares (0.1 s by
      // default), so the start of the rendering, where stft pads, is not heard; earlier frames would only
      // cost time (the clip's seed is the real audio, not their rendering).
      const start = Math.max(0, seedFrames - 2 * Math.ceil(c.nFft / c.hopLength));
      const offset = start * c.hopLength;
      const tokens = cat(
        [seed.narrow(1, start, seedFrames - start), ...drawn.map((d) => d.narrow(0, 0, seeds.size(0)))],
        1,
      );
      const audio = m.decode(tokens, c.inputSamples + samples - offset);
      return audio.slice(1, c.inputSamples - offset).contiguous();
    }),
  );
}
