// The study's audio generator: Conv1d front end → (bi)GRU or LSTM → last time step → output head.
// 0.9 s of 10 kHz audio (9000 samples) in, the next 0.1 s (1000 samples) out.
// Beyond the study, all off in its preset: a genre embedding joined to the recurrent input (one model
// for all genres), a mu-law head that predicts a 256-way distribution per output sample, a noise
// input before the output layer, and the delay path (delay.ts), which copies the window's own past at a
// chosen lag beside or instead of the output layer — the copy preset uses it alone. (genrelab's
// default generator is the token model, token-generator.ts.)
import { F, cat, full, isGradEnabled, nn, randn, zeros, type Tensor } from "../torch/index.js";
import { copyAt, delayLags, matchScores } from "./delay.js";
import { sampleCategorical } from "./sampling.js";

export interface GeneratorConfig {
  /** The waveform family (the spectral-token generator's configs say "tokens"); absent in older checkpoints. */
  kind?: "waveform";
  inputSamples: number;
  outputSamples: number;
  convChannels: number;
  convKernel: number;
  convStride: number;
  cell: "gru" | "lstm";
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** Number of genres for conditioning, with the embedding size; 0 = unconditioned (the study). */
  genres: number;
  genreEmbedding: number;
  /** "linear": Linear(→ outputSamples) regressing samples (the study); "mulaw": 256-way per sample. */
  head: "linear" | "mulaw";
  /** Width of each sample's feature before the shared 256-way layer (mu-law head only). */
  mulawFeatures: number;
  /**
   * Size of a random input drawn afresh for every output chunk (0 = none, the study). It enters a
   * hidden layer before the output, so one context can lead to different continuations.
   */
  noise: number;
  /**
   * A long-term predictor (as the adaptive codebook of CELP speech codecs): each output chunk copies
   * the window's own past at a lag of 0.1-0.9 s that the model chooses (sampled at generation), so it
   * continues music from its past (beats, notes). "add": the copy plus the output layer's samples;
   * "only": the copy alone (no fc layer); "off": the study.
   */
  delay: "off" | "add" | "only";
  /** Samples of the window's end the delay path's match prior looks for earlier in the window. */
  delayReference: number;
}

/** The study's model: Conv1d(1→64, k 200, s 100) + ReLU → biGRU(256) → Linear(512→1000); 1,020,456 parameters. */
export const studyGenerator: GeneratorConfig = {
  inputSamples: 9000,
  outputSamples: 1000,
  convChannels: 64,
  convKernel: 200,
  convStride: 100,
  cell: "gru",
  hiddenSize: 256,
  numLayers: 1,
  bidirectional: true,
  genres: 0,
  genreEmbedding: 16,
  head: "linear",
  mulawFeatures: 16,
  noise: 0,
  delay: "off",
  delayReference: 1000,
};

export const MULAW_LEVELS = 256;

export interface HeadOptions {
  /** The noise input [B, config.noise]; drawn from N(0, 1) when not given. */
  noise?: Tensor;
  /** The delay path's lag index per row [B] (int64); sampled from the model's lag distribution when not given. */
  lags?: Tensor;
  /** Sampling temperature of the lag (0: the most likely lag). */
  temperature?: number;
}

export class Generator extends nn.Module {
  readonly conv: nn.Conv1d;
  readonly rnn: nn.GRU | nn.LSTM;
  /** The output layer (absent when the delay path writes the output alone). */
  readonly fc: nn.Linear | undefined;
  readonly embedding: nn.Embedding | undefined;
  readonly mulaw: nn.Linear | undefined;
  readonly noiseLayer: nn.Linear | undefined;
  readonly delay: nn.Linear | undefined;
  /** How strongly the delay path trusts where the recent past matched before (a learned scale). */
  readonly delayMatch: Tensor | undefined;

  constructor(readonly config: GeneratorConfig = studyGenerator) {
    super();
    const c = config;
    if (c.inputSamples < c.convKernel)
      throw new Error(`generator: inputSamples ${c.inputSamples} is shorter than convKernel ${c.convKernel}`);
    this.conv = this.registerModule("conv", new nn.Conv1d(1, c.convChannels, c.convKernel, { stride: c.convStride }));
    this.embedding =
      c.genres > 0 ? this.registerModule("genre_embedding", new nn.Embedding(c.genres, c.genreEmbedding)) : undefined;
    const rnnIn = c.convChannels + (this.embedding ? c.genreEmbedding : 0);
    const rnnConfig = { numLayers: c.numLayers, bidirectional: c.bidirectional, batchFirst: true };
    this.rnn = this.registerModule(
      c.cell,
      c.cell === "gru" ? new nn.GRU(rnnIn, c.hiddenSize, rnnConfig) : new nn.LSTM(rnnIn, c.hiddenSize, rnnConfig),
    );
    const features = c.hiddenSize * (c.bidirectional ? 2 : 1);
    this.noiseLayer =
      c.noise > 0 ? this.registerModule("noise_fc", new nn.Linear(features + c.noise, features)) : undefined;
    const outWidth = c.head === "mulaw" ? c.outputSamples * c.mulawFeatures : c.outputSamples;
    this.fc = c.delay === "only" ? undefined : this.registerModule("fc", new nn.Linear(features, outWidth));
    const delay = c.delay !== "off";
    if (delay && c.head !== "linear") throw new Error("generator: the delay path needs the linear head");
    if (delay && !(c.delayReference >= 1 && c.delayReference <= c.inputSamples - c.outputSamples)) {
      throw new Error(
        `generator: delayReference ${c.delayReference} must be 1-${c.inputSamples - c.outputSamples} samples`,
      );
    }
    this.delay = delay ? this.registerModule("delay_fc", new nn.Linear(features, delayLags(c))) : undefined;
    this.delayMatch = delay ? this.registerParameter("delay_match", full([1], 20)) : undefined;
    this.mulaw =
      c.head === "mulaw" ? this.registerModule("mulaw", new nn.Linear(c.mulawFeatures, MULAW_LEVELS)) : undefined;
  }

  /**
   * x: [batch, inputSamples] (and genre: [batch] int64 when conditioned) →
   * [batch, outputSamples] samples, or [batch, outputSamples, 256] logits with the mu-law head.
   */
  forward(x: Tensor, genre?: Tensor, o: HeadOptions = {}): Tensor {
    return this.head(this.features(x, genre), x, o);
  }

  /** The recurrent summary of each input window, [batch, features]: everything before the output layers. */
  features(x: Tensor, genre?: Tensor): Tensor {
    const c = this.config;
    if (x.ndim !== 2 || x.shape[1] !== c.inputSamples) {
      throw new Error(`generator: expected input [batch, ${c.inputSamples}], got [${x.shape}]`);
    }
    if (this.embedding && !genre)
      throw new Error("generator: this model is genre-conditioned; pass the genre of each row");
    let frames = this.conv.forward(x.unsqueeze(1)).relu().transpose(1, 2); // [B, T, C]
    if (this.embedding && genre) {
      const [batch, steps] = [frames.size(0), frames.size(1)];
      const e = this.embedding.forward(genre).unsqueeze(1).expand(batch, steps, c.genreEmbedding);
      frames = cat([frames, e], 2);
    }
    return this.lastStep(frames);
  }

  /** Output layers on features [B, F] of the windows x [B, inputSamples]. */
  head(features: Tensor, x: Tensor, o: HeadOptions = {}): Tensor {
    const c = this.config;
    let h = features;
    if (this.noiseLayer) h = this.noiseLayer.forward(cat([h, o.noise ?? randn([h.size(0), c.noise])], 1)).relu();
    const copy = this.delay
      ? copyAt(x, o.lags ?? sampleCategorical(this.lagLogits(features, x), o.temperature ?? 0), c)
      : null;
    if (!this.fc) return copy!;
    const y = this.fc.forward(h);
    if (copy) return y.add(copy);
    if (!this.mulaw) return y;
    return this.mulaw.forward(y.view(h.size(0), c.outputSamples, c.mulawFeatures));
  }

  /** The delay path's logits over its lags [B, lags]: learned from the features, plus the match prior. */
  lagLogits(features: Tensor, x: Tensor): Tensor {
    return this.delay!.forward(features).add(matchScores(x, this.config).mul(this.delayMatch!));
  }

  /**
   * The recurrent layer's output at the last time step, [B, dirs*H]. With one bidirectional layer the
   * reverse direction's output there depends only on the last frame (it starts from a zero state at the
   * end of the sequence), so it is computed with one step instead of a pass over all T frames: the same
   * numbers and gradients as the full layer, for about half the recurrent work.
   */
  private lastStep(frames: Tensor): Tensor {
    const rnn = this.rnn;
    const steps = frames.size(1);
    if (!rnn.bidirectional || rnn.numLayers !== 1) {
      return rnn.forward(frames)[0].select(1, steps - 1);
    }
    const one = {
      hasBiases: rnn.bias,
      numLayers: 1,
      dropout: 0,
      training: rnn.training,
      bidirectional: false,
      batchFirst: true,
    };
    const h0 = zeros([1, frames.size(0), rnn.hiddenSize]);
    const run = (input: Tensor, reverse: boolean): Tensor => {
      const params = rnn.directionParams(0, reverse);
      if (rnn instanceof nn.GRU && rnn.bias && !isGradEnabled()) return F.gruLastState(input, params);
      const out = rnn instanceof nn.LSTM ? F.lstm(input, h0, h0, params, one)[0] : F.gru(input, h0, params, one)[0];
      return out.select(1, out.size(1) - 1);
    };
    return cat([run(frames, false), run(frames.slice(1, steps - 1), true)], 1);
  }
}
