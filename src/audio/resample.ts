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

// The polyphase bank has (newFreq/g) × (origFreq/g) entries: small for the usual rates (22050 → 10000:
// 94k floats), but 200M for 20011 → 10000. Past this size the filter is evaluated per output sample
// instead (the same filter, O(taps) memory), and only a few banks are cached.
const MAX_BANK = 1 << 20;
const MAX_CACHED = 8;
const kernels = new Map<string, { kernel: Tensor; width: number }>();

interface Filter {
  orig: number;
  out: number;
  lw: number;
  base: number;
  width: number;
}

function filterOf(origFreq: number, newFreq: number, o: Required<ResampleOptions>): Filter {
  const g = gcd(origFreq, newFreq);
  const orig = origFreq / g;
  const out = newFreq / g;
  const lw = o.lowpassFilterWidth;
  const base = Math.min(orig, out) * o.rolloff;
  return { orig, out, lw, base, width: Math.ceil((lw * orig) / base) };
}

/** The polyphase filter bank [newFreq/g, 1, 2*width + origFreq/g] and its half-width. */
function sincKernel(
  origFreq: number,
  newFreq: number,
  o: Required<ResampleOptions>,
): { kernel: Tensor; width: number } {
  const key = `${origFreq}/${newFreq}/${o.lowpassFilterWidth}/${o.rolloff}`;
  const hit = kernels.get(key);
  if (hit) {
    kernels.delete(key); // most recently used last
    kernels.set(key, hit);
    return hit;
  }
  const { orig, out, lw, base, width } = filterOf(origFreq, newFreq, o);
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
  if (kernels.size > MAX_CACHED) {
    const [oldest, evicted] = kernels.entries().next().value!;
    kernels.delete(oldest);
    evicted.kernel.dispose();
  }
  return entry;
}

/**
 * The same windowed sinc as the bank, evaluated at each output sample's own phase: for ratios whose
 * bank would be too large. Output n = b·out + p reads input around b·orig + p·orig/out.
 */
export function resampleDirect(
  x: Float32Array,
  origFreq: number,
  newFreq: number,
  options: ResampleOptions = {},
): Float32Array {
  const { orig, out, lw, base } = filterOf(origFreq, newFreq, {
    lowpassFilterWidth: options.lowpassFilterWidth ?? 6,
    rolloff: options.rolloff ?? 0.99,
  });
  const y = new Float32Array(Math.ceil((out * x.length) / orig));
  const reach = (lw * orig) / base; // input samples on each side with a non-zero weight
  const scale = base / orig;
  for (let n = 0; n < y.length; n++) {
    const b = Math.floor(n / out);
    const centre = b * orig + ((n - b * out) * orig) / out;
    let acc = 0;
    for (let i = Math.max(0, Math.ceil(centre - reach)); i <= Math.min(x.length - 1, Math.floor(centre + reach)); i++) {
      const t = ((i - centre) * base) / orig;
      const x1 = Math.PI * t;
      acc += x[i]! * (x1 === 0 ? 1 : Math.sin(x1) / x1) * Math.cos(x1 / lw / 2) ** 2;
    }
    y[n] = acc * scale;
  }
  return y;
}

/** Resamples the last dimension of `waveform` from `origFreq` to `newFreq` Hz (integers). */
export function resample(waveform: Tensor, origFreq: number, newFreq: number, options: ResampleOptions = {}): Tensor {
  if (!Number.isInteger(origFreq) || !Number.isInteger(newFreq) || origFreq <= 0 || newFreq <= 0) {
    throw new RangeError(`resample: sample rates must be positive integers, got ${origFreq} → ${newFreq}`);
  }
  if (origFreq === newFreq) return waveform.clone();
  const o = { lowpassFilterWidth: options.lowpassFilterWidth ?? 6, rolloff: options.rolloff ?? 0.99 };
  const f = filterOf(origFreq, newFreq, o);
  const shape = waveform.shape;
  const length = shape[shape.length - 1]!;
  if (f.out * (2 * f.width + f.orig) > MAX_BANK) {
    return tidy(() => {
      const rows = waveform.reshape(-1, length).contiguous().toTypedArray() as Float32Array;
      const parts = Array.from({ length: rows.length / length }, (_, r) =>
        resampleDirect(rows.subarray(r * length, (r + 1) * length), origFreq, newFreq, o),
      );
      const target = parts[0]?.length ?? Math.ceil((f.out * length) / f.orig);
      const flat = new Float32Array(parts.length * target);
      parts.forEach((p, r) => flat.set(p, r * target));
      return tensor(flat, [...shape.slice(0, -1), target]);
    });
  }
  const { kernel, width } = sincKernel(origFreq, newFreq, o);
  const orig = f.orig;
  const target = Math.ceil((f.out * length) / orig);
  return noGrad(() =>
    tidy(() => {
      const flat = waveform.reshape(-1, length);
      const padded = F.pad(flat, [width, width + orig]).unsqueeze(1);
      const y = F.conv1d(padded, kernel, null, { stride: orig }); // [n, phases, steps]
      const interleaved = y.transpose(1, 2).reshape(flat.size(0), -1).slice(1, 0, target);
      return interleaved.reshape([...shape.slice(0, -1), target]);
    }),
  );
}

/** Resamples a mono signal held in a Float32Array. */
export function resampleArray(
  samples: Float32Array,
  origFreq: number,
  newFreq: number,
  options?: ResampleOptions,
): Float32Array {
  if (origFreq === newFreq) return samples;
  return tidy(() => resample(tensor(samples), origFreq, newFreq, options).toTypedArray() as Float32Array);
}
