// The Tensor methods that forward to addon functions of the same name, by kind: the lists type
// `interface Tensor`'s uniform groups (tensor.ts) and install every method on the native prototype.
import { native } from "./binding.js";
import type { Tensor } from "./tensor.js";

export const BINARY = ["add", "sub", "mul", "div", "pow", "remainder", "eq", "ne", "lt", "le", "gt", "ge"] as const;
export const ELEMENTWISE = ["neg", "abs", "exp", "log", "log10", "log1p", "expm1"] as const;
export const POWERS = ["sqrt", "rsqrt", "square", "reciprocal"] as const;
export const ACTIVATIONS = ["sin", "cos", "tanh", "sigmoid", "relu", "sign"] as const;
export const ROUNDING = ["floor", "ceil", "round", "isfinite", "isnan", "logicalNot"] as const;
/** Reductions over `dims` (all when absent or null), keeping them as size 1 if asked. */
export const REDUCTIONS = ["sum", "mean", "amax", "amin"] as const;

// The methods declared one by one in `interface Tensor`, whose native function takes the tensor first.
const OTHERS = [
  ...["maximum", "minimum", "clamp", "matmul", "var", "std", "norm", "argmax", "argmin", "all", "any", "cumsum"],
  ...["topk", "softmax", "logSoftmax", "transpose", "slice", "select", "narrow", "split", "chunk", "indexSelect"],
  ...["indexAdd", "gather", "maskedFill", "squeeze", "unsqueeze", "flatten", "unfold", "contiguous", "isContiguous"],
  ...["clone", "detach", "to"],
] as const;

// Methods taking a shape or dim list, as varargs or one array (x.view(2, 3) or x.view([2, 3])).
const LIST_ARG = ["view", "reshape", "permute", "expand", "repeat", "flip"] as const;

const selfFirst = [
  ...BINARY,
  ...ELEMENTWISE,
  ...POWERS,
  ...ACTIVATIONS,
  ...ROUNDING,
  ...REDUCTIONS,
  ...OTHERS,
] as const;

/** Every Tensor method forwarded to an addon function of the same name (test/torch/binding.test.ts). */
export const FORWARDED_METHODS: readonly string[] = [...selfFirst, ...LIST_ARG];

// Every forwarded name is declared by `interface Tensor` (a compile-time check: a name missing there is a key
// this object would need).
const declared: Record<Exclude<(typeof selfFirst)[number] | (typeof LIST_ARG)[number], keyof Tensor>, never> = {};
void declared;

const proto = native.Tensor.prototype as Record<string, unknown>;
for (const name of selfFirst) {
  const fn = native[name];
  proto[name] = function (this: Tensor, ...args: unknown[]) {
    return fn(this, ...args);
  };
}
for (const name of LIST_ARG) {
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
