// Causal multi-head self-attention over a sliding window, with rotary position embeddings (RoPE, Su et al.
// 2021): a query meets each key rotated by their distance, so scores depend on how far back a frame is,
// not on where a crop began. Run over a whole sequence in training and one frame at a time (with the
// keys and values of the frames before) in generation; both see the same window.
import * as F from "../functional.js";
import { tidy } from "../scope.js";
import { arange, cat, tensor } from "../create.js";
import type { Tensor } from "../tensor.js";
import { Linear } from "./layers.js";
import { Module } from "./module.js";

/** The keys and values of the last frames (at most window − 1) and the position of the next. */
export interface AttentionCache {
  keys: Tensor;
  values: Tensor;
  position: number;
}

const ROPE_BASE = 10_000;

export class CausalSelfAttention extends Module {
  readonly qkv: Linear;
  readonly out: Linear;
  readonly #headSize: number;

  /** `window`: how many frames a query sees, itself included. */
  constructor(
    readonly size: number,
    readonly heads: number,
    readonly window: number,
  ) {
    super();
    if (size % heads || (size / heads) % 2)
      throw new Error(`attention: ${size} features do not split into ${heads} heads of an even size`);
    if (window < 1) throw new Error(`attention: window ${window} must be at least 1`);
    this.#headSize = size / heads;
    this.qkv = this.registerModule("qkv", new Linear(size, 3 * size));
    this.out = this.registerModule("out", new Linear(size, size));
  }

  /**
   * x [B, T, size] at positions cache.position… (0… without a cache) → [B, T, size], and the cache for the
   * frames that follow. Each frame attends to itself and the window − 1 frames before it, cached or not.
   */
  forward(x: Tensor, cache?: AttentionCache | null): [Tensor, AttentionCache] {
    const [b, t] = x.shape as [number, number];
    const d = this.#headSize;
    const start = cache?.position ?? 0;
    return tidy(() => {
      // [B, T, 3, heads, d] → three of [B, heads, T, d]
      const qkv = this.qkv.forward(x).view(b, t, 3, this.heads, d).permute(2, 0, 3, 1, 4);
      const [q, k, v] = [qkv.select(0, 0), qkv.select(0, 1), qkv.select(0, 2)];
      const keys = cache ? cat([cache.keys, rotate(k, start)], 2) : rotate(k, start);
      const values = cache ? cat([cache.values, v], 2) : v;
      const past = keys.size(2) - t;
      let scores = rotate(q, start)
        .matmul(keys.transpose(2, 3))
        .mul(1 / Math.sqrt(d)); // [B, heads, T, past + T]
      const hidden = this.#mask(t, past);
      if (hidden) scores = scores.maskedFill(hidden, -Infinity);
      const y = F.softmax(scores, 3).matmul(values).transpose(1, 2).reshape(b, t, this.size);
      const kept = Math.min(keys.size(2), this.window - 1);
      const next = {
        keys: keys.narrow(2, keys.size(2) - kept, kept),
        values: values.narrow(2, values.size(2) - kept, kept),
        position: start + t,
      };
      return [this.out.forward(y), next];
    });
  }

  /** Which keys each of t queries must not see (later, or window or more frames back), or null if none. */
  #mask(t: number, past: number): Tensor | null {
    const hidden: boolean[] = [];
    let any = false;
    for (let i = 0; i < t; i++) {
      for (let j = 0; j < past + t; j++) {
        const back = past + i - j;
        const h = back < 0 || back >= this.window;
        hidden.push(h);
        any ||= h;
      }
    }
    return any ? tensor(hidden.map(Number), [t, past + t], "uint8").to("bool") : null;
  }
}

/** x [B, heads, T, d] at positions start… rotated pairwise (first half against second) by RoPE's angles. */
function rotate(x: Tensor, start: number): Tensor {
  const [t, d] = [x.size(2), x.size(3)];
  const half = d / 2;
  return tidy(() => {
    const inv = arange(0, half)
      .mul(-2 / d)
      .mul(Math.log(ROPE_BASE))
      .exp(); // [half]
    const angle = arange(start, start + t)
      .unsqueeze(1)
      .mul(inv.unsqueeze(0)); // [T, half]
    const [cos, sin] = [angle.cos(), angle.sin()];
    const [a, b] = [x.narrow(3, 0, half), x.narrow(3, half, half)];
    return cat([a.mul(cos).sub(b.mul(sin)), a.mul(sin).add(b.mul(cos))], 3);
  });
}
