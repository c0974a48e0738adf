// PyTorch's default parameter initialisation, drawn from libtorch's global generator.
import { tidy } from "../scope.js";
import { rand } from "../create.js";
import type { Shape, Tensor } from "../tensor.js";

/** Uniform samples in [-bound, bound). */
export function uniform(shape: Shape, bound: number): Tensor {
  return tidy(() =>
    rand(shape)
      .mul(2 * bound)
      .sub(bound),
  );
}

/**
 * nn.Linear / nn.ConvNd default: kaiming_uniform_(a=sqrt(5)) for the weight, which reduces to
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)); the bias uses the same bound.
 */
export const fanInUniform = (shape: Shape, fanIn: number): Tensor =>
  uniform(shape, fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0);
