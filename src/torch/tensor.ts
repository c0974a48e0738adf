// The Tensor type: the native handle plus PyTorch-like methods (installed by tensor-methods.ts).
import { native } from "./binding.js";
import type { ACTIVATIONS, BINARY, ELEMENTWISE, POWERS, REDUCTIONS, ROUNDING } from "./tensor-methods.js";
import "./tensor-methods.js";

export type DType = "float32" | "float64" | "int64" | "int32" | "int16" | "uint8" | "bool";
/** How a 4-D tensor's elements lie in memory: row-major NCHW, or NHWC strides with the same shape. */
export type MemoryFormat = "contiguous" | "channelsLast";
export type Shape = readonly number[];
export type TypedArrayOf<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "float64"
    ? Float64Array
    : D extends "int64"
      ? BigInt64Array
      : D extends "int32"
        ? Int32Array
        : D extends "int16"
          ? Int16Array
          : Uint8Array;
export type AnyTypedArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Uint8Array;
type Dims = number | readonly number[];
/** Varargs or one array: x.view(2, 3) or x.view([2, 3]). */
type ListArgs = number[] | [readonly number[]];

type Names<T extends readonly string[]> = T[number];
type Binary = { [K in Names<typeof BINARY>]: (o: Tensor | number) => Tensor };
type Unary = { [K in Names<typeof ELEMENTWISE | typeof POWERS | typeof ACTIVATIONS | typeof ROUNDING>]: () => Tensor };
type Reduction = { [K in Names<typeof REDUCTIONS>]: (dims?: Dims | null, keepdim?: boolean) => Tensor };

/** A libtorch tensor. Memory is released by `dispose()` or by the enclosing `tidy` scope. */
export interface Tensor extends Binary, Unary, Reduction {
  readonly shape: number[];
  readonly dtype: DType;
  readonly numel: number;
  readonly ndim: number;
  requiresGrad: boolean;
  /** The accumulated gradient, or undefined before the first backward(). */
  readonly grad: Tensor | undefined;
  readonly isLeaf: boolean;
  readonly isDisposed: boolean;
  /** Drops this handle's reference to the native tensor now. */
  dispose(): void;
  /** Exempts this tensor from scope release (parameters, buffers, long-lived state). */
  keep(): this;
  backward(gradient?: Tensor, retainGraph?: boolean): void;
  zeroGrad(): void;
  toTypedArray(): AnyTypedArray;
  /** The length of dimension `dim` (negative counts from the end), as PyTorch's `x.size(dim)`. */
  size(dim: number): number;
  item(): number;
  /** In-place copy of `src` (broadcast), outside autograd. */
  copy_(src: Tensor): this;
  /** Puts `src`'s storage behind this tensor, keeping its identity (PyTorch's `t.data = src`). */
  setData_(src: Tensor): this;

  maximum(o: Tensor): Tensor;
  minimum(o: Tensor): Tensor;
  clamp(min?: number | null, max?: number | null): Tensor;
  matmul(o: Tensor): Tensor;
  var(dims?: Dims | null, unbiased?: boolean, keepdim?: boolean): Tensor;
  std(dims?: Dims | null, unbiased?: boolean, keepdim?: boolean): Tensor;
  norm(p?: number): Tensor;
  argmax(dim?: number | null, keepdim?: boolean): Tensor;
  argmin(dim?: number | null, keepdim?: boolean): Tensor;
  all(): Tensor;
  any(): Tensor;
  cumsum(dim: number): Tensor;
  topk(k: number, dim?: number): [Tensor, Tensor];
  softmax(dim: number): Tensor;
  logSoftmax(dim: number): Tensor;
  view(...shape: ListArgs): Tensor;
  reshape(...shape: ListArgs): Tensor;
  transpose(dim0: number, dim1: number): Tensor;
  permute(...dims: ListArgs): Tensor;
  expand(...shape: ListArgs): Tensor;
  repeat(...times: ListArgs): Tensor;
  flip(...dims: ListArgs): Tensor;
  /** Python's x[start:end:step] along `dim`. */
  slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
  select(dim: number, index: number): Tensor;
  narrow(dim: number, start: number, length: number): Tensor;
  split(size: number, dim?: number): Tensor[];
  chunk(chunks: number, dim?: number): Tensor[];
  indexSelect(dim: number, index: Tensor): Tensor;
  /** A copy with source's slices along dim added at index (torch.index_add). */
  indexAdd(dim: number, index: Tensor, source: Tensor): Tensor;
  gather(dim: number, index: Tensor): Tensor;
  maskedFill(mask: Tensor, value: number): Tensor;
  squeeze(dim?: number): Tensor;
  unsqueeze(dim: number): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  unfold(dim: number, size: number, step: number): Tensor;
  /** A copy laid out in `format` (default row-major), or this tensor if it already is. */
  contiguous(format?: MemoryFormat): Tensor;
  isContiguous(format?: MemoryFormat): boolean;
  /** A copy; with `format`, laid out in it (restrided even where both layouts fit). */
  clone(format?: MemoryFormat): Tensor;
  detach(): Tensor;
  to(dtype: DType): Tensor;
}

export const Tensor = native.Tensor as unknown as { prototype: Tensor };

export function isTensor(v: unknown): v is Tensor {
  return v instanceof (native.Tensor as unknown as new () => object);
}
