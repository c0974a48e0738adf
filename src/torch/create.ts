// Creating tensors: from JS arrays and typed arrays, filled, random, ranges; joining them; reading them back.
import { native } from "./binding.js";
import type { AnyTypedArray, DType, Shape, Tensor } from "./tensor.js";

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
