// Module: named parameters, buffers and sub-modules with PyTorch's state-dict names.
import { noGrad, tidy } from "../scope.js";
import type { MemoryFormat, Tensor } from "../tensor.js";

export type StateDict = Map<string, Tensor>;

export abstract class Module {
  training = true;
  readonly #params = new Map<string, Tensor>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #modules = new Map<string, Module>();

  /** Registers a trainable tensor under `name` (kept alive outside scopes, requiresGrad on). */
  protected registerParameter(name: string, t: Tensor): Tensor {
    t.keep();
    t.requiresGrad = true;
    this.#params.set(name, t);
    return t;
  }

  /** Registers non-trainable state saved in the state dict (e.g. BatchNorm running statistics). */
  protected registerBuffer(name: string, t: Tensor): Tensor {
    t.keep();
    this.#buffers.set(name, t);
    return t;
  }

  protected registerModule<M extends Module>(name: string, m: M): M {
    this.#modules.set(name, m);
    return m;
  }

  namedParameters(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.#params].map(([n, t]) => [prefix + n, t]);
    for (const [n, m] of this.#modules) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  namedBuffers(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.#buffers].map(([n, t]) => [prefix + n, t]);
    for (const [n, m] of this.#modules) out.push(...m.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  children(): Module[] {
    return [...this.#modules.values()];
  }

  /** Total number of trainable parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, t) => n + t.numel, 0);
  }

  train(mode = true): this {
    this.training = mode;
    for (const m of this.#modules.values()) m.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /**
   * Lays out every 4-D parameter and buffer (convolution weights) in `format`, in place, as
   * PyTorch's `module.to(memory_format=...)`: the tensors keep their identity (an optimizer holding
   * them is unaffected); values, shapes and the state dict are unchanged. With channelsLast,
   * libtorch's oneDNN convolutions, batch norm and pooling work on NHWC data.
   */
  toMemoryFormat(format: MemoryFormat): this {
    // Always restrided: a one-channel weight fits both layouts, and libtorch then picks by strides.
    noGrad(() =>
      tidy(() => {
        for (const [, t] of [...this.namedParameters(), ...this.namedBuffers()]) {
          if (t.ndim === 4) t.setData_(t.clone(format));
        }
      }),
    );
    return this;
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Parameters and buffers under PyTorch's names (`conv.weight`, `bn.running_mean`, ...). */
  stateDict(): StateDict {
    const out: StateDict = new Map();
    for (const [n, t] of this.namedParameters()) out.set(n, t);
    for (const [n, t] of this.namedBuffers()) out.set(n, t);
    return out;
  }

  /**
   * Copies values into this module's tensors. With `strict`, missing or unexpected names are
   * an error; a shape mismatch always is.
   */
  loadStateDict(state: ReadonlyMap<string, Tensor>, strict = true): void {
    const own = this.stateDict();
    if (strict) {
      const missing = [...own.keys()].filter((k) => !state.has(k));
      const unexpected = [...state.keys()].filter((k) => !own.has(k));
      if (missing.length || unexpected.length) {
        const parts = [];
        if (missing.length) parts.push(`missing ${missing.join(", ")}`);
        if (unexpected.length) parts.push(`unexpected ${unexpected.join(", ")}`);
        throw new Error(`loadStateDict: state does not match the model (${parts.join("; ")})`);
      }
    }
    noGrad(() => {
      for (const [name, dst] of own) {
        const src = state.get(name);
        if (!src) continue;
        if (src.shape.join(",") !== dst.shape.join(",")) {
          throw new Error(`loadStateDict: ${name} has shape [${src.shape}] but the model needs [${dst.shape}]`);
        }
        // copy_ would convert silently: an edited or foreign file must not load as garbage.
        if (src.dtype !== dst.dtype)
          throw new Error(`loadStateDict: ${name} is ${src.dtype} but the model needs ${dst.dtype}`);
        dst.copy_(src);
      }
    });
  }
}
