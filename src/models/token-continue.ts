// Drawing a token model's continuation of seeds: the seed's tokens prime it, each next frame's tokens are
// sampled (optionally guided by the genre, classifier-free, or by the beat), and Griffin-Lim renders them.
import { WORK_RATE } from "../audio/load.js";
import { cat, noGrad, stack, tensor, tidy, toArray, type Tensor } from "../torch/index.js";
import { slicePositions } from "./beat-clock.js";
import { guide, sampleCategorical } from "./sampling.js";
import type { TokenGenerator, TokenState } from "./token-generator.js";

/**
 * How drawing is guided, if at all (the batch then holds each clip twice, the conditioned rows first):
 * by the genre (classifier-free: the second rows have "no genre"), or by the beat (the second rows' clock
 * runs half a beat late, so what the model draws on the beat is weighed against what it draws off it).
 */
interface Guidance {
  by: "genre" | "beat";
  scale: number;
}

function guidanceOf(m: TokenGenerator): Guidance | null {
  const [genre, beat] = [m.config.guidance ?? 1, m.config.beatGuidance ?? 1];
  if (beat !== 1 && !m.clock) throw new Error("beat guidance needs a model trained with the beat clock");
  if (beat !== 1 && genre !== 1) throw new Error("a model guided by its genre cannot be guided by the beat");
  if (genre !== 1) return { by: "genre", scale: genre };
  return beat !== 1 ? { by: "beat", scale: beat } : null;
}

/** Beat positions of every frame after each seed (twice when guided), for a model with a beat clock. */
function seedBeats(
  m: TokenGenerator,
  guidance: Guidance | null,
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
  if (!guidance) return beats;
  return [...beats, ...(guidance.by === "beat" ? beats.map((row) => row.map((p) => p - 0.5)) : beats)];
}

/** Logits [2B, K] of the conditioned rows and the others → the guided logits [B, K]; unguided: as they are. */
function guided(guidance: Guidance | null, logits: Tensor): Tensor {
  if (!guidance) return logits;
  const [conditional, unconditional] = logits.chunk(2, 0) as [Tensor, Tensor];
  return guide(conditional, unconditional, guidance.scale);
}

/**
 * Draws the next frame's tokens [B, 1, stages] from the recurrent output at the last frame [B, hidden]
 * (guided: [2B, hidden], and the drawn tokens are repeated for both halves).
 */
function draw(m: TokenGenerator, guidance: Guidance | null, y: Tensor, temperature: number): Tensor {
  const topP = m.config.topP ?? 1;
  const both = (t: Tensor) => (guidance ? cat([t, t]) : t);
  return tidy(() => {
    const first = both(sampleCategorical(guided(guidance, m.logits(y)), temperature, topP));
    if (!m.residual) return first.view(-1, 1, 1);
    const second = both(sampleCategorical(guided(guidance, m.residualLogits(y, first)), temperature, topP));
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
  const guidance = guidanceOf(m);
  return noGrad(() =>
    tidy(() => {
      const seed = m.encode(seeds);
      const seedFrames = seed.size(1);
      // Frame t is centred on sample t·hop; as many frames as stft makes of the whole clip.
      const total = Math.floor((c.inputSamples + samples) / c.hopLength) + 1;
      // Guided, each clip runs twice in one batch: with its genre, then with "no genre" or a late clock.
      const noGenre = () => tensor(Array(genre.size(0)).fill(m.noGenre), [genre.size(0)], "int64");
      const genres = guidance ? cat([genre, guidance.by === "genre" ? noGenre() : genre]) : genre;
      const g = m.genreEmbedding.forward(genres).unsqueeze(1);
      const beats = seedBeats(m, guidance, seeds, genre, total, tempo);
      const [y, state] = m.step(
        guidance ? cat([seed, seed]) : seed,
        g,
        undefined,
        beats && slicePositions(beats, 0, seedFrames),
      );
      let h: TokenState = state;
      let last = y.select(1, seedFrames - 1);
      const drawn: Tensor[] = [];
      for (let t = seedFrames; t < total; t++) {
        const next = draw(m, guidance, last, temperature);
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
