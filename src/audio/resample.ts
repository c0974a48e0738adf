// Band-limited resampling on libtorch: windowed-sinc polyphase filtering, the same algorithm and
// defaults as torchaudio.functional.resample (sinc_interp_hann, lowpass_filter_width 6, rolloff 0.99).
import { F, noGrad, tensor, tidy, type Tensor } from "../torch/index.js";

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side: sharper filter, more work. torchaudio: 6. */
  lowpassFilterWidth?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency (anti-aliasing margin). torchaudio: 0.99. */
  rolloff?: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const kernels = new Map<string, { kernel: Tensor; width: number }>();

/** The polyphase filter bank [newFreq/g, 1, 2*width + origFreq/g] and its half-width. */
function sincKernel(origFreq: number, newFreq: number, o: Required<ResampleOptions>): { kernel: Tensor; width: number } {
  const key = `${origFreq}/${newFreq}/${o.lowpassFilterWidth}/${o.rolloff}`;
  const hit = kernels.get(key);
  if (hit) return hit;
  const g = gcd(origFreq, newFreq);
  const orig = origFreq / g;
  const out = newFreq / g;
  const lw = o.lowpassFilterWidth;
  const base = Math.min(orig, out) * o.rolloff;
  const width = Math.ceil((lw * orig) / base);
  const taps = 2 * width + orig;
  const k = new Float32Array(out * taps);
  const scale = base / orig;
  // torchaudio builds the kernel in the waveform's dtype (float32): rounding each step as it does
  // keeps the results within float32 noise of torchaudio's.
  const f = Math.fround;
  for (let phase = 0; phase < out; phase++) {
    for (let j = 0; j < taps; j++) {
      let t = f(f(f(-phase / out) + f(f(j - width) / orig)) * f(base));
      t = Math.max(-lw, Math.min(lw, t));
      const window = f(f(Math.cos(f(f(f(t * f(Math.PI)) / lw) / 2))) ** 2);
      const x = f(t * f(Math.PI));
      k[phase * taps + j] = f(f((x === 0 ? 1 : f(f(Math.sin(x)) / x)) * f(window * f(scale))));
    }
  }
  const entry = { kernel: tensor(k, [out, 1, taps]).keep(), width };
  kernels.set(key, entry);
  return entry;
}

/** Resamples the last dimension of `waveform` from `origFreq` to `newFreq` Hz (integers). */
export function resample(waveform: Tensor, origFreq: number, newFreq: number, options: ResampleOptions = {}): Tensor {
  if (!Number.isInteger(origFreq) || !Number.isInteger(newFreq) || origFreq <= 0 || newFreq <= 0) {
    throw new RangeError(`resample: sample rates must be positive integers, got ${origFreq} → ${newFreq}`);
  }
  if (origFreq === newFreq) return waveform.clone();
  const o = { lowpassFilterWidth: options.lowpassFilterWidth ?? 6, rolloff: options.rolloff ?? 0.99 };
  const { kernel, width } = sincKernel(origFreq, newFreq, o);
  const g = gcd(origFreq, newFreq);
  const orig = origFreq / g;
  const shape = waveform.shape;
  const length = shape[shape.length - 1];
  const target = Math.ceil(((newFreq / g) * length) / orig);
  return noGrad(() => tidy(() => {
    const flat = waveform.reshape(-1, length);
    const padded = F.pad(flat, [width, width + orig]).unsqueeze(1);
    const y = F.conv1d(padded, kernel, null, { stride: orig }); // [n, phases, steps]
    const interleaved = y.transpose(1, 2).reshape(flat.shape[0], -1).slice(1, 0, target);
    return interleaved.reshape([...shape.slice(0, -1), target]);
  }));
}

/** Resamples a mono signal held in a Float32Array. */
export function resampleArray(samples: Float32Array, origFreq: number, newFreq: number, options?: ResampleOptions): Float32Array {
  if (origFreq === newFreq) return samples;
  return tidy(() => resample(tensor(samples), origFreq, newFreq, options).toTypedArray() as Float32Array);
}
