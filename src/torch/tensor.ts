// The Tensor type: the native handle plus PyTorch-like methods, and the creation functions.
import { native } from "./binding.js";

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

/** A libtorch tensor. Memory is released by `dispose()` or by the enclosing `tidy` scope. */
export interface Tensor {
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

  add(o: Tensor | number): Tensor;
  sub(o: Tensor | number): Tensor;
  mul(o: Tensor | number): Tensor;
  div(o: Tensor | number): Tensor;
  pow(o: Tensor | number): Tensor;
  remainder(o: Tensor | number): Tensor;
  eq(o: Tensor | number): Tensor;
  ne(o: Tensor | number): Tensor;
  lt(o: Tensor | number): Tensor;
  le(o: Tensor | number): Tensor;
  gt(o: Tensor | number): Tensor;
  ge(o: Tensor | number): Tensor;
  maximum(o: Tensor): Tensor;
  minimum(o: Tensor): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  log10(): Tensor;
  log1p(): Tensor;
  expm1(): Tensor;
  sqrt(): Tensor;
  rsqrt(): Tensor;
  square(): Tensor;
  reciprocal(): Tensor;
  sin(): Tensor;
  cos(): Tensor;
  tanh(): Tensor;
  sigmoid(): Tensor;
  relu(): Tensor;
  sign(): Tensor;
  floor(): Tensor;
  ceil(): Tensor;
  round(): Tensor;
  isfinite(): Tensor;
  isnan(): Tensor;
  logicalNot(): Tensor;
  clamp(min?: number | null, max?: number | null): Tensor;
  matmul(o: Tensor): Tensor;
  sum(dims?: Dims | null, keepdim?: boolean): Tensor;
  mean(dims?: Dims | null, keepdim?: boolean): Tensor;
  amax(dims?: Dims | null, keepdim?: boolean): Tensor;
  amin(dims?: Dims | null, keepdim?: boolean): Tensor;
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

// Methods whose native function takes the tensor as its first argument.
const selfFirst = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "remainder",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "maximum",
  "minimum",
  "neg",
  "abs",
  "exp",
  "log",
  "log10",
  "log1p",
  "expm1",
  "sqrt",
  "rsqrt",
  "square",
  "reciprocal",
  "sin",
  "cos",
  "tanh",
  "sigmoid",
  "relu",
  "sign",
  "floor",
  "ceil",
  "round",
  "isfinite",
  "isnan",
  "logicalNot",
  "clamp",
  "matmul",
  "sum",
  "mean",
  "amax",
  "amin",
  "var",
  "std",
  "norm",
  "argmax",
  "argmin",
  "all",
  "any",
  "cumsum",
  "topk",
  "softmax",
  "logSoftmax",
  "transpose",
  "slice",
  "select",
  "narrow",
  "split",
  "chunk",
  "indexSelect",
  "indexAdd",
  "gather",
  "maskedFill",
  "squeeze",
  "unsqueeze",
  "flatten",
  "unfold",
  "contiguous",
  "isContiguous",
  "clone",
  "detach",
  "to",
] as const;
// Methods taking a shape or dim list, as varargs or one array (x.view(2, 3) or x.view([2, 3])).
const listArg = ["view", "reshape", "permute", "expand", "repeat", "flip"] as const;
/** Every Tensor method forwarded to an addon function of the same name (test/torch/binding.test.ts). */
export const FORWARDED_METHODS: readonly string[] = [...selfFirst, ...listArg];

const proto = native.Tensor.prototype as Record<string, unknown>;
for (const name of selfFirst) {
  const fn = native[name];
  proto[name] = function (this: Tensor, ...args: unknown[]) {
    return fn(this, ...args);
  };
}
for (const name of listArg) {
  const fn = native[name];
  proto[name] = function (this: Tensor, ...args: (number | number[])[]) {
    return fn(this, Array.isArray(args[0]) ? args[0] : args);
  };
}

proto.size = function (this: Tensor, dim: number): number {
  const n = this.shape[dim < 0 ? dim + this.ndim : dim];
  if (n === undefined) throw new RangeError(`size(${dim}) of a ${this.ndim}-D tensor`);
  return n;
};

export function isTensor(v: unknown): v is Tensor {
  return v instanceof (native.Tensor as unknown as new () => object);
}

const arrayDtype = (a: AnyTypedArray): DType =>
  a instanceof Float32Array
    ? "float32"
    : a instanceof Float64Array
      ? "float64"
      : a instanceof BigInt64Array
        ? "int64"
        : a instanceof Int32Array
          ? "int32"
          : a instanceof Int16Array
            ? "int16"
            : "uint8";

/** A tensor holding a copy of `data` with the given shape (default: 1-D). */
export function tensor(data: AnyTypedArray | readonly number[], shape?: Shape, dtype?: DType): Tensor {
  if (!ArrayBuffer.isView(data)) {
    const d = dtype ?? "float32";
    if (d === "int64")
      return native.fromTypedArray(
        BigInt64Array.from(data, (x) => BigInt(x)),
        shape,
      );
    const arr =
      d === "float64"
        ? Float64Array.from(data)
        : d === "int32"
          ? Int32Array.from(data)
          : d === "int16"
            ? Int16Array.from(data)
            : d === "uint8" || d === "bool"
              ? Uint8Array.from(data)
              : Float32Array.from(data);
    return native.fromTypedArray(arr, shape, d);
  }
  if (dtype && dtype !== arrayDtype(data) && !(dtype === "bool" && data instanceof Uint8Array)) {
    throw new TypeError(`tensor(): a ${data.constructor.name} cannot hold dtype ${dtype}`);
  }
  return native.fromTypedArray(data, shape, dtype);
}

export const zeros = (shape: Shape, dtype: DType = "float32"): Tensor => native.zeros(shape, dtype);
export const ones = (shape: Shape, dtype: DType = "float32"): Tensor => native.ones(shape, dtype);
export const empty = (shape: Shape, dtype: DType = "float32"): Tensor => native.empty(shape, dtype);
export const full = (shape: Shape, value: number, dtype: DType = "float32"): Tensor => native.full(shape, value, dtype);
export const scalar = (value: number, dtype: DType = "float32"): Tensor => native.scalar(value, dtype);
/** Standard normal samples from the global generator (see manualSeed). */
export const randn = (shape: Shape, dtype: DType = "float32"): Tensor => native.randn(shape, dtype);
/** Uniform samples in [0, 1) from the global generator. */
export const rand = (shape: Shape, dtype: DType = "float32"): Tensor => native.rand(shape, dtype);
/** Integers in [low, high) as int64. */
export const randint = (low: number, high: number, shape: Shape): Tensor => native.randint(low, high, shape);
export const randperm = (n: number): Tensor => native.randperm(n);
export const arange = (start: number, end: number, step = 1, dtype: DType = "float32"): Tensor =>
  native.arange(start, end, step, dtype);
export const linspace = (start: number, end: number, steps: number, dtype: DType = "float32"): Tensor =>
  native.linspace(start, end, steps, dtype);
export const eye = (n: number, dtype: DType = "float32"): Tensor => native.eye(n, dtype);
export const hannWindow = (length: number, periodic = true, dtype: DType = "float32"): Tensor =>
  native.hannWindow(length, periodic, dtype);
/** Seeds libtorch's global CPU generator (randn, rand, dropout, init). */
export const manualSeed = (seed: number): void => native.manualSeed(seed);

export const cat = (tensors: readonly Tensor[], dim = 0): Tensor => native.cat(tensors, dim);
export const stack = (tensors: readonly Tensor[], dim = 0): Tensor => native.stack(tensors, dim);
export const where = (cond: Tensor, a: Tensor, b: Tensor): Tensor => native.where(cond, a, b);

/** Number array of a tensor's values (int64 converted to number). */
export function toArray(t: Tensor): number[] {
  const a = t.toTypedArray();
  return a instanceof BigInt64Array ? Array.from(a, Number) : Array.from(a);
}

/** Throws if `t` holds NaN or Inf, naming `what` — used before anything is written to disk. */
export function assertFinite(t: Tensor, what: string): void {
  const mask: Tensor = native.isfinite(t);
  const finite: Tensor = native.all(mask);
  const ok = finite.item() as unknown as boolean;
  mask.dispose();
  finite.dispose();
  if (!ok) throw new Error(`${what}: contains NaN or Inf`);
}
