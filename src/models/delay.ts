// The delay path of the generator: a long-term predictor that continues the window from its own past
// at a chosen lag (as CELP speech codecs' adaptive codebook). Lags run every DELAY_STEP samples from
// outputSamples to inputSamples; index k is lag outputSamples + DELAY_STEP·k.
import { F, arange, noGrad, tidy, type Tensor } from "../torch/index.js";
import type { GeneratorConfig } from "./generator.js";

/** Lag grid of the delay path: every DELAY_STEP samples (1 ms at 10 kHz) from outputSamples to inputSamples. */
const DELAY_STEP = 10;
/** Width of the soft lag target, as a share of the chunk's energy: lags within ~τ‖y‖² of the best count. */
const LAG_TAU = 0.1;
export const delayLags = (c: GeneratorConfig): number =>
  Math.floor((c.inputSamples - c.outputSamples) / DELAY_STEP) + 1;

/** Row b's outputSamples samples starting lag(k) = outputSamples + DELAY_STEP·k before the window's end. */
export function copyAt(x: Tensor, lagIndex: Tensor, c: GeneratorConfig): Tensor {
  const n = c.outputSamples;
  const start = lagIndex
    .mul(-DELAY_STEP)
    .add(c.inputSamples - n)
    .to("int64")
    .unsqueeze(1); // [B, 1]
  return x.gather(1, start.add(arange(0, n, 1, "int64").unsqueeze(0)));
}

/**
 * The delay path's training target for windows x [B, inputSamples] followed by y [B, n]: a distribution
 * over the lags [B, lags], each weighted by how near its copy is to y: exp(−‖copy − y‖² / (τ‖y‖²)),
 * relative to the best. Soft, because a periodic signal has many equally good lags (every period).
 */
export function lagTargets(x: Tensor, y: Tensor, c: GeneratorConfig, tau = LAG_TAU): Tensor {
  const n = c.outputSamples;
  const lags = delayLags(c);
  return noGrad(() =>
    tidy(() => {
      const first = c.inputSamples - n - DELAY_STEP * (lags - 1); // where the longest lag's copy starts
      const { dot, energy } = slidingDot(x, first, c.inputSamples, y); // [B, lags], longest lag first
      const yy = y.square().sum(1, true);
      const distance = energy.sub(dot.mul(2)).add(yy).clamp(0).flip(1); // ‖copy − y‖², index k = lag n + DELAY_STEP·k
      return distance.div(yy.clamp(1e-8).mul(-tau)).softmax(1);
    }),
  );
}

/**
 * Where the window's last delayReference samples (the reference) occurred before, as CELP codecs search
 * the pitch lag: the normalised correlation of the reference with the stretch ending where lag L's copy starts,
 * for every lag L of the delay path ([B, lags], 0 where the window holds no such stretch). The path
 * then starts from "continue as the music did the last time it sounded like this".
 */
export function matchScores(x: Tensor, c: GeneratorConfig): Tensor {
  const n = c.outputSamples;
  const r = c.delayReference;
  const lags = delayLags(c);
  return noGrad(() =>
    tidy(() => {
      const ref = x.slice(1, c.inputSamples - r);
      const unit = ref.div(ref.square().sum(1, true).sqrt().clamp(1e-6)); // [B, r]
      // Lag L = n + DELAY_STEP·k compares the reference with the r samples ending where the copy starts,
      // at p = T − r − L; p runs down from T − r − n.
      const last = c.inputSamples - r - n;
      const start = last % DELAY_STEP;
      const { dot, energy } = slidingDot(x, start, last + r, unit); // p = start + DELAY_STEP·q
      const ncc = dot.div(energy.sqrt().clamp(1e-6)).flip(1); // now index k: lag n + DELAY_STEP·k
      return ncc.size(1) < lags ? F.pad(ncc, [0, lags - ncc.size(1)]) : ncc;
    }),
  );
}

/**
 * For each row b, the dot product of kernel[b] (m samples) with every m-sample stretch of x[b, from:to]
 * starting DELAY_STEP apart, and each stretch's energy: both [B, stretches], earliest stretch first.
 */
function slidingDot(x: Tensor, from: number, to: number, kernel: Tensor): { dot: Tensor; energy: Tensor } {
  const m = kernel.size(1);
  const past = x.slice(1, from, to).unsqueeze(0); // [1, B, …]: one group per row
  return {
    dot: F.conv1d(past, kernel.unsqueeze(1), null, { stride: DELAY_STEP, groups: x.shape[0] }).squeeze(0),
    energy: F.avgPool1d(past.square(), m, { stride: DELAY_STEP }).squeeze(0).mul(m),
  };
}
