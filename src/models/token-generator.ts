// The spectral-token generator: audio as a sequence of tokens, one per STFT frame (the nearest of K
// k-means centroids of the frames' log-mel spectra), a genre-conditioned GRU language model over them that
// is sampled, and the waveform of the sampled frames by Griffin-Lim. The study's generator regresses
// the next 0.1 s of samples and so predicts the mean of all possible futures — near silence; a
// categorical over frames can commit to one future (an onset, a note) and phase is left to the vocoder.
// The same plan as audio language models (AudioLM, Jukebox: discrete tokens, an autoregressive model,
// sampling), small enough for two cores.
import { griffinLim } from "../audio/griffin-lim.js";
import { WORK_RATE } from "../audio/load.js";
import { melFilterbank } from "../audio/mel.js";
import { F, cat, hannWindow, stack, tensor, tidy, zeros, nn, type Tensor } from "../torch/index.js";
import { BeatClock } from "./beat-clock.js";
import type { TokenGeneratorConfig } from "./token-config.js";

/** The settings of how a token model draws and renders, which change no weight. */
type SamplingSetting = "temperature" | "topP" | "guidance" | "beatGuidance" | "griffinLimIterations";

/** Floor of the magnitudes before the log: −60 dB of a full-scale sine's bin, so silence clusters too. */
const FLOOR = 1e-3;

export class TokenGenerator extends nn.Module {
  readonly embedding: nn.Embedding;
  readonly genreEmbedding: nn.Embedding;
  readonly gru: nn.GRU;
  readonly fc: nn.Linear;
  /** Centroids of frames' features [K, melBands or nFft/2+1]: what a frame is tokenized by. */
  readonly centroids: Tensor;
  /** The mean (or RMS) linear magnitude of each token's training frames [K, nFft/2+1]: what a token sounds as. */
  readonly magnitudes: Tensor;
  /** The second stage's parts, when the config asks for one. */
  readonly residual: Residual | null;
  readonly attention: nn.CausalSelfAttention | null;
  readonly clock: BeatClock | null;
  readonly #window: Tensor;
  readonly #melBank: Tensor | null;

  // No default config: the training settings (train/generator-config.ts) are the one source of defaults.
  constructor(readonly config: TokenGeneratorConfig) {
    super();
    const c = config;
    const bins = c.nFft / 2 + 1;
    this.embedding = this.registerModule("embedding", new nn.Embedding(c.codebook, c.hiddenSize));
    const genreRows = Math.max(1, c.genres) + (c.nullGenre ? 1 : 0);
    this.genreEmbedding = this.registerModule("genre_embedding", new nn.Embedding(genreRows, c.hiddenSize));
    this.gru = this.registerModule(
      "gru",
      new nn.GRU(c.hiddenSize, c.hiddenSize, { numLayers: c.numLayers, batchFirst: true, dropout: c.dropout ?? 0 }),
    );
    this.fc = this.registerModule("fc", new nn.Linear(c.hiddenSize, c.codebook));
    this.centroids = this.registerBuffer("centroids", zeros([c.codebook, c.melBands || bins]));
    this.magnitudes = this.registerBuffer("magnitudes", zeros([c.codebook, bins]));
    const k2 = c.residualCodebook ?? 0;
    this.residual =
      k2 > 0
        ? {
            embedding: this.registerModule("residual_embedding", new nn.Embedding(k2, c.hiddenSize)),
            given: this.registerModule("residual_given", new nn.Embedding(c.codebook, c.hiddenSize)),
            hidden: this.registerModule("residual_hidden", new nn.Linear(c.hiddenSize, c.hiddenSize)),
            fc: this.registerModule("residual_fc", new nn.Linear(c.hiddenSize, k2)),
            centroids: this.registerBuffer("residual_centroids", zeros([k2, bins])),
          }
        : null;
    const heads = c.attentionHeads ?? 0;
    this.attention =
      heads > 0
        ? this.registerModule("attention", new nn.CausalSelfAttention(c.hiddenSize, heads, c.attentionWindow ?? 1))
        : null;
    this.clock = c.beatClock ? this.registerModule("beat_clock", new BeatClock(c.hiddenSize, genreRows)) : null;
    this.#window = hannWindow(c.nFft).keep();
    // Slaney's mel scale (librosa's default) is linear below 1 kHz, so no band is narrower than a bin.
    this.#melBank = c.melBands
      ? tensor(
          melFilterbank({
            nFft: c.nFft,
            nMels: c.melBands,
            fMin: 0,
            fMax: WORK_RATE / 2,
            sampleRate: WORK_RATE,
            norm: null,
            melScale: "slaney",
          }),
          [bins, c.melBands],
        ).keep()
      : null;
  }

  /** Log-magnitude frames of audio [B, N] → [B, frames, nFft/2+1]. */
  frames(audio: Tensor): Tensor {
    const c = this.config;
    return F.spectrogram(audio, c.nFft, 1, { hopLength: c.hopLength, window: this.#window })
      .add(FLOOR)
      .log()
      .transpose(1, 2);
  }

  /** Linear magnitudes of log-magnitude frames (the inverse of frames' log). */
  linear(frames: Tensor): Tensor {
    return frames.exp().sub(FLOOR).clamp(0);
  }

  /** What tokens are found by: log-magnitude frames [..., bins] → their log-mel spectra, or themselves. */
  features(frames: Tensor): Tensor {
    const bank = this.#melBank;
    return bank ? tidy(() => this.linear(frames).matmul(bank).add(FLOOR).log()) : frames;
  }

  /** Audio [B, N] → tokens [B, frames, stages] (int64): each frame's nearest centroid, then its residual's. */
  encode(audio: Tensor): Tensor {
    return tidy(() => {
      const frames = this.frames(audio);
      const first = nearest(this.features(frames), this.centroids);
      const r = this.residual;
      return r ? stack([first, nearest(this.residualOf(frames, first), r.centroids)], 2) : first.unsqueeze(2);
    });
  }

  /** What first-stage tokens [...] leave of log-magnitude frames [..., bins]: the second stage's input. */
  residualOf(frames: Tensor, first: Tensor): Tensor {
    return tidy(() => frames.sub(F.embedding(this.magnitudes, first).add(FLOOR).log()));
  }

  /** Tokens [B, T, stages] → linear magnitudes [B, T, bins]. */
  magnitudesOf(tokens: Tensor): Tensor {
    return tidy(() => {
      const first = F.embedding(this.magnitudes, tokens.select(2, 0));
      const r = this.residual;
      return r
        ? this.linear(
            first
              .add(FLOOR)
              .log()
              .add(F.embedding(r.centroids, tokens.select(2, 1))),
          )
        : first;
    });
  }

  /** Tokens [B, T, stages] → audio [B, length]: the tokens' magnitudes, rendered. */
  decode(tokens: Tensor, length: number): Tensor {
    return tidy(() => this.render(this.magnitudesOf(tokens).transpose(1, 2).contiguous(), length));
  }

  /**
   * Magnitudes [B, bins, T] → audio [B, length], the phase by Griffin-Lim. Overlapping frames whose phases
   * do not quite agree partly cancel, so each clip is scaled to the energy of its magnitudes.
   */
  render(mag: Tensor, length: number): Tensor {
    const c = this.config;
    return tidy(() => {
      const y = griffinLim(mag, { nFft: c.nFft, hopLength: c.hopLength, iterations: c.griffinLimIterations, length });
      const got = F.spectrogram(y, c.nFft, 2, { hopLength: c.hopLength, window: this.#window }).sum([1, 2]);
      return y.mul(mag.square().sum([1, 2]).div(got.add(1e-12)).sqrt().unsqueeze(1));
    });
  }

  /**
   * tokens [B, T, stages], genre [B] → the output [B, T, hidden], from which `logits` gives the next frame's
   * first token and `residualLogits` its second, and the state that the frames after them continue from.
   * A model with a beat clock also needs each row's beat positions (of the frames after the input frames).
   */
  forward(
    tokens: Tensor,
    genre: Tensor,
    state?: TokenState,
    beats?: readonly ArrayLike<number>[],
  ): [Tensor, TokenState] {
    return this.step(tokens, this.genreEmbedding.forward(genre).unsqueeze(1), state, beats);
  }

  /** The next frame's first-token logits [B, T, codebook] from the recurrent output. */
  logits(y: Tensor): Tensor {
    return this.fc.forward(y);
  }

  /** The next frame's second-token logits [B, T, residualCodebook], given the output and its first token [B, T]. */
  residualLogits(y: Tensor, first: Tensor): Tensor {
    const r = this.residual;
    if (!r) throw new Error("residualLogits: this token model has one stage");
    return tidy(() => r.fc.forward(r.hidden.forward(y).add(r.given.forward(first)).tanh()));
  }

  /** forward with the genres already embedded ([B, 1, hidden]): generation embeds them once, not per frame. */
  step(tokens: Tensor, genre: Tensor, state?: TokenState, beats?: readonly ArrayLike<number>[]): [Tensor, TokenState] {
    return tidy(() => {
      let x = this.embedding.forward(tokens.select(2, 0));
      if (this.residual) x = x.add(this.residual.embedding.forward(tokens.select(2, 1)));
      if (this.clock) {
        if (!beats) throw new Error("this token model reads the beat: give each row's beat positions");
        x = x.add(this.clock.forward(beats));
      }
      const [y, gru] = this.gru.forward(x.add(genre), state?.gru);
      if (!this.attention) return [y, { gru, attention: null }];
      // Residual: the attention adds what the frames it looks back to say to what the recurrence carries.
      const [a, attention] = this.attention.forward(y, state?.attention);
      return [y.add(a), { gru, attention }];
    });
  }

  /** The same weights drawn or rendered otherwise: another temperature, nucleus, guidance or Griffin-Lim. */
  withSampling(o: Partial<Pick<TokenGeneratorConfig, SamplingSetting>>): TokenGenerator {
    const variant = new TokenGenerator({ ...this.config, ...o });
    variant.loadStateDict(this.stateDict());
    return variant.train(this.training);
  }

  /** The genre label of "no genre" (the genre table's last row), used with classifier-free guidance. */
  get noGenre(): number {
    if (!this.config.nullGenre) throw new Error("this token model was trained without a 'no genre' row");
    return Math.max(1, this.config.genres);
  }
}

/**
 * Index of the nearest row of centroids [K, D] for each of x [..., D] (squared Euclidean distance), in
 * chunks of rows so that a long song's distance matrix stays small (8192 × K floats at a time).
 */
export function nearest(x: Tensor, centroids: Tensor): Tensor {
  return tidy(() => {
    const flat = x.reshape(-1, x.size(-1));
    const norms = centroids.square().sum(1).unsqueeze(0);
    const t = centroids.transpose(0, 1);
    const parts = flat.split(8192).map((rows) => tidy(() => norms.sub(rows.matmul(t).mul(2)).argmin(1)));
    return cat(parts).reshape(...x.shape.slice(0, -1));
  });
}

/** What generation carries from frame to frame: the recurrent state and the attention's keys and values. */
export interface TokenState {
  gru: Tensor;
  attention: nn.AttentionCache | null;
}

/** The residual stage: its tokens' embedding, the first token's embedding it is drawn given, its head and centroids. */
interface Residual {
  embedding: nn.Embedding;
  given: nn.Embedding;
  hidden: nn.Linear;
  fc: nn.Linear;
  /** What each second-stage token adds to a frame's log-magnitude [K2, bins]. */
  centroids: Tensor;
}
