// Griffin-Lim: a waveform whose STFT magnitude approaches a given one, its phase found by alternating
// projections (Griffin & Lim 1984) with the momentum of Perraudin et al. 2013, as torchaudio's.
import { F, cat, hannWindow, rand, tidy, type Tensor } from "../torch/index.js";

export interface GriffinLimOptions {
  nFft: number;
  hopLength: number;
  iterations: number;
  /** torchaudio's default 0.99; 0 is the original algorithm. */
  momentum?: number;
  /** Samples of the result (else what the frames span). */
  length?: number;
}

/** Unit phasors of x [..., 2] (real, imaginary). */
const unit = (x: Tensor): Tensor => x.div(x.square().sum(-1, true).sqrt().add(1e-16));

/** magnitude [..., nFft/2+1, frames] (linear, not power) → signal [..., samples]; random initial phase. */
export function griffinLim(magnitude: Tensor, o: GriffinLimOptions): Tensor {
  const frames = magnitude.shape[magnitude.ndim - 1];
  if (o.length !== undefined && Math.floor(o.length / o.hopLength) + 1 !== frames) {
    throw new Error(
      `griffinLim: ${o.length} samples make ${Math.floor(o.length / o.hopLength) + 1} frames at hop ${o.hopLength}, ` +
        `not the ${frames} given`,
    );
  }
  const beta = (o.momentum ?? 0.99) / (1 + (o.momentum ?? 0.99));
  return tidy(() => {
    const window = hannWindow(o.nFft);
    const mag = magnitude.unsqueeze(-1);
    const inverse = (phase: Tensor): Tensor =>
      F.istft(phase.mul(mag), o.nFft, { hopLength: o.hopLength, window, length: o.length });
    const angle = rand(magnitude.shape)
      .mul(2 * Math.PI)
      .unsqueeze(-1);
    let phase = cat([angle.cos(), angle.sin()], -1);
    let previous: Tensor | null = null;
    for (let i = 0; i < o.iterations; i++) {
      // Disposed as they are replaced: a scope would hold every iteration's spectra until the end.
      const rebuilt = tidy(() => F.stft(inverse(phase), o.nFft, { hopLength: o.hopLength, window }));
      const next = tidy(() => unit(previous ? rebuilt.sub(previous.mul(beta)) : rebuilt));
      phase.dispose();
      previous?.dispose();
      phase = next;
      previous = rebuilt;
    }
    return inverse(phase);
  });
}
