// The study's audio generator: Conv1d front end → (bi)GRU or LSTM → last time step → output head.
// 0.9 s of 10 kHz audio (9000 samples) in, the next 0.1 s (1000 samples) out.
// Beyond the study, all off in its preset: a genre embedding joined to the recurrent input (one model
// for all genres), a mu-law head that predicts a 256-way distribution per output sample, and a noise
// input before the output layer.
import { F, arange, cat, full, isGradEnabled, nn, noGrad, rand, randn, tidy, zeros, type Tensor } from "../torch/index.js";

export interface GeneratorConfig {
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
  inputSamples: 9000, outputSamples: 1000, convChannels: 64, convKernel: 200, convStride: 100,
  cell: "gru", hiddenSize: 256, numLayers: 1, bidirectional: true, genres: 0, genreEmbedding: 16, head: "linear", mulawFeatures: 16, noise: 0, delay: "off", delayReference: 1000,
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

/** Lag grid of the delay path: every DELAY_STEP samples (1 ms at 10 kHz) from outputSamples to inputSamples. */
const DELAY_STEP = 10;
/** Width of the soft lag target, as a share of the chunk's energy: lags within ~τ‖y‖² of the best count. */
const LAG_TAU = 0.1;
export const delayLags = (c: GeneratorConfig): number => Math.floor((c.inputSamples - c.outputSamples) / DELAY_STEP) + 1;

/** Draws one index per row from logits [B, K] / temperature (Gumbel-max); temperature 0: the argmax. */
export function sampleCategorical(logits: Tensor, temperature: number): Tensor {
  if (temperature <= 0) return logits.argmax(-1);
  const gumbel = rand(logits.shape).clamp(1e-9, 1 - 1e-9).log().neg().log().neg();
  return logits.div(temperature).add(gumbel).argmax(-1);
}

/** Row b's outputSamples samples starting lag(k) = outputSamples + DELAY_STEP·k before the window's end. */
export function copyAt(x: Tensor, lagIndex: Tensor, c: GeneratorConfig): Tensor {
  const n = c.outputSamples;
  const start = lagIndex.mul(-DELAY_STEP).add(c.inputSamples - n).to("int64").unsqueeze(1); // [B, 1]
  return x.gather(1, start.add(arange(0, n, 1, "int64").unsqueeze(0)));
}

/**
 * The delay path's training target for windows x [B, inputSamples] followed by y [B, n]: a distribution
 * over the lags [B, lags], each weighted by how near its copy is to y: exp(−‖copy − y‖² / (τ‖y‖²)),
 * relative to the best. Soft, because a periodic signal has many equally good lags (every period).
 */
export function lagTargets(x: Tensor, y: Tensor, c: GeneratorConfig, tau = LAG_TAU): Tensor {
  const n = c.outputSamples;
  const lags = delayLags(c);
  return noGrad(() => tidy(() => {
    const rows = x.shape[0];
    const first = c.inputSamples - n - DELAY_STEP * (lags - 1); // where the longest lag's copy starts
    const past = x.slice(1, first).unsqueeze(0); // [1, B, …]
    const dot = F.conv1d(past, y.unsqueeze(1), null, { stride: DELAY_STEP, groups: rows }).squeeze(0); // [B, lags], longest lag first
    const energy = F.avgPool1d(past.square(), n, { stride: DELAY_STEP }).squeeze(0).mul(n);
    const yy = y.square().sum(1, true);
    const distance = energy.sub(dot.mul(2)).add(yy).clamp(0).flip(1); // ‖copy − y‖², index k = lag n + DELAY_STEP·k
    return distance.div(yy.clamp(1e-8).mul(-tau)).softmax(1);
  }));
}

/** The single best lag of each row (the mode of lagTargets), [B] int64. */
export const bestLags = (x: Tensor, y: Tensor, c: GeneratorConfig): Tensor => tidy(() => lagTargets(x, y, c).argmax(1));

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
    if (c.inputSamples < c.convKernel) throw new Error(`generator: inputSamples ${c.inputSamples} is shorter than convKernel ${c.convKernel}`);
    this.conv = this.registerModule("conv", new nn.Conv1d(1, c.convChannels, c.convKernel, { stride: c.convStride }));
    this.embedding = c.genres > 0 ? this.registerModule("genre_embedding", new nn.Embedding(c.genres, c.genreEmbedding)) : undefined;
    const rnnIn = c.convChannels + (this.embedding ? c.genreEmbedding : 0);
    const rnnConfig = { numLayers: c.numLayers, bidirectional: c.bidirectional, batchFirst: true };
    this.rnn = this.registerModule(c.cell, c.cell === "gru" ? new nn.GRU(rnnIn, c.hiddenSize, rnnConfig) : new nn.LSTM(rnnIn, c.hiddenSize, rnnConfig));
    const features = c.hiddenSize * (c.bidirectional ? 2 : 1);
    this.noiseLayer = c.noise > 0 ? this.registerModule("noise_fc", new nn.Linear(features + c.noise, features)) : undefined;
    const outWidth = c.head === "mulaw" ? c.outputSamples * c.mulawFeatures : c.outputSamples;
    this.fc = c.delay === "only" ? undefined : this.registerModule("fc", new nn.Linear(features, outWidth));
    const delay = c.delay !== "off";
    if (delay && c.head !== "linear") throw new Error("generator: the delay path needs the linear head");
    if (delay && !(c.delayReference >= 1 && c.delayReference <= c.inputSamples - c.outputSamples)) {
      throw new Error(`generator: delayReference ${c.delayReference} must be 1-${c.inputSamples - c.outputSamples} samples`);
    }
    this.delay = delay ? this.registerModule("delay_fc", new nn.Linear(features, delayLags(c))) : undefined;
    this.delayMatch = delay ? this.registerParameter("delay_match", full([1], 20)) : undefined;
    this.mulaw = c.head === "mulaw" ? this.registerModule("mulaw", new nn.Linear(c.mulawFeatures, MULAW_LEVELS)) : undefined;
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
    if (this.embedding && !genre) throw new Error("generator: this model is genre-conditioned; pass the genre of each row");
    let frames = this.conv.forward(x.unsqueeze(1)).relu().transpose(1, 2); // [B, T, C]
    if (this.embedding && genre) {
      const [batch, steps] = frames.shape;
      const e = this.embedding.forward(genre).unsqueeze(1).expand(batch, steps, c.genreEmbedding);
      frames = cat([frames, e], 2);
    }
    return this.lastStep(frames);
  }

  /** Output layers on features [B, F] of the windows x [B, inputSamples]. */
  head(features: Tensor, x: Tensor, o: HeadOptions = {}): Tensor {
    const c = this.config;
    let h = features;
    if (this.noiseLayer) h = this.noiseLayer.forward(cat([h, o.noise ?? randn([h.shape[0], c.noise])], 1)).relu();
    const copy = this.delay ? copyAt(x, o.lags ?? sampleCategorical(this.lagLogits(features, x), o.temperature ?? 0), c) : null;
    if (!this.fc) return copy!;
    const y = this.fc.forward(h);
    if (copy) return y.add(copy);
    if (!this.mulaw) return y;
    return this.mulaw.forward(y.view(h.shape[0], c.outputSamples, c.mulawFeatures));
  }

  /** The delay path's logits over its lags [B, lags]: learned from the features, plus the match prior. */
  lagLogits(features: Tensor, x: Tensor): Tensor {
    return this.delay!.forward(features).add(this.matchScores(x).mul(this.delayMatch!));
  }

  /**
   * Where the window's last outputSamples (the reference) occurred before, as CELP codecs search the
   * pitch lag: the normalised correlation of the reference with the stretch ending L samples earlier,
   * for every lag L of the delay path ([B, lags], 0 where the window holds no such stretch). The path
   * then starts from "continue as the music did the last time it sounded like this".
   */
  matchScores(x: Tensor): Tensor {
    const c = this.config;
    const n = c.outputSamples;
    const r = c.delayReference;
    const lags = delayLags(c);
    return noGrad(() => tidy(() => {
      const rows = x.shape[0];
      const ref = x.slice(1, c.inputSamples - r);
      const unit = ref.div(ref.square().sum(1, true).sqrt().clamp(1e-6)).unsqueeze(1); // [B, 1, r]
      // Lag L = n + DELAY_STEP·k compares the reference with the r samples ending where the copy starts,
      // at p = T − r − L; p runs down from T − r − n.
      const last = c.inputSamples - r - n;
      const start = last % DELAY_STEP;
      const past = x.slice(1, start, last + r).unsqueeze(0); // [1, B, …]
      const dot = F.conv1d(past, unit, null, { stride: DELAY_STEP, groups: rows }).squeeze(0); // p = start + DELAY_STEP·q
      const energy = F.avgPool1d(past.square(), r, { stride: DELAY_STEP }).squeeze(0).mul(r);
      const ncc = dot.div(energy.sqrt().clamp(1e-6)).flip(1); // now index k: lag n + DELAY_STEP·k
      return ncc.shape[1] < lags ? F.pad(ncc, [0, lags - ncc.shape[1]]) : ncc;
    }));
  }

  /**
   * The recurrent layer's output at the last time step, [B, dirs*H]. With one bidirectional layer the
   * reverse direction's output there depends only on the last frame (it starts from a zero state at the
   * end of the sequence), so it is computed with one step instead of a pass over all T frames: the same
   * numbers and gradients as the full layer, for about half the recurrent work.
   */
  private lastStep(frames: Tensor): Tensor {
    const rnn = this.rnn;
    const steps = frames.shape[1];
    if (!rnn.bidirectional || rnn.numLayers !== 1) {
      return rnn.forward(frames)[0].select(1, steps - 1);
    }
    const one = { hasBiases: rnn.bias, numLayers: 1, dropout: 0, training: rnn.training, bidirectional: false, batchFirst: true };
    const h0 = zeros([1, frames.shape[0], rnn.hiddenSize]);
    const run = (input: Tensor, reverse: boolean): Tensor => {
      const params = rnn.directionParams(0, reverse);
      if (rnn instanceof nn.GRU && rnn.bias && !isGradEnabled()) return F.gruLastState(input, params);
      const out = rnn instanceof nn.LSTM ? F.lstm(input, h0, h0, params, one)[0] : F.gru(input, h0, params, one)[0];
      return out.select(1, out.shape[1] - 1);
    };
    return cat([run(frames, false), run(frames.slice(1, steps - 1), true)], 1);
  }
}
