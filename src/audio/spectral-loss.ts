// Multi-resolution STFT loss (Yamamoto et al. 2020, Parallel WaveGAN; Engel et al. 2020, DDSP): per FFT
// size, spectral convergence ‖|Y|−|X|‖_F / ‖|Y|‖_F plus the mean L1 distance of log magnitudes, averaged
// over sizes. It compares magnitudes only, so a prediction with the right spectrum but another phase
// is not punished — unlike MSE, whose optimum for music with uncertain phase is near silence.
import { F, hannWindow, type Tensor } from "../torch/index.js";

export interface SpectralLossOptions {
  /** FFT sizes (window = FFT size, hop = a quarter of it). */
  fftSizes: readonly number[];
  /**
   * Weight of a loudness-envelope term: L1 between the log energies of each frame. Where the spectrum
   * is uncertain (which notes, which bins) the magnitude terms are best served by energy spread thinly,
   * i.e. quiet output; a frame's total energy is far more predictable. 0: off.
   */
  envelope?: number;
}

const windows = new Map<number, Tensor>();
const windowOf = (n: number): Tensor => {
  let w = windows.get(n);
  if (!w) windows.set(n, (w = hannWindow(n).keep()));
  return w;
};

/**
 * |STFT| of rows [batch, samples] → [batch, freq, frames]; the offset keeps log, sqrt and their gradients
 * finite near 0.
 */
function magnitude(x: Tensor, nFft: number): Tensor {
  const power = F.spectrogram(x, nFft, 2, {
    hopLength: nFft / 4,
    window: windowOf(nFft),
    center: true,
    padMode: "reflect",
  });
  return power.add(1e-7).sqrt();
}

/**
 * The loss of `predicted` against `target`, both [batch, samples]: a scalar tensor with autograd, or
 * with `perRow` one value per row ([batch]; spectral convergence then normalised per row).
 */
export function multiResolutionStftLoss(
  predicted: Tensor,
  target: Tensor,
  o: SpectralLossOptions & { perRow?: boolean },
): Tensor {
  const samples = predicted.size(-1);
  const sizes = o.fftSizes.filter((n) => n / 2 < samples);
  if (!sizes.length)
    throw new RangeError(`spectral loss: every FFT size (${o.fftSizes.join(", ")}) is too long for ${samples} samples`);
  let total: Tensor | undefined;
  for (const n of sizes) {
    const p = magnitude(predicted, n);
    const t = magnitude(target, n);
    let term = o.perRow
      ? rowNorm(p.sub(t))
          .div(rowNorm(t))
          .add(p.log().sub(t.log()).abs().mean([1, 2]))
      : p.sub(t).norm().div(t.norm()).add(F.l1Loss(p.log(), t.log()));
    if (o.envelope) {
      const gap = frameLogEnergy(p).sub(frameLogEnergy(t)).abs();
      term = term.add((o.perRow ? gap.mean(1) : gap.mean()).mul(o.envelope));
    }
    total = total ? total.add(term) : term;
  }
  return total!.div(sizes.length);
}

const rowNorm = (x: Tensor): Tensor => x.square().sum([1, 2]).sqrt();
/** log of each frame's energy, [batch, frames], from magnitudes [batch, freq, frames]. */
const frameLogEnergy = (mag: Tensor): Tensor => mag.square().sum(1).log();
