// Basic layers: Linear, Conv1d, Conv2d, BatchNorm1d/2d, Embedding, Dropout, ReLU, Sequential.
import * as F from "../functional.js";
import { noGrad, tidy } from "../scope.js";
import { ones, randn, scalar, zeros } from "../create.js";
import type { Tensor } from "../tensor.js";
import { fanInUniform } from "./init.js";
import { Module } from "./module.js";

/** A module with a single-tensor forward pass, so it can sit in a Sequential. */
export abstract class Layer extends Module {
  abstract forward(x: Tensor): Tensor;
}

export class Linear extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    bias = true,
  ) {
    super();
    this.weight = this.registerParameter("weight", fanInUniform([outFeatures, inFeatures], inFeatures));
    this.bias = bias ? this.registerParameter("bias", fanInUniform([outFeatures], inFeatures)) : undefined;
  }
  forward(x: Tensor): Tensor {
    return F.linear(x, this.weight, this.bias);
  }
}

export interface ConvConfig<P> {
  stride?: P;
  padding?: P;
  dilation?: P;
  groups?: number;
  bias?: boolean;
}

export class Conv1d extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    readonly options: ConvConfig<number> = {},
  ) {
    super();
    const groups = options.groups ?? 1;
    const fanIn = (inChannels / groups) * kernelSize;
    this.weight = this.registerParameter("weight", fanInUniform([outChannels, inChannels / groups, kernelSize], fanIn));
    this.bias = options.bias === false ? undefined : this.registerParameter("bias", fanInUniform([outChannels], fanIn));
  }
  forward(x: Tensor): Tensor {
    return F.conv1d(x, this.weight, this.bias, this.options);
  }
}

export class Conv2d extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number | [number, number],
    readonly options: ConvConfig<number | [number, number]> = {},
  ) {
    super();
    const [kh, kw] = typeof kernelSize === "number" ? [kernelSize, kernelSize] : kernelSize;
    const groups = options.groups ?? 1;
    const fanIn = (inChannels / groups) * kh * kw;
    this.weight = this.registerParameter("weight", fanInUniform([outChannels, inChannels / groups, kh, kw], fanIn));
    this.bias = options.bias === false ? undefined : this.registerParameter("bias", fanInUniform([outChannels], fanIn));
  }
  forward(x: Tensor): Tensor {
    return F.conv2d(x, this.weight, this.bias, this.options);
  }
}

/** Batch normalisation over channel dim 1 (BatchNorm1d for [N,C] / [N,C,L], BatchNorm2d for [N,C,H,W]). */
class BatchNorm extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly numBatchesTracked: Tensor;
  constructor(
    readonly numFeatures: number,
    readonly eps = 1e-5,
    readonly momentum = 0.1,
  ) {
    super();
    this.weight = this.registerParameter("weight", ones([numFeatures]));
    this.bias = this.registerParameter("bias", zeros([numFeatures]));
    this.runningMean = this.registerBuffer("running_mean", zeros([numFeatures]));
    this.runningVar = this.registerBuffer("running_var", ones([numFeatures]));
    this.numBatchesTracked = this.registerBuffer("num_batches_tracked", scalar(0, "int64"));
  }
  /** In training, the statistics of every rank's batch together (syncBatchNorm); null: this rank's own (as DDP). */
  sync: { sumAcrossRanks(t: Tensor): Tensor } | null = null;
  forward(x: Tensor): Tensor {
    if (this.training) {
      noGrad(() => tidy(() => void this.numBatchesTracked.copy_(this.numBatchesTracked.add(1))));
    }
    const o = {
      weight: this.weight,
      bias: this.bias,
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      training: this.training,
      momentum: this.momentum,
      eps: this.eps,
    };
    return this.training && this.sync ? F.syncBatchNorm(x, o, this.sync) : F.batchNorm(x, o);
  }
}
export class BatchNorm1d extends BatchNorm {}
export class BatchNorm2d extends BatchNorm {}

/**
 * Every batch norm of `model` takes its training statistics across `group`'s ranks (PyTorch's
 * convert_sync_batchnorm).
 */
export function syncBatchNorms(model: Module, group: { sumAcrossRanks(t: Tensor): Tensor } | null): void {
  const visit = (m: Module): void => {
    if (m instanceof BatchNorm) m.sync = group;
    m.children().forEach(visit);
  };
  visit(model);
}

export class Embedding extends Layer {
  readonly weight: Tensor;
  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
  ) {
    super();
    this.weight = this.registerParameter("weight", randn([numEmbeddings, embeddingDim]));
  }
  forward(indices: Tensor): Tensor {
    return F.embedding(this.weight, indices);
  }
}

export class Dropout extends Layer {
  constructor(readonly p = 0.5) {
    super();
    if (p < 0 || p > 1) throw new RangeError(`Dropout: p must be in [0, 1], got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return F.dropout(x, this.p, this.training);
  }
}

export class ReLU extends Layer {
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}

export class MaxPool2d extends Layer {
  constructor(readonly kernelSize: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return F.maxPool2d(x, this.kernelSize);
  }
}

/** Layers applied in order; state-dict names are their indices (`0.weight`, `1.running_mean`), as in PyTorch. */
export class Sequential extends Layer {
  readonly layers: Layer[];
  constructor(...layers: Layer[]) {
    super();
    this.layers = layers.map((l, i) => this.registerModule(String(i), l));
  }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const l of this.layers) y = l.forward(y);
    return y;
  }
}
