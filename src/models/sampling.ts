// Drawing from categorical distributions given as logits (the mu-law head's levels, the delay path's lags,
// the token model's tokens).
import { rand, type Tensor } from "../torch/index.js";

/**
 * Draws one index along the last dimension of logits [..., K] / temperature (Gumbel-max); temperature 0:
 * the argmax. topP < 1 draws from the nucleus only: the most likely indices whose probabilities sum to
 * topP (Holtzman et al. 2020), which cuts the long tail of unlikely choices a model is least sure of.
 */
export function sampleCategorical(logits: Tensor, temperature: number, topP = 1): Tensor {
  if (temperature <= 0) return logits.argmax(-1);
  let scaled = logits.div(temperature);
  if (topP < 1) {
    const [sorted] = scaled.topk(scaled.size(-1), -1);
    const p = sorted.softmax(-1);
    // An index stays if the mass of the more likely ones before it is below topP (the first always does).
    const before = p.cumsum(-1).sub(p);
    const lowest = sorted.maskedFill(before.ge(topP), Infinity).amin(-1, true);
    scaled = scaled.maskedFill(scaled.lt(lowest), -Infinity);
  }
  // Gumbel-max: argmax(logits − log(−log U)); U ∈ [0, 1) makes −log U > 0 (U = 0 gives +∞: never drawn).
  return scaled.sub(rand(logits.shape).log().neg().log()).argmax(-1);
}

/**
 * Classifier-free guidance (Ho & Salimans 2022): logits with the condition and without it → those
 * without plus `scale` times the difference. 1: the conditional logits; above 1, what the condition
 * adds is weighed more.
 */
export function guide(conditional: Tensor, unconditional: Tensor, scale: number): Tensor {
  return unconditional.add(conditional.sub(unconditional).mul(scale));
}
