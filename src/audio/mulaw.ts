// mu-law companding (ITU G.711 curve with mu = 255) between samples in [-1, 1] and 256 levels.
import { noGrad, tidy, type Tensor } from "../torch/index.js";

const MU = 255;

/** Samples in [-1, 1] → int64 levels 0..255. */
export function mulawEncode(x: Tensor): Tensor {
  return noGrad(() =>
    tidy(() => {
      const c = x.clamp(-1, 1);
      const y = c.sign().mul(c.abs().mul(MU).log1p().div(Math.log1p(MU)));
      return y.add(1).div(2).mul(MU).add(0.5).floor().clamp(0, MU).to("int64");
    }),
  );
}

/** Levels 0..255 (any integer or float dtype) → samples in [-1, 1]. */
export function mulawDecode(q: Tensor): Tensor {
  return noGrad(() =>
    tidy(() => {
      const y = q.to("float32").div(MU).mul(2).sub(1);
      return y.sign().mul(y.abs().mul(Math.log1p(MU)).exp().sub(1).div(MU));
    }),
  );
}
