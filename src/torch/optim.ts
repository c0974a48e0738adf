// libtorch's Adam and AdamW, with state as named tensors so checkpoints can hold it.
import { native, type NativeOptimizer } from "./binding.js";
import { scalar } from "./create.js";
import type { Tensor } from "./tensor.js";

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}

class AdamBase {
  readonly #opt: NativeOptimizer;
  constructor(
    kind: "adam" | "adamw",
    readonly params: readonly Tensor[],
    o: AdamOptions,
  ) {
    if (params.length === 0) throw new Error(`${kind}: no parameters to optimise`);
    if (o.lr !== undefined && !(o.lr > 0)) throw new RangeError(`${kind}: lr must be positive, got ${o.lr}`);
    this.#opt = new native.Optimizer(kind, [...params], {
      lr: o.lr,
      beta1: o.betas?.[0],
      beta2: o.betas?.[1],
      eps: o.eps,
      weightDecay: o.weightDecay,
      amsgrad: o.amsgrad,
    });
  }
  step(): void {
    this.#opt.step();
  }
  /** Drops every parameter's gradient (PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    this.#opt.zeroGrad();
  }
  get lr(): number {
    return this.#opt.lr;
  }
  set lr(v: number) {
    this.#opt.lr = v;
  }

  /** State as tensors named like PyTorch's optimizer state_dict: `state.<i>.exp_avg`, `.exp_avg_sq`, `.step`. */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    this.#opt.getState().forEach((s, i) => {
      if (!s) return;
      out.set(`state.${i}.step`, scalar(s.step));
      out.set(`state.${i}.exp_avg`, s.expAvg as Tensor);
      out.set(`state.${i}.exp_avg_sq`, s.expAvgSq as Tensor);
      if (s.maxExpAvgSq) out.set(`state.${i}.max_exp_avg_sq`, s.maxExpAvgSq as Tensor);
    });
    return out;
  }

  loadStateDict(state: ReadonlyMap<string, Tensor>): void {
    const entries = this.params.map((_, i) => {
      const step = state.get(`state.${i}.step`);
      if (!step) return null;
      const need = (k: string): Tensor => {
        const t = state.get(`state.${i}.${k}`);
        if (!t) throw new Error(`optimizer state: state.${i}.${k} is missing`);
        return t;
      };
      return {
        step: step.item(),
        expAvg: need("exp_avg"),
        expAvgSq: need("exp_avg_sq"),
        maxExpAvgSq: state.get(`state.${i}.max_exp_avg_sq`),
      };
    });
    const known = new Set(this.params.map((_, i) => i));
    for (const k of state.keys()) {
      const i = Number(k.split(".")[1]);
      if (!k.startsWith("state.") || !known.has(i)) throw new Error(`optimizer state: unexpected entry ${k}`);
    }
    this.#opt.setState(entries);
  }
}

/** torch.optim.Adam (L2 weight decay added to the gradient). */
export class Adam extends AdamBase {
  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    super("adam", params, options);
  }
}

/** torch.optim.AdamW (decoupled weight decay, default 0.01). */
export class AdamW extends AdamBase {
  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    super("adamw", params, options);
  }
}
