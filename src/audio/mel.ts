// Mel spectrograms on libtorch, equal to torchaudio's MelSpectrogram followed by AmplitudeToDB
// (parameter names as torchaudio's, in camelCase; defaults chosen for 10 kHz music, see MelSettings).
import { F, hannWindow, noGrad, tensor, tidy, type Tensor } from "../torch/index.js";

export interface MelSettings {
  /** Sample rate of the input in Hz. */
  sampleRate: number;
  /** FFT size in samples (torchaudio default 400; here 1024 = 102 ms at 10 kHz, 9.8 Hz bins). */
  nFft: number;
  /** Window length in samples (torchaudio default: nFft). */
  winLength: number;
  /** Hop between frames in samples (torchaudio default: winLength / 2; here 256 = 25.6 ms). */
  hopLength: number;
  /** Lowest mel band edge in Hz. */
  fMin: number;
  /** Highest mel band edge in Hz (torchaudio default: sampleRate / 2). */
  fMax: number;
  /** Number of mel bands. */
  nMels: number;
  /** Exponent of the magnitude: 2 = power spectrogram (as AmplitudeToDB stype "power" expects). */
  power: number;
  /** Pad nFft/2 on both sides so frame t is centred on sample t*hopLength. */
  center: boolean;
  padMode: "reflect" | "constant";
  /** "slaney" divides each triangle by its width (area normalisation); null leaves peaks at 1. */
  norm: "slaney" | null;
  melScale: "htk" | "slaney";
  /** dB floor below each spectrogram's maximum (AmplitudeToDB top_db); null: no floor. */
  topDb: number | null;
}

/** Defaults for 10 kHz music: 128 HTK mel bands over 0–5000 Hz, 1024-point FFT, 256-sample hop, 80 dB range. */
export const defaultMelSettings: MelSettings = {
  sampleRate: 10_000,
  nFft: 1024,
  winLength: 1024,
  hopLength: 256,
  fMin: 0,
  fMax: 5000,
  nMels: 128,
  power: 2,
  center: true,
  padMode: "reflect",
  norm: null,
  melScale: "htk",
  topDb: 80,
};

const hzToMel = (f: number, scale: MelSettings["melScale"]): number => {
  if (scale === "htk") return 2595 * Math.log10(1 + f / 700);
  const fSp = 200 / 3;
  return f >= 1000 ? 1000 / fSp + Math.log(f / 1000) / (Math.log(6.4) / 27) : f / fSp;
};
const melToHz = (m: number, scale: MelSettings["melScale"]): number => {
  if (scale === "htk") return 700 * (10 ** (m / 2595) - 1);
  const fSp = 200 / 3;
  const minLogMel = 1000 / fSp;
  return m >= minLogMel ? 1000 * Math.exp((Math.log(6.4) / 27) * (m - minLogMel)) : fSp * m;
};

/** Triangular filter bank [nFreqs, nMels] as torchaudio.functional.melscale_fbanks. */
export function melFilterbank(
  s: Pick<MelSettings, "nFft" | "fMin" | "fMax" | "nMels" | "sampleRate" | "norm" | "melScale">,
): Float32Array {
  const nFreqs = Math.floor(s.nFft / 2) + 1;
  const nyquist = Math.floor(s.sampleRate / 2);
  const freqs = Array.from({ length: nFreqs }, (_, i) => (nyquist * i) / (nFreqs - 1));
  const mMin = hzToMel(s.fMin, s.melScale);
  const mMax = hzToMel(s.fMax, s.melScale);
  const pts = Array.from({ length: s.nMels + 2 }, (_, i) =>
    melToHz(mMin + ((mMax - mMin) * i) / (s.nMels + 1), s.melScale),
  );
  const fb = new Float32Array(nFreqs * s.nMels);
  for (let m = 0; m < s.nMels; m++) {
    const [lo, mid, hi] = [pts[m]!, pts[m + 1]!, pts[m + 2]!];
    const enorm = s.norm === "slaney" ? 2 / (hi - lo) : 1;
    for (let f = 0; f < nFreqs; f++) {
      const down = (freqs[f]! - lo) / (mid - lo);
      const up = (hi - freqs[f]!) / (hi - mid);
      fb[f * s.nMels + m] = Math.max(0, Math.min(down, up)) * enorm;
    }
  }
  return fb;
}

/**
 * Settings with defaults filled in, checked (no tensors): fMax defaults to the Nyquist frequency of a given
 * sample rate, winLength to a given nFft.
 */
export function resolveMelSettings(settings: Partial<MelSettings> = {}): MelSettings {
  const s = { ...defaultMelSettings, ...settings };
  if (settings.sampleRate !== undefined && settings.fMax === undefined) s.fMax = settings.sampleRate / 2;
  if (settings.nFft !== undefined && settings.winLength === undefined) s.winLength = s.nFft;
  if (s.winLength > s.nFft) throw new RangeError(`mel: winLength ${s.winLength} exceeds nFft ${s.nFft}`);
  if (s.fMax > s.sampleRate / 2 || s.fMin >= s.fMax) {
    const got = `${s.fMin}–${s.fMax} Hz at ${s.sampleRate} Hz`;
    throw new RangeError(`mel: need 0 ≤ fMin < fMax ≤ sampleRate/2, got ${got}`);
  }
  return s;
}

export class MelSpectrogram {
  readonly settings: MelSettings;
  readonly #window: Tensor;
  readonly #fb: Tensor;

  constructor(settings: Partial<MelSettings> = {}) {
    const s = resolveMelSettings(settings);
    this.settings = s;
    this.#window = hannWindow(s.winLength).keep();
    this.#fb = tensor(melFilterbank(s), [Math.floor(s.nFft / 2) + 1, s.nMels]).keep();
  }

  /** Number of frames for a signal of `samples` samples. */
  frames(samples: number): number {
    const s = this.settings;
    return Math.floor((s.center ? samples : samples - s.nFft) / s.hopLength) + 1;
  }

  /** Mel power spectrogram (no dB): [..., time] → [..., nMels, frames]. */
  power(waveform: Tensor): Tensor {
    const s = this.settings;
    return noGrad(() =>
      tidy(() => {
        const spec = F.spectrogram(waveform, s.nFft, s.power, {
          hopLength: s.hopLength,
          winLength: s.winLength,
          window: this.#window,
          center: s.center,
          padMode: s.padMode,
        });
        return spec.transpose(-1, -2).matmul(this.#fb).transpose(-1, -2);
      }),
    );
  }

  /** Log-mel spectrogram in dB (10·log10, floor 1e-10, then topDb below each item's maximum). */
  forward(waveform: Tensor): Tensor {
    return tidy(() => amplitudeToDb(this.power(waveform), this.settings.topDb));
  }
}

/** torchaudio's AmplitudeToDB(stype="power", top_db) with the maximum taken per item over the last two dims. */
export function amplitudeToDb(power: Tensor, topDb: number | null): Tensor {
  return noGrad(() =>
    tidy(() => {
      return floorDb(power.clamp(1e-10).log10().mul(10), topDb);
    }),
  );
}

/** dB values floored at `topDb` below each item's maximum over the last two dims (null: unchanged). */
export function floorDb(db: Tensor, topDb: number | null): Tensor {
  if (topDb === null) return db;
  return tidy(() => db.maximum(db.amax([-2, -1], true).sub(topDb).expand(db.shape)));
}
