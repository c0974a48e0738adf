// GRU and LSTM layers on ATen's fused kernels, with PyTorch's parameter names and initialisation.
import * as F from "../functional.js";
import { zeros } from "../create.js";
import type { Tensor } from "../tensor.js";
import { uniform } from "./init.js";
import { Module } from "./module.js";

export interface RnnConfig {
  numLayers?: number;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
}

abstract class RnnBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Flat weights in the order ATen expects: per layer and direction w_ih, w_hh, b_ih, b_hh. */
  protected readonly flat: Tensor[] = [];

  constructor(
    gates: number,
    readonly inputSize: number,
    readonly hiddenSize: number,
    c: RnnConfig,
  ) {
    super();
    this.numLayers = c.numLayers ?? 1;
    this.bias = c.bias ?? true;
    this.batchFirst = c.batchFirst ?? false;
    this.dropout = c.dropout ?? 0;
    this.bidirectional = c.bidirectional ?? false;
    const dirs = this.bidirectional ? 2 : 1;
    const bound = 1 / Math.sqrt(hiddenSize);
    const g = gates * hiddenSize;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inSize = layer === 0 ? inputSize : hiddenSize * dirs;
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${layer}${d === 1 ? "_reverse" : ""}`;
        this.flat.push(this.registerParameter(`weight_ih${sfx}`, uniform([g, inSize], bound)));
        this.flat.push(this.registerParameter(`weight_hh${sfx}`, uniform([g, hiddenSize], bound)));
        if (this.bias) {
          this.flat.push(this.registerParameter(`bias_ih${sfx}`, uniform([g], bound)));
          this.flat.push(this.registerParameter(`bias_hh${sfx}`, uniform([g], bound)));
        }
      }
    }
  }

  /** The flat weights of one layer and direction (w_ih, w_hh[, b_ih, b_hh]). */
  directionParams(layer: number, reverse: boolean): Tensor[] {
    const per = this.bias ? 4 : 2;
    const index = layer * (this.bidirectional ? 2 : 1) + (reverse ? 1 : 0);
    return this.flat.slice(index * per, (index + 1) * per);
  }

  protected args(): F.RnnArgs {
    return {
      hasBiases: this.bias,
      numLayers: this.numLayers,
      dropout: this.dropout,
      training: this.training,
      bidirectional: this.bidirectional,
      batchFirst: this.batchFirst,
    };
  }

  /** Zero initial state [layers*dirs, batch, hidden] for an input in this layer's layout. */
  protected initialState(input: Tensor): Tensor {
    if (input.ndim !== 3) {
      throw new Error(
        `${this.constructor.name}: expected a 3-D input [${this.batchFirst ? "batch, seq" : "seq, batch"}, ` +
          `features], got [${input.shape}]`,
      );
    }
    const batch = input.size(this.batchFirst ? 0 : 1);
    return zeros([this.numLayers * (this.bidirectional ? 2 : 1), batch, this.hiddenSize]);
  }
}

export class GRU extends RnnBase {
  constructor(inputSize: number, hiddenSize: number, config: RnnConfig = {}) {
    super(3, inputSize, hiddenSize, config);
  }
  /** Returns [output, hN]; output holds both directions concatenated on the last dim. */
  forward(input: Tensor, h0?: Tensor): [Tensor, Tensor] {
    return F.gru(input, h0 ?? this.initialState(input), this.flat, this.args());
  }
}

export class LSTM extends RnnBase {
  constructor(inputSize: number, hiddenSize: number, config: RnnConfig = {}) {
    super(4, inputSize, hiddenSize, config);
  }
  /** Returns [output, hN, cN]. */
  forward(input: Tensor, state?: [Tensor, Tensor]): [Tensor, Tensor, Tensor] {
    const [h0, c0] = state ?? [this.initialState(input), this.initialState(input)];
    return F.lstm(input, h0, c0, this.flat, this.args());
  }
}
