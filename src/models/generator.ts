// The study's audio generator: Conv1d front end → (bi)GRU or LSTM → last time step → Linear.
// 0.9 s of 10 kHz audio (9000 samples) in, the next 0.1 s (1000 samples) out.
import { nn, type Tensor } from "../torch/index.js";

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
}

/** The study's model: Conv1d(1→64, k 200, s 100) + ReLU → biGRU(256) → Linear(512→1000); 1,020,456 parameters. */
export const studyGenerator: GeneratorConfig = {
  inputSamples: 9000, outputSamples: 1000, convChannels: 64, convKernel: 200, convStride: 100,
  cell: "gru", hiddenSize: 256, numLayers: 1, bidirectional: true,
};

export class Generator extends nn.Module {
  readonly conv: nn.Conv1d;
  readonly rnn: nn.GRU | nn.LSTM;
  readonly fc: nn.Linear;

  constructor(readonly config: GeneratorConfig = studyGenerator) {
    super();
    const c = config;
    if (c.inputSamples < c.convKernel) throw new Error(`generator: inputSamples ${c.inputSamples} is shorter than convKernel ${c.convKernel}`);
    this.conv = this.registerModule("conv", new nn.Conv1d(1, c.convChannels, c.convKernel, { stride: c.convStride }));
    const rnnConfig = { numLayers: c.numLayers, bidirectional: c.bidirectional, batchFirst: true };
    this.rnn = this.registerModule(c.cell, c.cell === "gru"
      ? new nn.GRU(c.convChannels, c.hiddenSize, rnnConfig)
      : new nn.LSTM(c.convChannels, c.hiddenSize, rnnConfig));
    this.fc = this.registerModule("fc", new nn.Linear(c.hiddenSize * (c.bidirectional ? 2 : 1), c.outputSamples));
  }

  /** x: [batch, inputSamples] → [batch, outputSamples]. */
  forward(x: Tensor): Tensor {
    if (x.ndim !== 2 || x.shape[1] !== this.config.inputSamples) {
      throw new Error(`generator: expected input [batch, ${this.config.inputSamples}], got [${x.shape}]`);
    }
    const frames = this.conv.forward(x.unsqueeze(1)).relu().transpose(1, 2); // [B, T, C]
    const out = this.rnn.forward(frames)[0]; // [B, T, dirs*H]
    return this.fc.forward(out.select(1, out.shape[1] - 1));
  }
}
