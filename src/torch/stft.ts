// The short-time Fourier transform and its inverse over the addon, with PyTorch's defaults (torch.stft,
// torch.istft, torchaudio's spectrogram); reached as F.stft, F.istft and F.spectrogram.
import { native } from "./binding.js";
import type { Tensor } from "./tensor.js";

export interface StftOptions {
  hopLength?: number;
  winLength?: number;
  window?: Tensor | null;
  center?: boolean;
  padMode?: "reflect" | "constant" | "replicate" | "circular";
  normalized?: boolean;
  onesided?: boolean;
}
/**
 * Short-time Fourier transform as torch.stft(return_complex=True) followed by torch.view_as_real:
 * shape [..., nFft/2+1, frames, 2] (real, imaginary). Defaults as PyTorch: hop nFft/4, center, reflect.
 */
export function stft(x: Tensor, nFft: number, o: StftOptions = {}): Tensor {
  return native.stft(x, nFft, ...stftArgs(nFft, o));
}

/** The addon's STFT arguments after nFft, PyTorch's defaults filled in (stft, spectrogram). */
const stftArgs = (nFft: number, o: StftOptions) =>
  [
    o.hopLength ?? Math.floor(nFft / 4),
    o.winLength ?? nFft,
    o.window ?? null,
    o.center ?? true,
    o.padMode ?? "reflect",
    o.normalized ?? false,
    o.onesided ?? true,
  ] as const;

/**
 * Inverse of stft (torch.istft): x [..., nFft/2+1, frames, 2] (real, imaginary) → signal [..., samples];
 * `length` trims or pads the result to that many samples.
 */
export function istft(x: Tensor, nFft: number, o: Omit<StftOptions, "padMode"> & { length?: number } = {}): Tensor {
  return native.istft(
    x,
    nFft,
    o.hopLength ?? Math.floor(nFft / 4),
    o.winLength ?? nFft,
    o.window ?? null,
    o.center ?? true,
    o.normalized ?? false,
    o.onesided ?? true,
    o.length ?? null,
  );
}

/** |STFT|^power, [..., nFft/2+1, frames] (torchaudio.functional.spectrogram without normalisation). */
export function spectrogram(x: Tensor, nFft: number, power: number, o: StftOptions = {}): Tensor {
  return native.spectrogram(x, nFft, ...stftArgs(nFft, o), power);
}
