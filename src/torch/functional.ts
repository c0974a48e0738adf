// Typed neural-network functions over the addon, with PyTorch's defaults (torch.nn.functional).
import { native } from "./binding.js";
import { noGrad, tidy } from "./scope.js";
import { tensor } from "./create.js";
import type { Tensor } from "./tensor.js";

type Pair = number | readonly [number, number];
const pair = (v: Pair): number[] => (typeof v === "number" ? [v, v] : [...v]);
export type Reduction = "mean" | "sum" | "none";

export interface ConvOptions<P> {
  stride?: P;
  padding?: P;
  dilation?: P;
  groups?: number;
}

export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, o: ConvOptions<number> = {}): Tensor {
  return native.conv1d(x, weight, bias ?? null, [o.stride ?? 1], [o.padding ?? 0], [o.dilation ?? 1], o.groups ?? 1);
}

export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, o: ConvOptions<Pair> = {}): Tensor {
  return native.conv2d(
    x,
    weight,
    bias ?? null,
    pair(o.stride ?? 1),
    pair(o.padding ?? 0),
    pair(o.dilation ?? 1),
    o.groups ?? 1,
  );
}

export const linear = (x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor =>
  native.linear(x, weight, bias ?? null);

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}
/**
 * Batch norm; in training mode the running statistics are updated in place. Channels-last input in
 * training mode goes to genrelab's own kernel, which sums in double: libtorch 1.13's NHWC kernel
 * sums in float (errors ~1e-3 on large batches, where the row-major one is at ~1e-6).
 */
export function batchNorm(x: Tensor, o: BatchNormOptions = {}): Tensor {
  const { weight, bias, runningMean, runningVar } = o;
  if (
    o.training &&
    weight &&
    bias &&
    runningMean &&
    runningVar &&
    x.ndim === 4 &&
    x.dtype === "float32" &&
    x.isContiguous("channelsLast") &&
    !x.isContiguous()
  ) {
    return native.batchNormNhwc(x, weight, bias, runningMean, runningVar, o.momentum ?? 0.1, o.eps ?? 1e-5);
  }
  return native.batchNorm(
    x,
    weight ?? null,
    bias ?? null,
    runningMean ?? null,
    runningVar ?? null,
    o.training ?? false,
    o.momentum ?? 0.1,
    o.eps ?? 1e-5,
  );
}

/**
 * Training-mode batch norm whose statistics are those of every rank's batch together (PyTorch's
 * SyncBatchNorm): the mean and then the variance summed across ranks, differentiably, so each rank's
 * gradients are those of one batch of all ranks' examples. The running statistics are updated alike on
 * every rank. `group` sums across ranks (torch/dist.ts's ProcessGroup).
 */
export function syncBatchNorm(x: Tensor, o: BatchNormOptions, group: { sumAcrossRanks(t: Tensor): Tensor }): Tensor {
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const stat = [1, x.shape[1]!, ...Array.from({ length: x.ndim - 2 }, () => 1)];
  const n = noGrad(() => group.sumAcrossRanks(tensor([x.numel / x.shape[1]!], [1], "float64")).item());
  const mean = group.sumAcrossRanks(x.sum(dims)).div(n);
  const centred = x.sub(mean.reshape(stat));
  const variance = group.sumAcrossRanks(centred.square().sum(dims)).div(n);
  let y = centred.mul(
    variance
      .add(o.eps ?? 1e-5)
      .rsqrt()
      .reshape(stat),
  );
  if (o.weight) y = y.mul(o.weight.reshape(stat));
  if (o.bias) y = y.add(o.bias.reshape(stat));
  const m = o.momentum ?? 0.1;
  noGrad(() =>
    tidy(() => {
      // As PyTorch: the running variance is the unbiased one.
      o.runningMean?.copy_(o.runningMean.mul(1 - m).add(mean.mul(m)));
      o.runningVar?.copy_(o.runningVar.mul(1 - m).add(variance.mul((m * n) / Math.max(n - 1, 1))));
    }),
  );
  return y;
}

export const layerNorm = (
  x: Tensor,
  normalizedShape: readonly number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor => native.layerNorm(x, normalizedShape, weight ?? null, bias ?? null, eps);

export interface PoolOptions<P> {
  stride?: P;
  padding?: P;
  dilation?: P;
  ceilMode?: boolean;
}
export function maxPool1d(x: Tensor, kernel: number, o: PoolOptions<number> = {}): Tensor {
  return native.maxPool1d(x, [kernel], [o.stride ?? kernel], [o.padding ?? 0], [o.dilation ?? 1], o.ceilMode ?? false);
}
export function maxPool2d(x: Tensor, kernel: Pair, o: PoolOptions<Pair> = {}): Tensor {
  return native.maxPool2d(
    x,
    pair(kernel),
    pair(o.stride ?? kernel),
    pair(o.padding ?? 0),
    pair(o.dilation ?? 1),
    o.ceilMode ?? false,
  );
}
export function avgPool1d(x: Tensor, kernel: number, o: Omit<PoolOptions<number>, "dilation"> = {}): Tensor {
  return native.avgPool1d(x, [kernel], [o.stride ?? kernel], [o.padding ?? 0], o.ceilMode ?? false, true);
}
export function avgPool2d(x: Tensor, kernel: Pair, o: Omit<PoolOptions<Pair>, "dilation"> = {}): Tensor {
  return native.avgPool2d(x, pair(kernel), pair(o.stride ?? kernel), pair(o.padding ?? 0), o.ceilMode ?? false, true);
}
export const adaptiveAvgPool1d = (x: Tensor, size: number): Tensor => native.adaptiveAvgPool1d(x, [size]);
export const adaptiveAvgPool2d = (x: Tensor, size: Pair): Tensor => native.adaptiveAvgPool2d(x, pair(size));
export const adaptiveMaxPool2d = (x: Tensor, size: Pair): Tensor => native.adaptiveMaxPool2d(x, pair(size));

export const relu = (x: Tensor): Tensor => native.relu(x);
export const gelu = (x: Tensor): Tensor => native.gelu(x);
export const leakyRelu = (x: Tensor, slope = 0.01): Tensor => native.leakyRelu(x, slope);
export const dropout = (x: Tensor, p = 0.5, training = true): Tensor => native.dropout(x, p, training);
export const softmax = (x: Tensor, dim: number): Tensor => native.softmax(x, dim);
export const logSoftmax = (x: Tensor, dim: number): Tensor => native.logSoftmax(x, dim);
export const embedding = (weight: Tensor, indices: Tensor, paddingIdx?: number): Tensor =>
  native.embedding(weight, indices, paddingIdx ?? null);
/** torch.nn.functional.pad: `pads` start with the last dimension (left, right, top, bottom, ...). */
export const pad = (
  x: Tensor,
  pads: readonly number[],
  mode: "constant" | "reflect" | "replicate" | "circular" = "constant",
  value?: number,
): Tensor => native.pad(x, pads, mode, mode === "constant" ? (value ?? 0) : null);

/** Cross-entropy on raw logits (softmax is applied here, once). */
export function crossEntropy(
  logits: Tensor,
  target: Tensor,
  o: { reduction?: Reduction; labelSmoothing?: number; weight?: Tensor } = {},
): Tensor {
  return native.crossEntropy(logits, target, o.reduction ?? "mean", o.labelSmoothing ?? 0, o.weight ?? null);
}
export const nllLoss = (logProbs: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor =>
  native.nllLoss(logProbs, target, reduction);
export const mseLoss = (input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor =>
  native.mseLoss(input, target, reduction);
export const l1Loss = (input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor =>
  native.l1Loss(input, target, reduction);

// The STFT family (stft, istft, spectrogram) is in stft.ts, part of this namespace.
export { istft, spectrogram, stft, type StftOptions } from "./stft.js";

export interface RnnArgs {
  hasBiases: boolean;
  numLayers: number;
  dropout: number;
  training: boolean;
  bidirectional: boolean;
  batchFirst: boolean;
}
/** ATen's fused GRU; `params` in PyTorch's flat order (per layer and direction: w_ih, w_hh, b_ih, b_hh). */
export function gru(input: Tensor, h0: Tensor, params: readonly Tensor[], a: RnnArgs): [Tensor, Tensor] {
  return native.gru(input, h0, params, a.hasBiases, a.numLayers, a.dropout, a.training, a.bidirectional, a.batchFirst);
}
/**
 * The last hidden state [B, H] of one GRU direction over a batch-first input [B, T, I], from a zero
 * state; params [w_ih, w_hh, b_ih, b_hh]. Inference only (no autograd): ~2x faster than gru() for
 * the small batches of autoregressive generation, with the same values.
 */
export const gruLastState = (input: Tensor, params: readonly Tensor[]): Tensor =>
  native.gruLastState(input, params[0], params[1], params[2], params[3]);
/** ATen's fused LSTM; returns [output, hN, cN]. */
export function lstm(
  input: Tensor,
  h0: Tensor,
  c0: Tensor,
  params: readonly Tensor[],
  a: RnnArgs,
): [Tensor, Tensor, Tensor] {
  return native.lstm(
    input,
    h0,
    c0,
    params,
    a.hasBiases,
    a.numLayers,
    a.dropout,
    a.training,
    a.bidirectional,
    a.batchFirst,
  );
}

/** Scales gradients in place so their global norm is at most `maxNorm`; returns the norm before clipping. */
export const clipGradNorm = (params: readonly Tensor[], maxNorm: number, normType = 2): number =>
  native.clipGradNorm(params, maxNorm, normType);
