// Drawing from categorical distributions given as logits (the mu-law head's levels, the delay path's lags).
import { rand, type Tensor } from "../torch/index.js";

/** Draws one index along the last dimension of logits [..., K] / temperature (Gumbel-max); temperature 0: the argmax. */
export function sampleCategorical(logits: Tensor, temperature: number): Tensor {
  if (temperature <= 0) return logits.argmax(-1);
  const gumbel = rand(logits.shape).clamp(1e-9, 1 - 1e-9).log().neg().log().neg();
  return logits.div(temperature).add(gumbel).argmax(-1);
}
