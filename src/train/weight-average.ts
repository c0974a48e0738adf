// An exponential moving average of a model's weights (Polyak averaging, as generative models are often
// sampled from): one step's weights carry that step's gradient noise, an average over the last
// ~1/(1 - decay) steps less of it. Training updates the model's own weights; validation and the best
// checkpoint see the average. It starts at zero and is divided by 1 - decay^n after n updates (as Adam
// corrects its moments), so it is an average of the trained weights only, from the first step on.
import { noGrad, scalar, tidy, type nn, type Tensor } from "../torch/index.js";

/** Names of its entries in the optimizer's checkpoint file, beside the optimizer's own `state.*`. */
const PREFIX = "average.";

export class WeightAverage {
  readonly #params: [string, Tensor][];
  readonly #average = new Map<string, Tensor>();
  #updates = 0;

  constructor(
    model: nn.Module,
    readonly decay: number,
  ) {
    if (!(decay > 0 && decay < 1)) throw new RangeError(`weight average: decay must be in (0, 1), got ${decay}`);
    this.#params = model.namedParameters();
    noGrad(() => {
      for (const [n, p] of this.#params) this.#average.set(n, p.detach().mul(0).keep());
    });
  }

  /** After an optimizer step. */
  update(): void {
    this.#updates++;
    const d = this.decay;
    noGrad(() =>
      tidy(() => {
        for (const [n, p] of this.#params) {
          const a = this.#average.get(n) as Tensor;
          a.copy_(a.mul(d).add(p.detach().mul(1 - d)));
        }
      }),
    );
  }

  /**
   * Runs `fn` with the averaged weights in the model (its own before any update); its trained weights are
   * back after.
   */
  applied<T>(fn: () => T): T {
    if (!this.#updates) return fn();
    const correction = 1 / (1 - this.decay ** this.#updates);
    const trained = noGrad(() =>
      this.#params.map(([n, p]) => {
        const keep = p.detach().clone().keep();
        tidy(() => p.copy_((this.#average.get(n) as Tensor).mul(correction)));
        return keep;
      }),
    );
    try {
      return fn();
    } finally {
      noGrad(() => this.#params.forEach(([, p], i) => p.copy_(trained[i]!)));
      trained.forEach((t) => t.dispose());
    }
  }

  /** Its state, to be saved with the optimizer's (new tensors: the caller's scope owns them). */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>([[`${PREFIX}updates`, scalar(this.#updates)]]);
    for (const [n, a] of this.#average) out.set(PREFIX + n, a.clone());
    return out;
  }

  /** Restores from a saved optimizer file's entries; returns the entries that are not its own. */
  loadStateDict(state: ReadonlyMap<string, Tensor>): Map<string, Tensor> {
    const rest = new Map([...state].filter(([k]) => !k.startsWith(PREFIX)));
    const updates = state.get(`${PREFIX}updates`);
    // A checkpoint saved without an average (the option turned on when resuming) starts it afresh.
    if (!updates) return rest;
    noGrad(() => {
      for (const [n, a] of this.#average) {
        const saved = state.get(PREFIX + n);
        if (!saved) throw new Error(`weight average: ${PREFIX + n} is missing from the checkpoint`);
        a.copy_(saved);
      }
    });
    this.#updates = updates.item();
    return rest;
  }

  dispose(): void {
    this.#average.forEach((t) => t.dispose());
    this.#average.clear();
  }
}
