// Deterministic tensor lifetime (like tf.tidy) and autograd switches.
import { native } from "./binding.js";
import { isTensor, type Tensor } from "./tensor.js";

function collect(value: unknown, out: Tensor[], seen: Set<unknown>): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (isTensor(value)) {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, out, seen);
  } else if (value instanceof Map) {
    for (const v of value.values()) collect(v, out, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out, seen);
  }
}

/**
 * Runs `fn` in a scope: every tensor created inside is released when it returns, except the
 * tensors in its result (found in arrays, Maps and plain objects), which move to the enclosing
 * scope, and tensors marked with keep(). Synchronous functions only.
 */
export function tidy<T>(fn: () => T): T {
  native.scopeEnter();
  let result: T;
  try {
    result = fn();
  } catch (err) {
    native.scopeExit([]);
    throw err;
  }
  if (result instanceof Promise) {
    native.scopeExit([]);
    throw new Error("tidy(): fn must be synchronous (it returned a Promise)");
  }
  const keep: Tensor[] = [];
  collect(result, keep, new Set());
  native.scopeExit(keep);
  return result;
}

/** Runs `fn` with autograd off (no graph is recorded), restoring the previous mode after. */
export function noGrad<T>(fn: () => T): T {
  const prev: boolean = native.setGradEnabled(false);
  try {
    return fn();
  } finally {
    native.setGradEnabled(prev);
  }
}

export const isGradEnabled = (): boolean => native.isGradEnabled();
/** Number of live tensor handles (for leak tests). */
export const liveTensors = (): number => native.liveTensors();
