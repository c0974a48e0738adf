// The study's audio generator: Conv1d front end → (bi)GRU or LSTM → last time step → output head.
// 0.9 s of 10 kHz audio (9000 samples) in, the next 0.1 s (1000 samples) out.
// Beyond the study, all off in its preset: a genre embedding joined to the recurrent input (one model
// for all genres), a mu-law head that predicts a 256-way distribution per output sample, and a noise
// input before the output layer.
import { F, cat, isGradEnabled, nn, randn, zeros, type Tensor } from "../torch/index.js";

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
   * A long-term predictor beside the output layer (as the adaptive codebook of CELP speech codecs):
   * the output adds a learned, content-dependent mix of the input window at every lag from
   * outputSamples to inputSamples (0.1-0.9 s), so the model can continue music from its own past
   * (beats, notes) and the output layer adds what repetition misses. false: the study.
   */
  delay: boolean;
}

/** The study's model: Conv1d(1→64, k 200, s 100) + ReLU → biGRU(256) → Linear(512→1000); 1,020,456 parameters. */
export const studyGenerator: GeneratorConfig = {
  inputSamples: 9000, outputSamples: 1000, convChannels: 64, convKernel: 200, convStride: 100,
  cell: "gru", hiddenSize: 256, numLayers: 1, bidirectional: true, genres: 0, genreEmbedding: 16, head: "linear", mulawFeatures: 16, noise: 0, delay: false,
};

export const MULAW_LEVELS = 256;

/** Lag grid of the delay path: every DELAY_STEP samples (1 ms at 10 kHz) from outputSamples to inputSamples. */
const DELAY_STEP = 10;
const delayLags = (c: GeneratorConfig): number => Math.floor((c.inputSamples - c.outputSamples) / DELAY_STEP) + 1;

export class Generator extends nn.Module {
  readonly conv: nn.Conv1d;
  readonly rnn: nn.GRU | nn.LSTM;
  readonly fc: nn.Linear;
  readonly embedding: nn.Embedding | undefined;
  readonly mulaw: nn.Linear | undefined;
  readonly noiseLayer: nn.Linear | undefined;
  readonly delay: nn.Linear | undefined;

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
    this.fc = this.registerModule("fc", new nn.Linear(features, outWidth));
    if (c.delay && c.head !== "linear") throw new Error("generator: the delay path needs the linear head");
    this.delay = c.delay ? this.registerModule("delay_fc", new nn.Linear(features, delayLags(c))) : undefined;
    this.mulaw = c.head === "mulaw" ? this.registerModule("mulaw", new nn.Linear(c.mulawFeatures, MULAW_LEVELS)) : undefined;
  }

  /**
   * x: [batch, inputSamples] (and genre: [batch] int64 when conditioned) →
   * [batch, outputSamples] samples, or [batch, outputSamples, 256] logits with the mu-law head.
   */
  forward(x: Tensor, genre?: Tensor, noise?: Tensor): Tensor {
    return this.head(this.features(x, genre), x, noise);
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

  /**
   * Output layers on features [B, F] of the windows x [B, inputSamples]; `noise` [B, config.noise] is
   * drawn from N(0, 1) when not given.
   */
  head(features: Tensor, x: Tensor, noise?: Tensor): Tensor {
    const c = this.config;
    let h = features;
    if (this.noiseLayer) h = this.noiseLayer.forward(cat([h, noise ?? randn([h.shape[0], c.noise])], 1)).relu();
    const y = this.fc.forward(h);
    if (this.delay) return y.add(this.delayed(this.delay.forward(h), x));
    if (!this.mulaw) return y;
    return this.mulaw.forward(y.view(h.shape[0], c.outputSamples, c.mulawFeatures));
  }

  /**
   * The delay path: out[b, n] = Σ_L w[b, L] · x[b, T − L + n] with w = softmax over the lags L (every
   * DELAY_STEP samples from outputSamples up to T = inputSamples), as one dilated grouped convolution
   * with each row's reversed weights. (A 1-sample grid made training steps 4× slower.)
   */
  private delayed(lagLogits: Tensor, x: Tensor): Tensor {
    const c = this.config;
    const rows = x.shape[0];
    const lags = lagLogits.shape[1];
    const kernel = lagLogits.softmax(1).flip(1).unsqueeze(1); // [B, 1, lags]; kernel[k] weighs lag outputSamples + DELAY_STEP·(lags − 1 − k)
    const start = c.inputSamples - c.outputSamples - DELAY_STEP * (lags - 1); // the longest lag's first sample
    return F.conv1d(x.slice(1, start).unsqueeze(0), kernel, null, { groups: rows, dilation: DELAY_STEP }).squeeze(0);
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
